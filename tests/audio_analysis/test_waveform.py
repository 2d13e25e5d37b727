"""Waveforms: a few KB of min/max peaks per channel that look like the sound."""

import pytest

from app.audio_analysis import Waveform, waveform

QUARTERS = 4


def quarter_means(values: list[int]) -> list[float]:
    """The mean of each quarter of a list."""
    size = len(values) // QUARTERS
    return [sum(values[i * size : (i + 1) * size]) / size for i in range(QUARTERS)]


def test_a_fade_in_rises(audio):
    """A four-second fade-in: silence at the start, the loudest quarter last, rising throughout."""
    shape = waveform(audio("fade_in"))
    amplitudes = shape.amplitudes(0)
    assert shape.channels == 1
    assert shape.points == 1000
    assert amplitudes[0] <= 1
    means = quarter_means(amplitudes)
    assert means == sorted(means)
    assert means[-1] > 4 * means[0]
    assert max(amplitudes) > 100  # the fade ends near full scale (sine at -0.1 dBFS)


def test_silence_is_all_zero(audio):
    """Silence draws a flat line: every min and max is 0."""
    shape = waveform(audio("silent"))
    assert shape.channels == 2
    assert set(shape.data) == {0}


def test_a_silent_channel_stays_flat_beside_a_loud_one(audio):
    """Stereo with sound on the left only: the right channel's peaks are all zero."""
    shape = waveform(audio("left_only"))
    assert shape.channels == 2
    assert min(shape.amplitudes(0)) > 40
    assert set(shape.amplitudes(1)) == {0}
    low, high = shape.peaks(0)[500]
    assert low < 0 < high  # a sine swings both ways


def test_surround_is_drawn_as_two_channels(audio):
    """A 5.1 file gives at most two channels of peaks."""
    assert waveform(audio("surround")).channels == 2


def test_stored_form_is_small_and_reads_back(audio):
    """1,000 points in stereo take 4 KB plus an 8-byte header, and read back equal."""
    shape = waveform(audio("loud"), points=1000)
    blob = shape.to_bytes()
    assert len(blob) == 8 + 2 * 2 * 1000
    assert Waveform.from_bytes(blob) == shape
    assert waveform(audio("loud"), points=200).points == 200


@pytest.mark.parametrize("blob", [b"", b"SLWF", b"JUNKJUNK" + bytes(4000), b"SLWF\x01\x02\xe8\x03"])
def test_stored_form_rejects_what_is_not_a_waveform(blob):
    """Garbage or a cut-off blob is refused with ValueError, never misread."""
    with pytest.raises(ValueError, match="not a stored waveform"):
        Waveform.from_bytes(blob)

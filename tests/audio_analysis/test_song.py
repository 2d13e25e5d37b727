"""A song's job in one decoding pass gives exactly what the separate calls give."""

import pytest

from app.audio_analysis import analyse, loudness, waveform
from tests.audio_analysis.reference import ffmpeg_ebur128


@pytest.mark.parametrize("kind", ["loud", "mono", "surround", "silent"])
def test_one_pass_equals_the_separate_calls(audio, kind):
    """Loudness and waveform from analyse() equal loudness() and waveform() on the same file."""
    path = audio(kind)
    both = analyse(path, points=500)
    assert both.loudness == loudness(path)
    assert both.waveform == waveform(path, points=500)
    assert both.waveform.points == 500


def test_one_pass_agrees_with_ffmpeg(audio):
    """The one-pass loudness still agrees with ffmpeg's ebur128 within 0.1."""
    reference = ffmpeg_ebur128(audio("dynamic"))
    measured = analyse(audio("dynamic")).loudness
    assert measured.integrated_lufs == pytest.approx(reference["I"], abs=0.1)
    assert measured.loudness_range_lu == pytest.approx(reference["LRA"], abs=0.1)
    assert measured.true_peak_dbtp == pytest.approx(reference["Peak"], abs=0.1)

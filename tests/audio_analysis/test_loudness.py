"""Loudness agrees with ffmpeg's ebur128 filter (the reference) within 0.1 LU / dB, track and
album; silence is a clear state, not a crash."""

import math

import pytest

from app.audio_analysis import Loudness, album_loudness, loudness
from tests.audio_analysis.reference import FIXTURES, ffmpeg_ebur128

MEASURED_KINDS = ["quiet", "loud", "clipped", "mono", "surround", "dynamic"]


def assert_agrees(ours: Loudness, reference: dict[str, float]) -> None:
    """Integrated loudness, range and true peak within 0.1 of ffmpeg's summary."""
    assert ours.state == "measured"
    assert ours.integrated_lufs == pytest.approx(reference["I"], abs=0.1)
    assert ours.loudness_range_lu == pytest.approx(reference["LRA"], abs=0.1)
    assert ours.true_peak_dbtp == pytest.approx(reference["Peak"], abs=0.1)


@pytest.mark.parametrize("kind", MEASURED_KINDS)
def test_track_loudness_agrees_with_ffmpeg(audio, kind):
    """Each kind of file measures as ffmpeg -af ebur128=peak=true does."""
    path = audio(kind)
    ours = loudness(path)
    assert_agrees(ours, ffmpeg_ebur128(path))
    # ReplayGain 2.0: the gain brings the track to -18 LUFS; the peak is linear.
    assert ours.gain_db == pytest.approx(-18 - ours.integrated_lufs, abs=0.01)
    assert ours.peak == pytest.approx(10 ** (ours.true_peak_dbtp / 20), rel=1e-4)


def test_the_kinds_differ_as_a_listener_hears_them(audio):
    """Quiet needs a boost, loud a cut; clipped peaks at full scale; a quiet intro widens LRA."""
    quiet, loud = loudness(audio("quiet")), loudness(audio("loud"))
    assert quiet.gain_db > 20
    assert loud.gain_db < 0
    clipped = loudness(audio("clipped"))
    assert clipped.true_peak_dbtp > -0.5
    assert clipped.peak > 0.94
    assert loudness(audio("dynamic")).loudness_range_lu > 8 > loud.loudness_range_lu


def test_a_real_song_file_agrees_with_ffmpeg(ffmpeg_tools, pyav):
    """An MP3 from the fixtures (22 kHz mono, with tags) measures like ffmpeg."""
    path = FIXTURES / "morning-light.mp3"
    assert_agrees(loudness(path), ffmpeg_ebur128(path))


def test_silence_has_no_gain_and_does_not_crash(audio):
    """A silent file: state 'silent', no gain, no true peak, a zero linear peak."""
    ours = loudness(audio("silent"))
    assert ffmpeg_ebur128(audio("silent"))["I"] == -70.0
    assert ours.state == "silent"
    assert ours.integrated_lufs is None
    assert ours.gain_db is None
    assert ours.true_peak_dbtp is None
    assert ours.peak == 0.0
    assert ours.duration_seconds == pytest.approx(3.0, abs=0.05)


def test_album_loudness_is_the_concatenation(audio):
    """Album gain is measured over the tracks played in a row, as ffmpeg's concat measures it.

    The tracks share a sample rate: with mixed rates both resample, each to its own choice.
    """
    tracks = [audio("quiet"), audio("dynamic"), audio("loud")]
    album = album_loudness(tracks)
    assert_agrees(album, ffmpeg_ebur128(*tracks))
    # Not an average of the tracks' values: the quiet track barely counts once gated.
    average = sum(loudness(track).integrated_lufs for track in tracks) / len(tracks)
    assert not math.isclose(album.integrated_lufs, average, abs_tol=1.0)
    assert album.duration_seconds == pytest.approx(4 + 12 + 4, abs=0.1)


def test_album_of_mixed_formats_is_measured(audio):
    """Mono MP3, stereo FLAC and 5.1 WAV at other rates make one album without error."""
    album = album_loudness([audio("mono"), audio("loud"), audio("surround")])
    parts = [loudness(audio(kind)).integrated_lufs for kind in ("mono", "loud", "surround")]
    assert album.state == "measured"
    assert min(parts) - 0.5 < album.integrated_lufs < max(parts) + 0.5


def test_album_of_silent_tracks_is_silent(audio):
    """An album of silence has no album gain either."""
    assert album_loudness([audio("silent"), audio("silent")]).state == "silent"

"""Transcoded streams decode to the profile's codec and bitrate, and arrive while encoding."""

import pytest

from app.audio_analysis import PROFILES, transcode
from tests.audio_analysis.reference import ffprobe


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_stream_decodes_to_the_profile(audio, tmp_path, name):
    """ffprobe reads the profile's codec, its bitrate within 10 %, a sane rate, full length."""
    profile = PROFILES[name]
    chunks = list(transcode(audio("noise_long"), profile))
    output = tmp_path / f"out.{profile.suffix}"
    output.write_bytes(b"".join(chunks))
    probed = ffprobe(output)
    assert probed["codec_name"] == profile.codec_name
    assert probed["format_name"] == profile.container
    assert int(probed["bit_rate"]) == pytest.approx(profile.bitrate, rel=0.10)
    assert int(probed["sample_rate"]) in (44100, 48000)
    assert probed["channels"] == "2"
    assert float(probed["duration"]) == pytest.approx(8.0, abs=0.1)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_stream_starts_before_the_encoding_ends(audio, name):
    """The first chunk is a small part of the whole: bytes flow as soon as they exist."""
    chunks = transcode(audio("noise_long"), PROFILES[name])
    first = next(chunks)
    rest = b"".join(chunks)
    assert first
    assert len(first) < len(rest) / 4


def test_profiles_tell_clients_the_truth():
    """Content type and suffix match the container each profile writes."""
    assert {(p.container, p.content_type, p.suffix) for p in PROFILES.values()} == {
        ("ogg", "audio/ogg", "opus"),
        ("mp3", "audio/mpeg", "mp3"),
    }


def test_surround_becomes_stereo(audio, tmp_path):
    """A 5.1 source is streamed as stereo (MP3 carries no more)."""
    output = tmp_path / "out.mp3"
    output.write_bytes(b"".join(transcode(audio("surround"), PROFILES["mp3-128"])))
    assert ffprobe(output)["channels"] == "2"

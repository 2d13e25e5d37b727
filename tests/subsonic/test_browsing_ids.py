"""Subsonic ids parse strictly: one spelling per row, error 70 for anything else."""

import pytest

from app.subsonic.ids import album_id, artist_id, parse, parse_any, song_id
from app.subsonic.wire import NOT_FOUND, SubsonicError


def test_ids_round_trip():
    """Each kind's id reads back as its kind and row."""
    assert parse(artist_id(12), "ar") == ("ar", 12)
    assert parse(album_id(34), "al", "tr") == ("al", 34)
    assert parse(song_id(56), "tr") == ("tr", 56)


@pytest.mark.parametrize(
    "value",
    ["", "12", "tr-", "tr-0", "tr-012", "tr--1", "tr-1.5", "TR-1", "tr-1 ", "xx-1", "tr-1x",
     "tr-" + "9" * 19, "tr-١٢"],
)  # fmt: skip
def test_malformed_ids_are_not_found(value):
    """Anything but the one spelling is error 70, never an exception of another kind."""
    assert parse_any(value) is None
    with pytest.raises(SubsonicError) as refused:
        parse(value, "tr")
    assert refused.value.code == NOT_FOUND


def test_an_id_of_another_kind_is_not_found():
    """An album id where a song is wanted is error 70 naming what was wanted."""
    with pytest.raises(SubsonicError) as refused:
        parse("al-3", "tr")
    assert "song" in refused.value.message

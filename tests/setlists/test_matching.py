"""Import matching against a real catalog, on SQLite and PostgreSQL: file name first, then
artist and title, then title and length; the same songs in the same order after a round trip
through each format; a bounded number of queries whatever the number of lines."""

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Album, Author, Song
from app.setlists import matching
from app.setlists.formats import Track, Wanted, csv_chunks, m3u8_chunks, xspf_chunks
from app.setlists.parsing import read_playlist

WRITERS = {"set.m3u8": m3u8_chunks, "set.xspf": xspf_chunks, "set.csv": csv_chunks}
#: (author, album, title, original file name, duration): two songs share a file name, two a
#: title, one title has a formula-like start and one an accent.
SONGS = [
    ("Queen", "A Night at the Opera", "Bohemian Rhapsody", "01 Track.mp3", 354.0),
    ("Queen", "Jazz", "Don't Stop Me Now", "01 Track.mp3", 209.0),
    ("Björk", "Debut", "Human Behaviour", "human.ogg", 252.0),
    ("Various Artists", "Hits", "Human Behaviour", "hb-live.ogg", 260.0),
    ("-Minus", "=Sum", "+44 @home", "=cmd.mp3", None),
    ("Sigur Rós", "Takk", "Hoppípolla", "hopp.flac", 268.5),
]
SONGS_TABLES = (Song, Album, Author)


@pytest.fixture
def catalog(app) -> list[int]:
    """The songs of SONGS, added directly; their ids in SONGS' order."""
    with app.app_context():
        authors, albums, songs = {}, {}, []
        for author, album, title, filename, duration in SONGS:
            authors.setdefault(author, Author(name=author))
            albums.setdefault(album, Album(title=album, author=authors[author]))
            song = Song(
                title=title,
                album=albums[album],
                audio_file=f"stored-{len(songs)}.mp3",
                original_filename=filename,
                duration=duration,
            )
            songs.append(song)
        db.session.add_all(songs)
        db.session.commit()
        return [song.id for song in songs]


def tracks_of(song_ids: list[int]) -> list[Track]:
    """The tracks an export of these songs would write, in this order."""
    songs = {song.id: song for song in db.session.scalars(select(Song))}
    return [
        Track(
            title=songs[song_id].title,
            artist=songs[song_id].album.author.name,
            album=songs[song_id].album.title,
            duration=songs[song_id].duration,
            original_filename=songs[song_id].original_filename,
            note=None,
            position=position,
        )
        for position, song_id in enumerate(song_ids, start=1)
    ]


@pytest.mark.parametrize("name", WRITERS)
def test_export_then_import_gives_the_same_songs_in_the_same_order(app, catalog, name):
    """Every song back, in order, with repeats, though two share a file name and two a title."""
    order = [catalog[i] for i in (5, 1, 0, 3, 2, 4, 1)]
    with app.app_context():
        data = "".join(WRITERS[name](tracks_of(order))).encode()
        playlist = read_playlist(io.BytesIO(data), name)
        found = matching.match_lines(db.session, playlist.entries)
    assert [match.song_id for match in found] == order
    assert {match.how for match in found} == {matching.BY_FILE_NAME}


def test_each_way_of_matching_and_each_reason_for_none(app, catalog):
    """A renamed file still matches by artist and title; a compilation's track by title and
    length; the report says why a line matched nothing."""
    lines = [
        Wanted(1, "renamed.mp3", "QUEEN", "dont stop me now!", None),
        Wanted(2, None, "Björk (live)", "Human behaviour", 261.5),
        Wanted(3, None, "Bjork", "Human Behaviour", 999.0),
        Wanted(4, "nothing.mp3", "Nobody", "Human Behaviour", 100.0),
        Wanted(5, "nothing.mp3", None, None, None),
        Wanted(6, None, None, None, 10.0),
        Wanted(7, None, "Sigur Ros", "HOPPIPOLLA", None),
        Wanted(8, None, None, "No Such Song", None),
    ]
    with app.app_context():
        found = matching.match_lines(db.session, lines)
    assert [(match.song_id, match.how) for match in found[:3]] == [
        (catalog[1], matching.BY_ARTIST_AND_TITLE),
        (catalog[3], matching.BY_TITLE_AND_DURATION),
        (catalog[2], matching.BY_ARTIST_AND_TITLE),
    ]
    assert [match.why_not for match in found[3:6]] == [
        matching.OTHER_ARTIST,
        matching.NO_SUCH_SONG,
        matching.NOTHING_TO_MATCH,
    ]
    assert (found[6].song_id, found[7].why_not) == (catalog[5], matching.NO_SUCH_SONG)


def test_of_several_songs_with_one_file_name_the_line_picks_by_its_words(app, catalog):
    """ "01 Track.mp3" is two songs: the line's title decides, else the oldest song."""
    lines = [
        Wanted(1, "01 Track.mp3", "Queen", "Don't Stop Me Now", None),
        Wanted(2, "01 Track.mp3", None, None, None),
    ]
    with app.app_context():
        found = matching.match_lines(db.session, lines)
    assert [match.song_id for match in found] == [catalog[1], catalog[0]]


def test_matching_creates_nothing(app, catalog):
    """An import of lines that match nothing leaves the catalog as it was."""
    lines = [Wanted(n, f"new-{n}.mp3", f"New artist {n}", f"New {n}", 60.0) for n in range(50)]
    with app.app_context():
        before = [db.session.scalar(select(func.count()).select_from(m)) for m in SONGS_TABLES]
        assert all(match.song_id is None for match in matching.match_lines(db.session, lines))
        assert not db.session.new
        assert not db.session.dirty
        after = [db.session.scalar(select(func.count()).select_from(m)) for m in SONGS_TABLES]
    assert before == after


def test_a_5000_line_import_sends_a_bounded_number_of_queries(app, generated_catalog, statements):
    """5,000 lines cost one query per CHUNK distinct file names (or titles), not one per line."""
    generated_catalog(5_000, songs_per_album=10)
    with app.app_context():
        rows = db.session.execute(
            select(Song.id, Song.original_filename, Song.title, Author.name)
            .join(Album, Song.album_id == Album.id)
            .join(Author, Album.author_id == Author.id)
            .order_by(Song.id)
        ).all()
        by_name = [Wanted(n, name, None, None, None) for n, (_i, name, _t, _a) in enumerate(rows)]
        by_words = [Wanted(n, None, a, t, None) for n, (_i, _n, t, a) in enumerate(rows)]
        statements.clear()
        named = matching.match_lines(db.session, by_name)
        name_queries = len(statements)
        statements.clear()
        worded = matching.match_lines(db.session, by_words)
        word_queries = len(statements)
    assert len(rows) == 5_000
    assert all(match.song_id for match in named + worded)
    # At most 5,000 distinct values, 500 a query: 10 (generated titles repeat, so fewer).
    assert name_queries <= 10, name_queries
    assert word_queries <= 10, word_queries
    print(f"queries for 5,000 lines: by file name {name_queries}, by words {word_queries}")

"""The search index follows every write, and ranks as it always did at any catalog size:
exact, then prefix, then anywhere; key order within a rank, ties by id; pages by offset."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Album, Author, Song
from app.search import matching
from app.search.keys import search_key


def added_id(response) -> int:
    """The id in the address an add form sent the browser to."""
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def found(visitor, text: str, group: str) -> list[str]:
    """The labels /search/ shows for text in one group."""
    answer = visitor.get("/search/", query_string={"q": text, "limit": 50}).get_json()
    return [result["label"] for result in answer[group]]


def test_search_follows_a_song_and_an_author_through_add_rename_and_delete(editor, audio, catalog):
    """What the forms write is found at once, by any part of it; a rename loses the old
    text; a delete leaves nothing behind."""
    song_id = added_id(
        editor.submit(
            "/songs/add",
            {
                "title": "Quasar Lullaby",
                "album": str(catalog["debut"]),
                "audio_file": audio("morning-light.mp3"),
            },
        )
    )
    assert found(editor, "asar lulla", "songs") == ["Quasar Lullaby"]
    assert found(editor, "quasar", "songs") == ["Quasar Lullaby"]
    editor.submit(
        f"/songs/edit/{song_id}", {"title": "Pulsar Serenade", "album": str(catalog["debut"])}
    )
    assert found(editor, "asar lulla", "songs") == []
    assert found(editor, "lsar seren", "songs") == ["Pulsar Serenade"]
    author_id = added_id(editor.submit("/authors/add", {"name": "Zyxwv Orchestra"}))
    assert found(editor, "xwv orch", "authors") == ["Zyxwv Orchestra"]
    editor.submit(f"/authors/edit/{author_id}", {"name": "Qrstu Ensemble"})
    assert found(editor, "xwv orch", "authors") == []
    assert found(editor, "rstu ens", "authors") == ["Qrstu Ensemble"]
    editor.submit("/songs/list/", {}, post_url=f"/songs/delete/{song_id}")
    editor.submit("/authors/list/", {}, post_url=f"/authors/delete/{author_id}")
    assert found(editor, "lsar seren", "songs") == []
    assert found(editor, "rstu ens", "authors") == []


def expected_ids(app, model, keys, text: str) -> list[int]:
    """Every matching id in the contract's order, worked out in Python from all the rows."""
    key = search_key(text)
    with app.app_context():
        statement = select(model.id, *keys)
        if model is Album:
            statement = statement.join(Album.author)
        rows = db.session.execute(statement).all()

    def rank(row) -> int:
        own = row[1:]
        if key in own:
            return 0
        return 1 if any(k.startswith(key) for k in own) else 2

    matching_rows = [row for row in rows if any(key in k for k in row[1:])]
    return [row[0] for row in sorted(matching_rows, key=lambda row: (rank(row), row[1], row[0]))]


@pytest.mark.parametrize("candidates", [3, 1000])
@pytest.mark.parametrize("text", ["river", "ver", "iv", "night moon", "cafe", "zzqx"])
def test_ranking_contract_holds_when_ranks_are_sorted_whole_or_walked(
    app, login_as, catalog, generated_catalog, monkeypatch, candidates, text
):
    """A rank of few matches is sorted whole, one of many is walked in key order (a low
    bound walks nearly every rank here): both give the order Python works out, and picker
    pages continue it."""
    monkeypatch.setattr(matching, "CANDIDATES", candidates)
    generated_catalog(600)
    listener = login_as("Editor")
    answer = listener.get("/search/", query_string={"q": text, "limit": 50}).get_json()
    songs = expected_ids(app, Song, (Song.title_key,), text)
    authors = expected_ids(app, Author, (Author.name_key,), text)
    albums = expected_ids(app, Album, (Album.title_key, Author.name_key), text)
    assert [row["id"] for row in answer["songs"]] == songs[:50]
    assert [row["id"] for row in answer["authors"]] == authors[:50]
    assert [row["id"] for row in answer["albums"]] == albums[:50]
    for page in (1, 2, 3):
        choices = listener.get(
            "/search/albums/choices", query_string={"q": text, "page": page}
        ).get_json()
        assert [row["id"] for row in choices["results"]] == albums[(page - 1) * 20 : page * 20]
        assert choices["more"] == (len(albums) > page * 20)


def test_search_statements_do_not_grow_with_the_catalog(
    app, login_as, catalog, generated_catalog, statements
):
    """The same statements find "iver" (every rank reached) at 10 songs and at 5,000."""
    with app.app_context():
        # Every group has a row holding "iver" at either size.
        db.session.add(
            Album(title="Silver Lining", author=db.session.get(Author, catalog["rivers"]))
        )
        db.session.commit()
    listener = login_as("Listener")
    generated_catalog(10)

    def search() -> tuple[int, list[str]]:
        statements.clear()
        answer = listener.get("/search/?q=iver").get_json()
        return len(statements), [row["label"] for row in answer["songs"]]

    small, labels = search()
    assert {"Moon River", "River", "Riverside"} <= set(labels)
    generated_catalog(4_990)
    assert search()[0] == small

"""The two marks a listener keeps on a song, album or author share one route: /star and
/rating answer as they always did, any other name is no address, and only PUT writes."""

import re

from app.extensions import db
from app.models import Album, Author, Song

MINE = "/api/v1/mine"


def album_mark(browser, album_id: int) -> tuple[str, str]:
    """(starred, rating) of the album as its page shows them to the browser's user."""
    page = browser.get(f"/albums/show/{album_id}").get_data(as_text=True)
    found = re.search(
        rf'data-mine-kind="album" data-mine-id="{album_id}" data-mine-name="[^"]*" '
        r'data-starred="(true|false)" data-rating="(\d)"',
        page,
    )
    assert found, "the album page shows no heart"
    return found.group(1), found.group(2)


def test_star_and_rating_answer_alike_and_nothing_else_is_a_mark(app, login_as):
    """Star and rate an album and its author, read the answers; unstar and clear; a third
    mark name is 404, a GET 405, a wrong body names its field and keeps nothing."""
    with app.app_context():
        album = Album(title="Shared", author=Author(name="Route"))
        db.session.add(Song(title="One", album=album, audio_file="1.ogg", original_filename="1"))
        db.session.commit()
        album_id, author_id = album.id, album.author_id
    lisa = login_as("Listener")
    for kind, item in (("album", album_id), ("author", author_id)):
        star = f"{MINE}/{kind}/{item}/star"
        rating = f"{MINE}/{kind}/{item}/rating"
        assert lisa.api("PUT", star, json={"starred": True}).json == {
            "kind": kind, "id": item, "starred": True,
        }  # fmt: skip
        assert lisa.api("PUT", rating, json={"rating": 4}).json == {
            "kind": kind, "id": item, "rating": 4,
        }  # fmt: skip
        if kind == "album":
            assert album_mark(lisa, album_id) == ("true", "4")
        wrong = lisa.api("PUT", star, json={"starred": 1})
        assert wrong.status_code == 400
        assert list(wrong.json["errors"]) == ["starred"]
        assert lisa.api("PUT", rating, json={"starred": True}).status_code == 400
        assert lisa.api("PUT", star, json={"starred": False}).json["starred"] is False
        assert lisa.api("PUT", rating, json={"rating": 0}).json["rating"] == 0
        assert lisa.api("PUT", f"{MINE}/{kind}/{item}/like", json={"like": True}).status_code == 404
        assert lisa.get(star).status_code == 405
        assert lisa.api("POST", rating, json={"rating": 2}).status_code == 405
    assert album_mark(lisa, album_id) == ("false", "0")

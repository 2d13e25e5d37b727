"""Bulk "Set rating": a choice of stars or none, checked on the server, summed up in words."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Song
from tests.editing.test_bulk_actions import change, make_catalog, messages


def rating_form(editor, rows: list[int]) -> str:
    """The "Set rating" form for some rows, as the list's action opens it."""
    fields = {"action": "set_rating", "rowid": [str(row) for row in rows]}
    to_form = editor.submit("/songs/list/", fields, post_url="/songs/action_post")
    return editor.get(to_form.headers["Location"]).get_data(as_text=True)


def test_rating_is_a_choice_of_stars_or_none(app, editor, upload_folder):
    """The form offers 5 to 1 stars and "No rating" as radio buttons, no text box; clearing
    says so in words, for one song and for several."""
    ids = make_catalog(app, upload_folder)
    form = rating_form(editor, [ids["One"], ids["Two"]])
    choices = re.findall(r'<input[^>]*name="value"[^>]*>', form)
    assert [re.search(r'value="([^"]*)"', c).group(1) for c in choices] == [
        "5", "4", "3", "2", "1", "none"
    ]  # fmt: skip
    assert all('type="radio"' in choice for choice in choices)
    assert "5 stars" in form
    assert "1 star<" in form
    assert "No rating (clear it)" in form
    messages(editor, change(editor, "songs", "set_rating", [ids["One"], ids["Two"]], "1"))
    page = messages(editor, change(editor, "songs", "set_rating", [ids["One"]], "none"))
    assert "Rating cleared on 1 song." in page
    page = messages(
        editor,
        change(editor, "songs", "set_rating", [ids["One"], ids["Two"], ids["Three"]], "none"),
    )
    assert "Rating cleared on 1 song." in page
    assert "2 songs had no rating already." in page
    assert "—" not in page
    with app.app_context():
        assert db.session.scalars(select(Song.rating)).all() == [None, None, None]


@pytest.mark.parametrize(
    ("sent", "said"),
    [
        ("", "Choose a rating, or “No rating” to clear it."),
        ("9", "Choose one of the ratings offered: 1 to 5 stars, or no rating."),
        ("0", "Choose one of the ratings offered: 1 to 5 stars, or no rating."),
        ("-1", "Choose one of the ratings offered: 1 to 5 stars, or no rating."),
        ("4.5", "Choose one of the ratings offered: 1 to 5 stars, or no rating."),
        ("<b>5</b>", "Choose one of the ratings offered: 1 to 5 stars, or no rating."),
    ],
)
def test_a_bad_rating_is_shown_next_to_its_field_and_changes_nothing(
    app, editor, upload_folder, sent, said
):
    """Nothing chosen, or a value no choice has: the form comes back with the reason next
    to the choices (no summary flashed), and no song changes."""
    ids = make_catalog(app, upload_folder)
    messages(editor, change(editor, "songs", "set_rating", [ids["Two"]], "3"))
    response = change(editor, "songs", "set_rating", [ids["One"], ids["Two"]], sent)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    errors = re.search(r'<div id="value-errors">(.*?)</div>', page, re.S)
    assert errors
    assert said in errors.group(1)
    assert 'aria-describedby="value-errors"' in page
    assert "rated" not in page
    assert "&lt;b&gt;" not in page
    with app.app_context():
        ratings = {s.title: s.rating for s in db.session.scalars(select(Song))}
    assert ratings == {"One": None, "Two": 3, "Three": None}

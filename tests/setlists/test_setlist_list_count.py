"""A listener with more setlists than the list counts: the list stops counting at 10,000
and says "or more", while its pages still come in order."""

import html
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from app.extensions import db
from app.models import Setlist
from app.search.keys import search_key
from app.views.setlists.page_list import COUNT_CAP

NAME = re.compile(r'<a href="/setlists/show/\d+">(Set \d+)</a>')


def summaries(response) -> list[str]:
    """The "first-last of count" lines of a list page."""
    found = re.findall(r'<p class="list-summary">(.*?)</p>', response.get_data(as_text=True))
    return [html.unescape(line.strip()) for line in found]


def test_past_the_cap_the_list_says_or_more_and_still_pages(app, login_as, users):
    """COUNT_CAP + 1 setlists of the listener: "of 10,000 or more" on the first page,
    the 25 most recently changed; the second page the next 25; a search for one name finds
    it alone, counted exactly."""
    with app.app_context():
        owner = app.appbuilder.sm.find_user(username=users["Listener"]).id
        start = datetime(2026, 1, 1, tzinfo=UTC)
        rows = [
            {"name": f"Set {number:05}", "name_key": search_key(f"Set {number:05}"),
             "owner_id": owner, "visibility": "private", "created_at": start,
             "updated_at": start + timedelta(minutes=number)}
            for number in range(COUNT_CAP + 1)
        ]  # fmt: skip
        db.session.execute(insert(Setlist), rows)
        db.session.commit()
    listener = login_as("Listener")
    first = listener.get("/setlists/list/?tab=mine")
    assert summaries(first) == ["1–25 of 10,000 or more"] * len(summaries(first))
    assert summaries(first)
    newest = [f"Set {number:05}" for number in range(COUNT_CAP, COUNT_CAP - 25, -1)]
    assert NAME.findall(first.get_data(as_text=True)) == newest
    second = listener.get("/setlists/list/?tab=mine&page_SetlistModelView=1")
    assert NAME.findall(second.get_data(as_text=True)) == [
        f"Set {number:05}" for number in range(COUNT_CAP - 25, COUNT_CAP - 50, -1)
    ]
    found = listener.get("/setlists/list/?tab=mine&_flt_0_name=Set 04321")
    assert NAME.findall(found.get_data(as_text=True)) == ["Set 04321"]
    assert summaries(found)[0] == "1–1 of 1"

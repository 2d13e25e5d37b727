"""/api/v1/setlist/ while PostgreSQL is out of reach: a JSON 503 for every read and write,
nothing of a write kept, and the same client carries on once the database is back."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import SetlistEntry
from tests.operations.test_database_outage import assert_unavailable, signed_in
from tests.setlists.building import make_songs
from tests.support.forms import CSRF_META

API = "/api/v1/setlist/"


def test_setlist_api_answers_503_while_the_database_is_gone(database_behind_a_proxy):
    """Lists, one setlist, its entries, a new setlist, adding and moving: 503s during the
    outage; afterwards the listener adds the songs and finds exactly those."""
    app, proxy = database_behind_a_proxy
    with app.app_context():
        song_ids = make_songs(3)
    listener = signed_in(app, "lisa")
    token = CSRF_META.search(listener.get("/").get_data(as_text=True)).group(1)
    headers = {"X-CSRFToken": token}
    setlist_id = listener.api("POST", API, json={"name": "Night"}).json["id"]
    entries = f"{API}{setlist_id}/entries/"

    proxy.cut()
    for url in (API, f"{API}{setlist_id}", entries):
        assert_unavailable(listener.api("GET", url))
    writes = [
        ("POST", API, {"name": "Lost"}),
        ("PUT", f"{API}{setlist_id}", {"name": "Lost"}),
        ("POST", entries, {"song_ids": song_ids}),
        ("POST", f"{entries}1/move", {"to": "top"}),
        ("DELETE", f"{API}{setlist_id}", None),
    ]
    for method, url, body in writes:
        assert_unavailable(listener.client.open(url, method=method, json=body, headers=headers))

    proxy.start()
    assert listener.api("GET", f"{API}{setlist_id}").json["result"]["name"] == "Night"
    assert listener.api("POST", entries, json={"song_ids": song_ids}).status_code == 201
    with app.app_context():
        count = select(func.count(SetlistEntry.id)).where(SetlistEntry.setlist_id == setlist_id)
        assert db.session.scalar(count) == 3

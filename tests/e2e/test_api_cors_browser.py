"""A real Chromium on another site's page calls the API with fetch: allowed from the
listed origin, blocked by the browser from any other."""

import pytest
from flask import Flask

from app.extensions import db
from app.models import Album, Author, Song
from tests.support.apps import PASSWORD

pytestmark = pytest.mark.browser

#: Run in the other site's page: a token's GET and a PUT (which needs a preflight).
CALL_THE_API = """
async ([api, token, songId]) => {
  const headers = {Authorization: `Bearer ${token}`, "Content-Type": "application/json"};
  try {
    const list = await fetch(`${api}/api/v1/song/`, {headers});
    const change = await fetch(`${api}/api/v1/song/${songId}`,
      {method: "PUT", headers, body: JSON.stringify({rating: 4})});
    return [list.status, (await list.json()).count, change.status];
  } catch (refused) {
    return ["blocked", String(refused)];
  }
}
"""


def other_site() -> Flask:
    """A site of its own (another origin than Setlist's): one plain page."""
    site = Flask("other_site")
    site.add_url_rule("/", view_func=lambda: "<!doctype html><title>Radio</title><p>On air</p>")
    return site


def test_only_the_listed_origin_may_call_the_api(standalone_app, live_server, chromium):
    """The listed origin reads and writes with a token; another origin's page is refused
    by the browser itself, and the song keeps its rating."""
    listed, unlisted = live_server(other_site()), live_server(other_site())
    app = standalone_app(CORS_ORIGINS=listed.url)
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("radio", "Radio", "Desk", "radio@example.org", sm.find_role("Editor"), PASSWORD)
    with app.app_context():
        album = Album(title="Night", author=Author(name="Host"))
        played = Song(title="Theme", album=album, audio_file="x.ogg", original_filename="x.ogg")
        db.session.add(played)
        db.session.commit()
        song_id = played.id
    login = app.test_client().post(
        "/api/v1/security/login", json={"username": "radio", "password": PASSWORD}
    )
    token = login.json["access_token"]
    api = live_server(app).url
    page = chromium.new_page()
    page.goto(unlisted.url)
    outcome = page.evaluate(CALL_THE_API, [api, token, song_id])
    assert outcome[0] == "blocked", outcome
    with app.app_context():
        assert db.session.get(Song, song_id).rating is None
    page.goto(listed.url)
    assert page.evaluate(CALL_THE_API, [api, token, song_id]) == [200, 1, 200]
    with app.app_context():
        assert db.session.get(Song, song_id).rating == 4

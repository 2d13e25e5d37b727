"""Who may do what through /api/v1/: the UI's roles, endpoint by endpoint (one table)."""

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Album, Author, Song
from tests.support.apps import AUDIO

ROLES = (None, "Listener", "Editor", "Admin")
READERS = {"Listener", "Editor", "Admin"}
WRITERS = {"Editor", "Admin"}


ADMINS = {"Admin"}


def audio_file(name: str) -> dict:
    """A multipart body with a fixture audio file in the field "file"."""
    return {"file": (io.BytesIO((AUDIO / name).read_bytes()), name)}


def requests(song) -> list[tuple[str, str, dict | None, set, int]]:
    """(method, url, body, roles allowed, success status) for every endpoint; a body with
    a file goes as multipart."""
    album, author = song.album_id, song.album.author_id
    return [
        ("GET", "/api/v1/_openapi", None, ADMINS, 200),
        (
            "POST",
            "/api/v1/song/upload",
            {**audio_file("tone.flac"), "album_id": album},
            WRITERS,
            201,
        ),
        ("PUT", f"/api/v1/song/{song.id}/file", audio_file("tone.wav"), WRITERS, 200),
        ("GET", "/api/v1/author/", None, READERS, 200),
        ("GET", f"/api/v1/author/{author}", None, READERS, 200),
        ("GET", "/api/v1/album/", None, READERS, 200),
        ("GET", f"/api/v1/album/{album}", None, READERS, 200),
        ("GET", "/api/v1/song/", None, READERS, 200),
        ("GET", f"/api/v1/song/{song.id}", None, READERS, 200),
        ("POST", "/api/v1/author/", {"name": "New Author"}, WRITERS, 201),
        ("PUT", f"/api/v1/author/{author}", {"country": "Chile"}, WRITERS, 200),
        ("POST", "/api/v1/album/", {"title": "New Album", "author_id": author}, WRITERS, 201),
        ("PUT", f"/api/v1/album/{album}", {"release_year": 1999}, WRITERS, 200),
        ("PUT", f"/api/v1/song/{song.id}", {"rating": 5}, WRITERS, 200),
        ("DELETE", f"/api/v1/song/{song.id}", None, WRITERS, 200),
    ]


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_each_role_may_do_what_it_may_do_in_the_ui(app, login_as, song, role):
    """Anonymous: 401 everywhere; listeners read (403 on writes); editors and admins write."""
    visitor = login_as(role)
    for method, url, body, allowed, success in requests(song):
        if body and "file" in body:
            response = visitor.api(method, url, data=body, content_type="multipart/form-data")
        else:
            response = visitor.api(method, url, json=body)
        expected = success if role in allowed else 401 if role is None else 403
        assert response.status_code == expected, f"{role} {method} {url}: {response.json}"
        assert response.is_json, f"{method} {url} answered no JSON"
        assert isinstance(response.json, dict), f"{method} {url} answered no JSON object"
        if expected >= 400:
            assert response.json["message"]
    with app.app_context():
        changed = db.session.scalar(select(func.count()).select_from(Author)) == 2
        assert changed == (role in WRITERS)


def test_anonymous_visitors_read_only_when_the_catalog_is_public(standalone_app, visit):
    """With CATALOG_PUBLIC_BROWSE anonymous reads work and writes still get 401."""
    public = visit(standalone_app(CATALOG_PUBLIC_BROWSE=True))
    with public.client.application.app_context():
        author = Author(name="Open")
        db.session.add(Album(title="Door", author=author))
        db.session.commit()
        author_id = author.id
    assert public.api("GET", "/api/v1/album/").json["count"] == 1
    assert public.api("GET", f"/api/v1/author/{author_id}").json["result"]["name"] == "Open"
    refused = public.api("PUT", f"/api/v1/author/{author_id}", json={"name": "Shut"})
    assert refused.status_code == 401
    refused = public.api("POST", "/api/v1/author/", json={"name": "Someone"})
    assert refused.status_code == 401
    with public.client.application.app_context():
        assert db.session.scalars(select(Author.name)).all() == ["Open"]


def test_writes_need_the_pages_csrf_token(app, editor, song):
    """A session's write without X-CSRFToken (a cross-site form, say) changes nothing."""
    response = editor.api("PUT", f"/api/v1/song/{song.id}", json={"rating": 1}, csrf=False)
    assert response.status_code == 400
    assert "X-CSRFToken" in response.json["message"]
    response = editor.api("DELETE", f"/api/v1/song/{song.id}", csrf=False)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Song, song.id).rating is None


def test_writes_are_rate_limited_per_user(app, editor, song, monkeypatch):
    """Past RATELIMIT_API_WRITE a user's writes get a JSON 429; reads go on."""
    monkeypatch.setitem(app.config, "RATELIMIT_API_WRITE", "2 per minute")
    for rating in (1, 2):
        answer = editor.api("PUT", f"/api/v1/song/{song.id}", json={"rating": rating})
        assert answer.status_code == 200
    refused = editor.api("PUT", f"/api/v1/song/{song.id}", json={"rating": 3})
    assert refused.status_code == 429
    assert refused.json["message"].startswith("Too many attempts")
    assert editor.api("GET", f"/api/v1/song/{song.id}").json["result"]["rating"] == 2


def test_syncing_roles_leaves_the_views_permissions_alone(app, runner, caplog):
    """The resources share their views' permissions: a sync neither tries to delete any
    nor to converge permissions of resources that never had their own."""
    result = runner.invoke(args=["catalog", "sync-roles"])
    assert result.exit_code == 0, result.output
    refused = [r.getMessage() for r in caplog.records if "Refused to delete" in r.getMessage()]
    assert not [message for message in refused if "permission view" in message or "Api" in message]


def test_the_spec_and_its_swagger_ui_are_for_admins(login_as):
    """/api/v1/_openapi and /swagger/v1: admins only; the UI's assets come from the site."""
    admin = login_as("Admin")
    spec = admin.get("/api/v1/_openapi")
    assert spec.status_code == 200
    assert "/api/v1/song/upload" in spec.json["paths"]
    page = admin.get("/swagger/v1").get_data(as_text=True)
    assert "/static/appbuilder/js/swagger-ui-bundle.js" in page
    assert "//" not in page.split("swagger-ui-bundle.js")[0].rsplit('src="', 1)[1]
    assert login_as("Editor").get("/api/v1/_openapi").status_code == 403
    assert login_as(None).get("/api/v1/_openapi").status_code == 401
    assert login_as("Editor").get("/swagger/v1").status_code == 403

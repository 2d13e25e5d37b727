"""A database that goes away — before a request, in the middle of one, or just after its
answer — costs users a readable 503 with its reference, never a server error; nothing of a
refused change is kept, and the site works again by itself once the database is back.

PostgreSQL only: the connection is cut by a TcpProxy between the app and the server.
"""

import logging
import re
from pathlib import Path

from sqlalchemy import event, select

from app.extensions import db
from app.models import Author, Song
from tests.media.test_upload_staging import KEPT
from tests.support.apps import AUDIO, PASSWORD, files_in
from tests.support.forms import Browser, csrf_token

UNAVAILABLE = "The catalog is unavailable for a moment"


def signed_in(app, username: str) -> Browser:
    """A browser signed in as a user of the app."""
    browser = Browser(app.test_client())
    assert browser.login(username)
    return browser


def assert_unavailable(response) -> None:
    """The app's own 503: Retry-After, and the request id to quote in the page or JSON."""
    assert response.status_code == 503, (response.request.path, response.status_code)
    # At least the outage's 30 s; Flask-Limiter keeps the later of that and a limit's reset.
    assert int(response.headers["Retry-After"]) >= 30
    request_id = response.headers["X-Request-ID"]
    if response.is_json:
        assert response.json["request_id"] == request_id
        assert UNAVAILABLE in response.json["message"]
    else:
        page = response.get_data(as_text=True)
        assert UNAVAILABLE in page
        assert f"<code>{request_id}</code>" in page


def author_names(app) -> set[str]:
    """The authors in the catalog."""
    with app.app_context():
        return set(db.session.scalars(select(Author.name)))


def test_every_surface_answers_503_while_the_database_is_gone(database_behind_a_proxy):
    """Pages, an unknown address, search, the JSON API (read and write), a form post and
    both logins: a 503 each while PostgreSQL is unreachable; afterwards the same signed-in
    editor carries on, and neither change made during the outage was kept."""
    app, proxy = database_behind_a_proxy
    editor = signed_in(app, "eddie")
    assert editor.get("/authors/list/").status_code == 200
    add_form = editor.get("/authors/add").get_data(as_text=True)
    login_page = Browser(app.test_client())
    login_token = csrf_token(login_page.get("/login/").get_data(as_text=True))

    proxy.cut()
    for address in ("/songs/list/", "/authors/list/", "/", "/no/such/page", "/search/?q=ri"):
        assert_unavailable(editor.get(address))
    assert_unavailable(editor.api("GET", "/api/v1/song/"))
    token = csrf_token(add_form)
    written = {"name": "Made in outage"}
    assert_unavailable(
        editor.client.post("/api/v1/author/", json=written, headers={"X-CSRFToken": token})
    )
    form = {"name": "Typed in outage", "csrf_token": token}
    assert_unavailable(editor.client.post("/authors/add", data=form))
    typed = {"username": "eddie", "password": PASSWORD, "csrf_token": login_token}
    assert_unavailable(login_page.client.post("/login/", data=typed))
    token_login = {"username": "eddie", "password": PASSWORD, "provider": "db"}
    assert_unavailable(app.test_client().post("/api/v1/security/login", json=token_login))

    proxy.start()
    assert editor.get("/authors/list/").status_code == 200
    created = editor.api("POST", "/api/v1/author/", json={"name": "Made after"})
    assert created.status_code == 201
    assert author_names(app) == {"Made after"}
    assert login_page.login("eddie")
    assert login_page.get("/songs/list/").status_code == 200


def test_a_connection_lost_mid_request_is_a_503_and_the_log_keeps_the_user(
    database_behind_a_proxy, caplog
):
    """The line breaks after the signed-in user was loaded: while a page counts the authors,
    while the JSON API does (FAB catches its errors itself), while the API writes one (FAB
    reports a failed write as a refusal). A 503 each, drawn without the database, whose
    log line still names the user; once the line is mended the same request works, and the
    write made during the break was not kept."""
    app, proxy = database_behind_a_proxy
    editor = signed_in(app, "eddie")
    token = csrf_token(editor.get("/authors/add").get_data(as_text=True))
    with app.app_context():
        engine = db.engine
    caplog.set_level(logging.INFO, logger="app.requests")
    steps = [
        ("GET", "/authors/list/", "FROM catalog_tally", 200),  # its count, from the counter
        ("GET", "/api/v1/author/", "FROM catalog_tally", 200),
        ("POST", "/api/v1/author/", "INSERT INTO author", 201),
    ]
    for method, address, statement_part, works in steps:
        caplog.clear()

        def cut_on(_conn, _cursor, statement, *_args, part=statement_part):
            if part in statement:
                proxy.cut()

        def send(method=method, address=address):
            written = {"name": "Written"}
            headers = {"X-CSRFToken": token}
            return editor.client.open(address, method=method, json=written, headers=headers)

        event.listen(engine, "before_cursor_execute", cut_on)
        try:
            down = send()
        finally:
            event.remove(engine, "before_cursor_execute", cut_on)
        assert_unavailable(down)
        [line] = [r for r in caplog.records if r.name == "app.requests"]
        assert (line.status, line.path) == (503, address)
        assert line.user_id is not None
        proxy.start()
        assert author_names(app) == set()
        assert send().status_code == works
    assert author_names(app) == {"Written"}
    page = editor.get("/authors/list/").get_data(as_text=True)
    assert re.search(r"eddie|Eddie", page)


def test_a_connection_lost_after_the_answer_costs_nothing(database_behind_a_proxy):
    """The line breaks once the page is made, before the request's session is closed:
    the user gets the page, not a server error, and the following requests work."""
    app, proxy = database_behind_a_proxy
    cut_next = []

    @app.after_request
    def cut_after_answer(response):
        if cut_next:
            cut_next.clear()
            proxy.cut()
        return response

    editor = signed_in(app, "eddie")
    cut_next.append(True)
    assert editor.get("/authors/list/").status_code == 200
    proxy.start()
    assert editor.get("/authors/list/").status_code == 200
    assert editor.api("POST", "/api/v1/author/", json={"name": "Still here"}).status_code == 201
    assert author_names(app) == {"Still here"}


def test_a_form_whose_write_loses_the_database_says_so(database_behind_a_proxy):
    """An editor adds an author and the line breaks as the row is written: the page says
    the database could not be reached and nothing was saved (not that it refused the
    change), and once it is back the same form saves."""
    app, proxy = database_behind_a_proxy
    editor = signed_in(app, "eddie")
    with app.app_context():
        engine = db.engine

    def cut_on_insert(_conn, _cursor, statement, *_args):
        if "INSERT INTO author" in statement:
            proxy.cut()

    event.listen(engine, "before_cursor_execute", cut_on_insert)
    try:
        failed = editor.submit("/authors/add", {"name": "Lost in the break"})
    finally:
        event.remove(engine, "before_cursor_execute", cut_on_insert)
    proxy.start()
    assert failed.status_code == 302
    shown = editor.get(failed.headers["Location"]).get_data(as_text=True)
    assert "The database could not be reached, so nothing was saved" in shown
    assert "refused" not in shown
    assert author_names(app) == set()
    saved = editor.submit("/authors/add", {"name": "Lost in the break"})
    assert saved.status_code == 302
    assert author_names(app) == {"Lost in the break"}


def test_an_upload_whose_write_loses_the_database_comes_back(database_behind_a_proxy):
    """PostgreSQL restarts as a song is written: the add form comes back as a 503 with the
    title typed, the file kept for the next try and the reference; nothing was saved (no
    row, no stored file). Sent again, the kept file makes the song."""
    app, proxy = database_behind_a_proxy
    editor = signed_in(app, "eddie")
    with app.app_context():
        engine = db.engine
    upload_folder = Path(app.config["UPLOAD_FOLDER"])

    restarts = []

    def restart_on_insert(_conn, _cursor, statement, *_args):
        if "INSERT INTO song" in statement and not restarts:
            restarts.append(statement)
            proxy.cut()
            proxy.start()

    # No album chosen: the file's tags make its author and album, which the lost
    # transaction takes with it.
    typed = {"title": "Written in the break", "album": ""}
    sent = {**typed, "audio_file": ((AUDIO / "morning-light.mp3").open("rb"), "morning.mp3")}
    event.listen(engine, "before_cursor_execute", restart_on_insert)
    try:
        down = editor.submit("/songs/add", sent)
    finally:
        event.remove(engine, "before_cursor_execute", restart_on_insert)
    assert down.status_code == 503
    assert down.headers["Retry-After"] == "30"
    page = down.get_data(as_text=True)
    assert "The database could not be reached, so nothing was saved" in page
    assert f"Reference for an administrator: {down.headers['X-Request-ID']}" in page
    assert 'value="Written in the break"' in page
    token = KEPT.search(page).group(1)
    assert song_titles(app) == set()
    assert author_names(app) == set()
    # Only the copy kept for the next try (in the staging area): no song file.
    assert [path.parent.name for path in files_in(upload_folder)] == ["staged"]

    again = editor.submit("/songs/add", {**typed, "audio_file_staged": token})
    assert again.status_code == 302
    assert song_titles(app) == {"Written in the break"}
    kept = [path.parent.name for path in files_in(upload_folder)]
    assert sorted(kept) == ["covers", upload_folder.name]  # the song and its embedded art


def song_titles(app) -> set[str]:
    """The songs in the catalog."""
    with app.app_context():
        return set(db.session.scalars(select(Song.title)))

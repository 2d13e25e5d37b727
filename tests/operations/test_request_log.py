"""One log line per request, tied to its request id: in the response, the log and error pages."""

import json
import logging
import re
from urllib.parse import quote

import pytest

from app.logs import JsonFormatter, TextFormatter
from config import load_config
from tests.site.test_error_pages import failing_routes
from tests.support.apps import PASSWORD
from tests.support.forms import Browser

FRESH_ID = re.compile(r"[0-9a-f]{32}")


def request_lines(caplog) -> list[logging.LogRecord]:
    """The request log's records."""
    return [record for record in caplog.records if record.name == "app.requests"]


def test_each_request_logs_one_line_with_the_proxys_id(app, login_as, users, caplog):
    """The id a proxy sent comes back and is logged with method, path, status, time and user."""
    listener = login_as("Listener")
    caplog.set_level(logging.INFO, logger="app.requests")
    response = listener.get("/songs/list/", headers={"X-Request-ID": "edge-7f3a.42"})
    assert response.headers["X-Request-ID"] == "edge-7f3a.42"
    [line] = request_lines(caplog)
    assert (line.request_id, line.method, line.path, line.status) == (
        "edge-7f3a.42",
        "GET",
        "/songs/list/",
        200,
    )
    assert line.duration_ms > 0
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=users["Listener"])
        assert line.user_id == user.id
    assert line.getMessage().startswith(f"GET /songs/list/ 200 {line.duration_ms}ms user={user.id}")


@pytest.mark.parametrize("offered", [None, "", "a b", "x" * 129, "<script>"])
def test_a_missing_or_unsafe_request_id_is_replaced(browser, caplog, offered):
    """Without a usable id (one could forge log lines), the request gets a fresh one."""
    caplog.set_level(logging.INFO, logger="app.requests")
    headers = {} if offered is None else {"X-Request-ID": offered}
    response = browser.get("/login/", headers=headers)
    request_id = response.headers["X-Request-ID"]
    assert FRESH_ID.fullmatch(request_id)
    [line] = request_lines(caplog)
    assert (line.request_id, line.user_id) == (request_id, None)


def test_one_time_secrets_in_addresses_stay_out_of_the_log(browser, caplog):
    """A password-reset link's token is logged as the route's pattern, not as itself."""
    caplog.set_level(logging.INFO, logger="app.requests")
    browser.get("/reset-password/very-secret-token-value")
    [line] = request_lines(caplog)
    assert "very-secret-token-value" not in line.getMessage()
    assert line.path == "/reset-password/<string:token>"


@pytest.mark.parametrize(
    "address",
    [
        "/shared/very-secret-token-value/",
        "/shared//very-secret-token-value/tracks",
        "/reset-password/very-secret-token-value/x",
    ],
)
def test_a_secret_in_an_address_no_route_takes_stays_out_of_the_log(browser, caplog, address):
    """A pasted link with a slash too many (404) or doubled slashes (a redirect) takes no
    route, so no pattern stands in: the segment after the secret route's prefix is masked,
    and the next visit still logs a plain path whole."""
    caplog.set_level(logging.INFO, logger="app.requests")
    assert browser.get(address).status_code in (308, 404)
    browser.get("/login/")
    secret_line, plain_line = request_lines(caplog)
    assert "very-secret-token-value" not in secret_line.getMessage()
    assert "<token>" in secret_line.path
    assert plain_line.path == "/login/"


def test_a_server_error_shows_the_reference_its_log_lines_carry(standalone_app, visit, caplog):
    """The 500 page's reference finds the logged exception and the request line."""
    app = standalone_app(PROPAGATE_EXCEPTIONS=False)
    failing_routes(app)
    caplog.set_level(logging.INFO, logger="app.requests")
    response = visit(app).get("/test/fail")
    request_id = response.headers["X-Request-ID"]
    assert f"<code>{request_id}</code>" in response.get_data(as_text=True)
    [failure] = [record for record in caplog.records if record.exc_info]
    assert failure.request_id == request_id
    [line] = request_lines(caplog)
    assert (line.request_id, line.status) == (request_id, 500)


def test_json_lines_carry_the_request_fields(browser, caplog):
    """LOG_FORMAT=json writes each record as one JSON object with the request's fields."""
    caplog.set_level(logging.INFO, logger="app.requests")
    response = browser.get("/login/", headers={"X-Request-ID": "lb-1"})
    [line] = request_lines(caplog)
    written = JsonFormatter().format(line)
    assert "\n" not in written
    fields = json.loads(written)
    assert fields["request_id"] == response.headers["X-Request-ID"] == "lb-1"
    assert (fields["method"], fields["path"], fields["status"]) == ("GET", "/login/", 200)
    assert fields["user_id"] is None
    assert (fields["level"], fields["logger"]) == ("INFO", "app.requests")


def test_an_unknown_log_format_is_refused(monkeypatch):
    """A typo in LOG_FORMAT stops the start with the choices, instead of logging unreadably."""
    monkeypatch.setenv("LOG_FORMAT", "jsno")
    with pytest.raises(ValueError, match="LOG_FORMAT must be one of text, json"):
        load_config("development")


def redirect_warnings(caplog) -> list[str]:
    """FAB's warnings about an unsafe redirect target."""
    return [r.getMessage() for r in caplog.records if "Invalid redirect" in r.getMessage()]


def test_a_login_without_next_is_not_a_warning_but_an_unsafe_next_is(browser, users, caplog):
    """FAB warns of an "invalid redirect" at every plain login; only a foreign `next` is one."""
    caplog.set_level(logging.WARNING)
    assert browser.login(users["Listener"])
    assert redirect_warnings(caplog) == []
    browser.logout()
    page = "/login/?next=https://evil.example.org/"
    answer = browser.submit(page, {"username": users["Listener"], "password": PASSWORD})
    assert answer.status_code == 302
    assert "evil.example.org" not in answer.headers["Location"]
    assert redirect_warnings(caplog) == ["Invalid redirect detected, falling back to index"]


FORGED = "2001-02-03 10:00:00,000 INFO app.audit [-]: event=login username=admin outcome=success"


@pytest.mark.parametrize("formatter", [TextFormatter(), JsonFormatter()], ids=["text", "json"])
def test_no_client_can_forge_a_log_line_or_write_a_long_one(app, users, caplog, formatter):
    """A newline in a path, a 50 KB path, a username full of line breaks at both login doors
    and an exception whose text holds a line: every record is one line of a few KB."""
    caplog.set_level(logging.INFO, logger="app")
    client = app.test_client()
    assert client.get("/songs/%0A" + quote(FORGED)).status_code == 404
    assert client.get("/" + "p" * 50_000).status_code == 404
    typed = ("\r\n" + FORGED) * 3
    assert Browser(client).login(typed, "wrong password") is False
    token = client.post("/api/v1/security/login", json={"username": typed, "password": "x"})
    assert token.status_code == 401
    logging.getLogger("app.test").warning("a value a client sent: %s", "v" * 100_000)
    try:
        raise ValueError("failed\n" + FORGED)
    except ValueError:
        logging.getLogger("app.test").exception("a failure's text is the client's")
    lines = [formatter.format(record) for record in caplog.records]
    assert len(lines) >= 8  # four request lines, two audit lines, the value, the failure
    for line in lines:
        assert len(line.encode()) < 8 * 1024
        _first, *trace = line.split("\n")
        assert "\r" not in line
        assert all(part.startswith("    ") for part in trace), line
    assert not any(part.startswith(FORGED[:10]) for line in lines for part in line.split("\n"))

"""Redis (the rate-limit store) down: people sign in, search and export as before, the limits
count in each process's memory, readiness names Redis, and counting goes back to Redis."""

import logging
import threading
import time
import uuid

import pytest

from tests.api.test_api_tokens import token_login
from tests.support.apps import PASSWORD, ROLE_USERS, add_role_users, captcha_settings
from tests.support.forms import Browser, csrf_token
from tests.support.redis_server import RedisServer

LISTENER, EDITOR = ROLE_USERS["Listener"], ROLE_USERS["Editor"]
#: Seconds Flask-Limiter may take to find Redis again (it checks at 1, 2, 4 ... 32 s).
RECOVERY_SECONDS = 70


@pytest.fixture
def redis_server():
    """A Redis of the test's own, started; stopped at the end whatever state it is in."""
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def redis_app(standalone_app, redis_server):
    """Make an app counting its limits in the test's Redis (under a prefix of its own),
    with a user per role: redis_app(SETTING=...)."""

    def make(**settings):
        app = standalone_app(
            RATELIMIT_STORAGE_URI=redis_server.url,
            RATELIMIT_KEY_PREFIX=f"outage-{uuid.uuid4().hex[:8]}",
            **settings,
        )
        add_role_users(app)
        return app

    return make


def log_in(app, username: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    """A login through the form in a fresh browser: (browser, the POST's response)."""
    visitor = Browser(app.test_client())
    environ = {"environ_base": {"REMOTE_ADDR": address}}
    response = visitor.submit("/login/", {"username": username, "password": password}, **environ)
    return visitor, response


def signed_in(response) -> bool:
    """Whether a login response let the visitor in (FAB redirects either way)."""
    return response.status_code == 302 and "/login/" not in response.headers["Location"]


def fallback_warnings(caplog) -> list[str]:
    """The log's warnings that the rate-limit store failed."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno == logging.WARNING
        and (
            "storage unreachable" in record.getMessage()
            or "store, which failed" in record.getMessage()
        )
    ]


def exported(visitor, url: str = "/songs/export.csv") -> str:
    """An export let through, read to its end (which gives its slot back)."""
    response = visitor.get(url)
    assert response.status_code == 200
    with response:
        return response.get_data(as_text=True)


def keys_after(redis_server, pattern: str, request) -> list[str]:
    """Repeat a request until Redis holds keys matching the pattern (counting resumed)."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while not (found := redis_server.keys(pattern)):
        assert time.monotonic() < deadline, f"nothing counted in Redis under {pattern}"
        assert request().status_code == 200
        time.sleep(0.2)
    return found


def test_people_sign_in_search_and_write_while_redis_is_down(redis_app, redis_server, caplog):
    """Stop Redis: the login form (wrong and right passwords), the token login, the search,
    a picker, an export, an API write and the account forms answer as usual; one warning in
    the log; readiness is 503 naming Redis. Start it again: the counts are back in Redis."""
    app = redis_app()
    prefix = app.config["RATELIMIT_KEY_PREFIX"]
    listener, response = log_in(app, LISTENER)
    assert signed_in(response)
    assert redis_server.keys(f"*{prefix}*login*")
    redis_server.stop()

    _, wrong = log_in(app, LISTENER, "wrong guess")
    assert not signed_in(wrong)
    assert wrong.status_code == 302
    editor, right = log_in(app, EDITOR)
    assert signed_in(right)
    assert token_login(app, LISTENER).json["token_type"] == "Bearer"
    assert token_login(app, LISTENER, "wrong guess").status_code == 401
    found = listener.get("/search/?q=anything")
    assert (found.status_code, found.json["q"]) == (200, "anything")
    assert listener.get("/search/authors/choices?q=a").json["results"] == []
    assert exported(listener, "/authors/export.csv").startswith("\ufeff")
    made = editor.api("POST", "/api/v1/author/", json={"name": "Written meanwhile"})
    assert made.status_code == 201
    wrong_current = {"current_password": "a guess", "password": "x", "conf_password": "x"}
    changed = editor.submit("/resetmypassword/form", wrong_current)
    assert "That is not your current password." in changed.get_data(as_text=True)
    forgot = Browser(app.test_client()).submit("/forgot-password/form", {"email": "a@b.org"})
    assert forgot.status_code == 200
    assert len(fallback_warnings(caplog)) == 1

    ready = listener.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json["checks"]["rate_limits"] == {
        "status": "failing",
        "error": "RedisUnreachable",
        "ms": ready.json["checks"]["rate_limits"]["ms"],
    }
    assert str(redis_server.port) not in ready.get_data(as_text=True)

    redis_server.start()
    keys_after(redis_server, f"*{prefix}*Search*", lambda: listener.get("/search/?q=back"))
    _, wrong = log_in(app, LISTENER, "wrong again")
    assert not signed_in(wrong)
    assert redis_server.keys(f"*{prefix}/login-failures/*")
    assert listener.get("/health/ready").status_code == 200
    assert len(fallback_warnings(caplog)) == 1


def test_the_login_limit_still_refuses_in_each_process_while_redis_is_down(redis_app, redis_server):
    """With Redis stopped, the per-(account, address) login budget is kept in memory: past
    it, right and wrong passwords get the readable 429 page; another address still logs in."""
    app = redis_app(RATELIMIT_LOGIN_ACCOUNT="3 per hour")
    redis_server.stop()
    for _ in range(3):
        _, wrong = log_in(app, LISTENER, "wrong guess")
        assert wrong.status_code == 302
        assert not signed_in(wrong)
    for password in ("wrong guess", PASSWORD):
        _, refused = log_in(app, LISTENER, password)
        assert refused.status_code == 429
        assert "Too many attempts" in refused.get_data(as_text=True)
    _, elsewhere = log_in(app, LISTENER, address="10.2.0.1")
    assert signed_in(elsewhere)


def test_failures_from_many_addresses_still_bring_the_captcha(
    redis_app, redis_server, captcha_server
):
    """The account's failures from everywhere are counted in memory while Redis is down:
    past their budget, the login form asks for the captcha."""
    app = redis_app(RATELIMIT_LOGIN_FAILURES="3 per hour", **captcha_settings(captcha_server))
    redis_server.stop()
    for address in range(4):
        _, wrong = log_in(app, LISTENER, "wrong guess", address=f"10.3.0.{address}")
        assert not signed_in(wrong)
    owner, refused = log_in(app, LISTENER)
    assert not signed_in(refused)
    page = owner.get(refused.headers["Location"]).get_data(as_text=True)
    assert "confirm you are not a robot" in page


def test_exports_are_counted_in_memory_when_they_find_redis_down_first(
    redis_app, redis_server, caplog
):
    """An export is the first to find Redis stopped: its limit is kept in the process's
    memory from then on (said once in the log), so a third export in the window waits."""
    app = redis_app(RATELIMIT_EXPORT="2 per 10 minutes")
    listener, response = log_in(app, LISTENER)
    assert signed_in(response)
    redis_server.stop()
    for _ in range(2):
        assert exported(listener).startswith("\ufeff")
    refused = listener.get("/songs/export.csv")
    assert refused.status_code == 429
    assert "You have exported as many lists as allowed" in refused.get_data(as_text=True)
    [warning] = fallback_warnings(caplog)
    assert warning.startswith("Export limits not checked in the rate-limit store")


def test_a_frozen_redis_costs_a_login_seconds_not_a_server_error(redis_app, redis_server):
    """A Redis that accepts connections and never answers (paused): a login waits about a
    second per try of Redis, not redis-py's five, and readiness fails as quickly."""
    app = redis_app()
    redis_server.pause()
    started = time.monotonic()
    _, response = log_in(app, LISTENER)
    assert signed_in(response)
    assert time.monotonic() - started < 4
    started = time.monotonic()
    assert Browser(app.test_client()).get("/health/ready").status_code == 503
    assert time.monotonic() - started < 2
    redis_server.resume()


def test_a_database_outage_is_not_taken_for_a_redis_one(database_behind_a_proxy, caplog):
    """PostgreSQL cut: a login, a signed-in editor's API write and password change answer
    their 503, and the limits (keyed by the user, which cannot be loaded) do not log (nor
    act as if) the rate-limit store had failed."""
    app, proxy = database_behind_a_proxy
    visitor = app.test_client()
    token = csrf_token(visitor.get("/login/").get_data(as_text=True))
    editor = Browser(app.test_client())
    assert editor.login("eddie")
    page = editor.get("/resetmypassword/form").get_data(as_text=True)
    editor_token = csrf_token(page)
    proxy.cut()
    typed = {"username": LISTENER, "password": PASSWORD, "csrf_token": token}
    response = visitor.post("/login/", data=typed)
    assert response.status_code == 503
    assert "The catalog is unavailable for a moment" in response.get_data(as_text=True)
    headers = {"X-CSRFToken": editor_token}
    written = editor.client.post("/api/v1/author/", json={"name": "X"}, headers=headers)
    assert written.status_code == 503
    change = {"csrf_token": editor_token, "current_password": "wrong", "password": "x" * 20}
    assert editor.client.post("/resetmypassword/form", data=change).status_code == 503
    assert fallback_warnings(caplog) == []


def test_with_limits_turned_off_nothing_asks_the_store(standalone_app, visit):
    """RATELIMIT_ENABLED=false: a wrong password is a plain failed login (no count of
    failures to keep), and readiness has no rate-limit store to wait for."""
    app = standalone_app(RATELIMIT_ENABLED=False)
    add_role_users(app)
    _, wrong = log_in(app, LISTENER, "wrong guess")
    assert wrong.status_code == 302
    assert not signed_in(wrong)
    ready = visit(app).get("/health/ready")
    assert ready.status_code == 200
    assert ready.json["checks"]["rate_limits"]["status"] == "ok"


def test_redis_lost_while_the_answer_is_made_is_not_a_server_error(redis_app, redis_server):
    """Redis stops answering after a search was let through, while Flask-Limiter reads it
    for its headers, and meanwhile another thread of the worker finds it gone and switches
    to memory (the race the fault drill met under load): the visitor gets the search, not a
    server error, and the next searches are counted in memory."""
    app = redis_app()
    limiter = app.appbuilder.sm.limiter
    lose_redis = []

    def another_thread_finds_out():
        limiter._storage_dead = True  # what Flask-Limiter's own fallback sets

    @app.after_request
    def redis_freezes_now(response):
        # Runs before Flask-Limiter's own after_request (registered earlier), which then
        # waits for the frozen Redis (1 s) while the other thread switches to memory.
        if lose_redis:
            lose_redis.clear()
            redis_server.pause()
            threading.Timer(0.3, another_thread_finds_out).start()
        return response

    visitor, _ = log_in(app, LISTENER)
    assert visitor.get("/search/?q=ri").status_code == 200
    lose_redis.append(True)
    assert visitor.get("/search/?q=ri").status_code == 200
    for _ in range(2):
        again = visitor.get("/search/?q=ri")
        assert again.status_code == 200
        assert int(again.headers["X-RateLimit-Remaining"]) >= 0
    redis_server.resume()

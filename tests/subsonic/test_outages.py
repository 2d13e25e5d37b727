"""Parts of the site down under /rest/: Redis (the store of the sign-in failure counts) stopped
or frozen, the database cut. Music apps get their answers or the app's 503 (error 0 with
Retry-After), never a server error, and everything comes back by itself."""

import logging
import time

from app.extensions import db
from app.security.app_passwords import cipher_for, create
from app.subsonic.registry import METHODS
from tests.operations import test_redis_outage
from tests.subsonic.conftest import token_params
from tests.subsonic.hostile import subsonic_content, tracebacks
from tests.support.apps import ROLE_USERS

LISTENER = ROLE_USERS["Listener"]
RECOVERY_SECONDS = test_redis_outage.RECOVERY_SECONDS
#: The Redis outage tests' fixtures: a Redis of the test's own, an app counting in it.
redis_server = test_redis_outage.redis_server
redis_app = test_redis_outage.redis_app


def app_password_of(app, username: str = LISTENER) -> str:
    """A new app password of a user of the app, in clear."""
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        return create(db.session, cipher_for(app.config), user.id, "Phone")[1]


def call(app, method: str, address: str = "127.0.0.1", wants_json: bool = True, **params):
    """A checked Subsonic answer (never a server error) and its HTTP status."""
    if wants_json:
        params["f"] = "json"
    environ = {"REMOTE_ADDR": address}
    response = app.test_client().get(
        f"/rest/{method}", query_string={"v": "1.16.1", "c": "tests", **params},
        environ_base=environ,
    )  # fmt: skip
    with response:
        return subsonic_content(response, wants_json, outage=True), response


def code(content: dict) -> int | None:
    """The error code of an answer, None for ok."""
    return None if content["status"] == "ok" else int(content["error"]["code"])


def test_sign_in_and_calls_carry_on_while_redis_is_down(redis_app, redis_server, caplog):
    """Stop Redis: a right token and an apiKey answer, a wrong password is error 40, and the
    failure budget still refuses past its size (counted in memory); start Redis again: with
    only /rest/ traffic, failures are counted in Redis again and sign-ins carry on."""
    caplog.set_level(logging.WARNING)
    app = redis_app(AUTH_RATE_LIMIT="4 per hour")
    prefix = app.config["RATELIMIT_KEY_PREFIX"]
    password = app_password_of(app)
    assert code(call(app, "ping", **token_params(LISTENER, password))[0]) is None
    assert code(call(app, "ping", **token_params(LISTENER, "wrong"))[0]) == 40
    assert redis_server.keys(f"*{prefix}*subsonic-failures*")
    redis_server.stop()

    assert code(call(app, "getMusicFolders", **token_params(LISTENER, password))[0]) is None
    assert code(call(app, "getSong", apiKey=password, id="tr-999")[0]) == 70
    for _ in range(4):
        wrong = call(app, "ping", address="10.9.0.1", **token_params(LISTENER, "wrong"))[0]
        assert (code(wrong), wrong["error"]["message"]) == (40, "Wrong username or password.")
    refused = call(app, "ping", address="10.9.0.1", **token_params(LISTENER, password))[0]
    assert code(refused) == 40
    assert "Too many failed sign-ins" in refused["error"]["message"]
    assert code(call(app, "ping", address="10.9.0.2", apiKey=password)[0]) is None

    redis_server.start()
    deadline = time.monotonic() + RECOVERY_SECONDS
    attempt = 0
    while not redis_server.keys(f"*{prefix}*subsonic-failures*10.8.*"):
        assert time.monotonic() < deadline, "Subsonic failures never counted in Redis again"
        attempt += 1
        address = f"10.8.{attempt // 200}.{attempt % 200}"
        assert code(call(app, "ping", address=address, apiKey=password)[0]) is None
        assert code(call(app, "ping", address=address, **token_params(LISTENER, "no"))[0]) == 40
        time.sleep(0.2)
    assert code(call(app, "ping", **token_params(LISTENER, password))[0]) is None
    assert tracebacks(caplog.records) == []


def test_a_frozen_redis_costs_a_sign_in_seconds_not_a_server_error(redis_app, redis_server):
    """Redis accepting connections and never answering: a wrong and a right sign-in each
    answer within a few seconds, as they should."""
    app = redis_app()
    password = app_password_of(app)
    redis_server.pause()
    try:
        started = time.monotonic()
        assert code(call(app, "ping", **token_params(LISTENER, "wrong"))[0]) == 40
        assert code(call(app, "getLicense", wants_json=False, apiKey=password)[0]) is None
        assert time.monotonic() - started < 8
    finally:
        redis_server.resume()


def test_every_method_answers_503_while_the_database_is_gone(database_behind_a_proxy, caplog):
    """PostgreSQL cut: every registered method, signed in by apiKey or token, answers error 0
    with HTTP 503 and Retry-After in either format (the public extensions list still answers
    without credentials); once the line is mended the same password works again."""
    caplog.set_level(logging.WARNING)
    app, proxy = database_behind_a_proxy
    password = app_password_of(app)
    assert code(call(app, "ping", apiKey=password)[0]) is None
    proxy.cut()
    for number, method in enumerate(sorted(METHODS)):
        wants_json = number % 2 == 0
        signed = {"apiKey": password} if number % 3 else token_params(LISTENER, password)
        content, response = call(app, method, wants_json=wants_json, id="tr-1", **signed)
        assert (response.status_code, code(content)) == (503, 0), method
        assert int(response.headers["Retry-After"]) >= 30
        assert "unavailable" in content["error"]["message"]
    public, _ = call(app, "getOpenSubsonicExtensions")
    assert code(public) is None
    proxy.start()
    assert code(call(app, "ping", apiKey=password)[0]) is None
    folders, _ = call(app, "getMusicFolders", wants_json=False, **token_params(LISTENER, password))
    assert code(folders) is None
    assert [r for r in tracebacks(caplog.records) if "a service is down" not in r] == []

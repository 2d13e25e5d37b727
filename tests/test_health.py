"""Health checks for balancers, and what people see while a shared service is down."""

import pytest
from sqlalchemy import make_url

from app import create_app
from tests.servers import TcpProxy, free_port
from tests.support import Browser, build_app, postgres_url, scratch_postgres

UNAVAILABLE = "The catalog is unavailable for a moment"


def test_liveness_and_readiness_answer_anyone(browser):
    """No login, no cookie, no cache: the process is live and every shared service answers."""
    live = browser.get("/health/live")
    assert (live.status_code, live.json) == (200, {"status": "live"})
    ready = browser.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json["status"] == "ready"
    assert set(ready.json["checks"]) == {"database", "rate_limits", "storage"}
    for check in ready.json["checks"].values():
        assert check["status"] == "ok"
        assert check["ms"] >= 0
    for response in (live, ready):
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"


def test_health_checks_are_never_rate_limited(standalone_app, visit):
    """A balancer polling every second is not a client to slow down."""
    visitor = visit(standalone_app(RATELIMIT_DEFAULT="2 per minute"))
    assert [visitor.get("/health/ready").status_code for _ in range(5)] == [200] * 5
    assert [visitor.get("/health/live").status_code for _ in range(5)] == [200] * 5
    assert [visitor.get("/login/").status_code for _ in range(3)] == [200, 200, 429]


def test_readiness_fails_with_the_service_that_fails(standalone_app, visit, tmp_path):
    """An unreachable Redis and an unusable file store each turn readiness to 503, named,
    with no address or credential in the answer."""
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    app = standalone_app(
        RATELIMIT_STORAGE_URI=f"redis://:hunter2@127.0.0.1:{free_port()}/0",
        UPLOAD_FOLDER=str(blocked / "uploads"),
    )
    ready = visit(app).get("/health/ready")
    assert ready.status_code == 503
    assert ready.json["status"] == "unavailable"
    checks = ready.json["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["rate_limits"]["status"] == checks["storage"]["status"] == "failing"
    assert "hunter2" not in ready.get_data(as_text=True)
    assert "127.0.0.1" not in ready.get_data(as_text=True)


@pytest.fixture
def database_behind_a_proxy(tmp_path):
    """(app, proxy): a migrated app whose PostgreSQL connections go through a TcpProxy."""
    direct = make_url(scratch_postgres(postgres_url()))
    proxy = TcpProxy(direct.host or "127.0.0.1", direct.port or 5432).start()
    proxied = direct.set(host="127.0.0.1", port=proxy.port)
    app = build_app(
        proxied.render_as_string(hide_password=False),
        tmp_path / "uploads",
        CATALOG_PUBLIC_BROWSE=True,
        DATABASE_CONNECT_TIMEOUT=2,
    )
    yield app, proxy
    proxy.cut()


def test_a_lost_database_is_a_503_page_and_comes_back_by_itself(database_behind_a_proxy):
    """While PostgreSQL is unreachable pages say so (503, Retry-After) and readiness fails;
    once it is back the next request works, on the same app, with no restart."""
    app, proxy = database_behind_a_proxy
    visitor = Browser(app.test_client())
    assert visitor.get("/songs/list/").status_code == 200
    proxy.cut()
    down = visitor.get("/songs/list/")
    assert down.status_code == 503
    assert down.headers["Retry-After"] == "30"
    page = down.get_data(as_text=True)
    assert UNAVAILABLE in page
    assert f"<code>{down.headers['X-Request-ID']}</code>" in page
    ready = visitor.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json["checks"]["database"]["status"] == "failing"
    assert visitor.get("/health/live").status_code == 200
    proxy.start()
    assert visitor.get("/songs/list/").status_code == 200
    assert visitor.get("/health/ready").status_code == 200


def test_a_database_restart_between_requests_costs_no_request(database_behind_a_proxy):
    """Pooled connections that a restart broke are replaced before use, not shown as errors."""
    app, proxy = database_behind_a_proxy
    visitor = Browser(app.test_client())
    assert visitor.get("/songs/list/").status_code == 200
    proxy.cut()
    proxy.start()
    assert visitor.get("/songs/list/").status_code == 200


def test_an_app_started_while_the_database_is_down_waits_for_it(database_behind_a_proxy, tmp_path):
    """A worker started during an outage (production syncs nothing at start) answers 503
    until the database is back, then works: no crash loop."""
    app, proxy = database_behind_a_proxy
    proxy.cut()
    settings = {name: app.config[name] for name in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER")}
    started_in_outage = create_app(
        "testing", **settings, FAB_UPDATE_PERMS=False, CATALOG_PUBLIC_BROWSE=True
    )
    visitor = Browser(started_in_outage.test_client())
    assert visitor.get("/songs/list/").status_code == 503
    proxy.start()
    assert visitor.get("/songs/list/").status_code == 200

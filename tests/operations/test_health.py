"""Health checks for balancers, and what people see while a shared service is down."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import event

from app import create_app
from app.extensions import db
from tests.support.forms import Browser
from tests.support.network import free_port

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


def database_checks(app) -> list[str]:
    """The readiness database checks (`SELECT 1`) the app runs from now on."""
    sent: list[str] = []

    def record(_connection, _cursor, statement, *_args) -> None:
        if statement == "SELECT 1":
            sent.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
    return sent


def break_file_store(app) -> None:
    """Make the upload folder unusable: a file where the folder was."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text("not a folder")


def test_readiness_is_reused_for_its_interval(standalone_app, visit):
    """With HEALTH_READY_SECONDS=60 a flood of probes runs the checks once: a store that
    breaks meanwhile changes no answer, no check queries the database again, and each
    answer says how old it is; the answer is still public and no-store."""
    app = standalone_app(HEALTH_READY_SECONDS=60)
    checks_run = database_checks(app)
    probe = visit(app)
    first = probe.get("/health/ready")
    assert first.status_code == 200
    assert first.json["age"] >= 0
    break_file_store(app)
    for _ in range(20):
        again = probe.get("/health/ready")
        assert again.status_code == 200
        assert again.json["checks"] == first.json["checks"]
        assert again.json["age"] >= first.json["age"]
        assert again.headers["Cache-Control"] == "no-store"
    assert checks_run == ["SELECT 1"]


def test_readiness_without_an_interval_checks_every_time(standalone_app, visit):
    """With HEALTH_READY_SECONDS=0 (the tests' setting) each probe runs every check: the
    broken store shows at once."""
    app = standalone_app(HEALTH_READY_SECONDS=0)
    checks_run = database_checks(app)
    probe = visit(app)
    assert probe.get("/health/ready").status_code == 200
    break_file_store(app)
    down = probe.get("/health/ready")
    assert down.status_code == 503
    assert down.json["checks"]["storage"]["status"] == "failing"
    assert down.json["age"] >= 0
    assert checks_run == ["SELECT 1", "SELECT 1"]


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


@pytest.mark.parametrize("syncs_at_start", [False, True], ids=["production", "development"])
def test_an_app_started_while_the_database_is_down_waits_for_it(
    database_behind_a_proxy, syncs_at_start
):
    """A worker started during an outage answers 503 until the database is back, then
    works: no crash loop. Production syncs nothing at start; development's sync of roles is
    skipped with a log line rather than failing the start (and every `flask` command)."""
    app, proxy = database_behind_a_proxy
    proxy.cut()
    settings = {name: app.config[name] for name in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER")}
    started_in_outage = create_app(
        "testing", **settings, FAB_UPDATE_PERMS=syncs_at_start, CATALOG_PUBLIC_BROWSE=True
    )
    visitor = Browser(started_in_outage.test_client())
    assert visitor.get("/songs/list/").status_code == 503
    proxy.start()
    assert visitor.get("/songs/list/").status_code == 200

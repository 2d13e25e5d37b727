"""Operator commands that meet the object store and the database: `check-files` exit statuses
with one readable line when it cannot check, `create-bucket`, and a quiet `sync-roles`."""

import logging
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
from flask_appbuilder import const as fab_messages
from sqlalchemy import make_url

from app.extensions import db
from app.media.configured_stores import S3_CLIENT
from app.security.roles import FAB_SECURITY_LOGGER, quiet_about_old_names_already_gone
from tests.operations.test_commands import flask_on
from tests.support.apps import build_app, mail_settings
from tests.support.databases import fresh_database_url
from tests.support.network import TcpProxy, free_port


def proxied(endpoint: str) -> TcpProxy:
    """A line to the object store that the test can cut."""
    address = urlsplit(endpoint)
    return TcpProxy(address.hostname, address.port).start()


def run(app, *args: str):
    """`flask catalog ...` on the app, as click runs it (stdout and stderr apart)."""
    return app.test_cli_runner().invoke(args=["catalog", *args])


def one_line(result) -> str:
    """The single line a failed command wrote on stderr (no traceback, nothing else)."""
    assert result.stdout == "", result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_check_files_exits_0_1_or_2_and_says_why_it_could_not_check(
    standalone_app, s3_settings, object_store, bucket
):
    """All agree: 0. A stray object: 1, listed. The store gone: 2 and one line naming
    where it was, nothing of a traceback."""
    line = proxied(object_store.endpoint)
    app = standalone_app(**{**s3_settings, "S3_ENDPOINT_URL": f"http://127.0.0.1:{line.port}"})
    clean = run(app, "check-files")
    assert (clean.exit_code, clean.stdout) == (0, "All files and rows agree.\n")
    bucket.put("stray.mp3", b"left behind")
    found = run(app, "check-files", "--grace", "0")
    assert (found.exit_code, found.stdout) == (1, "orphaned file: stray.mp3\n")
    line.cut()
    failed = run(app, "check-files")
    assert failed.exit_code == 2
    assert one_line(failed) == (
        f"Could not check files: the object store at 127.0.0.1:{line.port} did not answer "
        "(EndpointConnectionError)."
    )


def test_a_missing_bucket_is_named_and_create_bucket_makes_it(
    standalone_app, s3_settings, object_store, monkeypatch
):
    """check-files names the missing bucket and the command that makes it; create-bucket
    makes it once, says it exists the second time; then the files check out. Wrong keys
    and a store that does not answer: exit 2, one line each."""
    name = f"ops-{uuid.uuid4().hex[:12]}"
    app = standalone_app(**{**s3_settings, "S3_BUCKET": name})
    host = urlsplit(object_store.endpoint).netloc
    missing = run(app, "check-files")
    assert missing.exit_code == 2
    assert one_line(missing) == (
        f"Could not check files: bucket '{name}' does not exist at {host} — "
        "create it with `flask catalog create-bucket`."
    )
    made = run(app, "create-bucket")
    assert (made.exit_code, made.stdout) == (0, f"Created bucket '{name}' at {host}.\n")
    again = run(app, "create-bucket")
    assert (again.exit_code, again.stdout) == (0, f"Bucket '{name}' at {host} already exists.\n")
    assert name in [b["Name"] for b in object_store.client().list_buckets()["Buckets"]]
    assert run(app, "check-files").stdout == "All files and rows agree.\n"

    # The same server restarted with a wrong secret key (boto3 keeps the credentials it
    # read in its default session: a new process reads them anew).
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    app.extensions.pop(S3_CLIENT)
    refused = run(app, "create-bucket")
    assert refused.exit_code == 2
    assert one_line(refused).startswith(
        f"Could not create the bucket: the object store at {host} refused the credentials "
        f"for bucket '{name}'"
    )
    # And with a store that does not answer at all.
    app.config["S3_ENDPOINT_URL"] = f"http://127.0.0.1:{free_port()}"
    app.extensions.pop(S3_CLIENT)
    silent = run(app, "create-bucket")
    assert silent.exit_code == 2
    assert "did not answer (EndpointConnectionError)." in one_line(silent)


def test_check_files_says_when_the_database_cannot_be_read(database_kind, breakable_app):
    """A PostgreSQL that cannot be reached, or an SQLite file that is not a database:
    exit 2 and one line naming the database and the driver's reason."""
    app, break_database = breakable_app
    assert run(app, "check-files").exit_code == 0
    break_database()
    failed = run(app, "check-files")
    assert failed.exit_code == 2
    line = one_line(failed)
    assert line.startswith("Could not check files: the database ")
    if database_kind == "postgresql":
        assert "could not be read (OperationalError: connection failed" in line
    else:
        assert "could not be read (DatabaseError: file is not a database)" in line


@pytest.fixture
def breakable_app(database_kind, tmp_path, smtp_server):
    """An app with local files whose database the test can break: (app, break_it). On
    PostgreSQL the app reaches the database through a line that is cut; SQLite's file is
    overwritten with bytes that are not a database."""
    url = fresh_database_url(database_kind, tmp_path)
    if database_kind == "postgresql":
        direct = make_url(url)
        line = TcpProxy(direct.host or "127.0.0.1", direct.port or 5432).start()
        url = direct.set(host="127.0.0.1", port=line.port).render_as_string(hide_password=False)
    app = build_app(url, tmp_path / "uploads", **mail_settings(smtp_server))

    def break_it() -> None:
        with app.app_context():
            db.engine.dispose()
        if database_kind == "postgresql":
            line.cut()
        else:
            Path(make_url(url).database).write_bytes(b"not a database " * 512)

    yield app, break_it
    with app.app_context():
        db.engine.dispose()


def test_sync_roles_and_help_on_a_fresh_database_print_no_warnings(database_kind, tmp_path):
    """Migrate a new database, sync roles, ask for help: no WARNING line anywhere (FAB
    warned about ten old permission names, on every start and every command)."""
    url = fresh_database_url(database_kind, tmp_path, number=2)
    for args in (("db", "upgrade"), ("catalog", "sync-roles"), ("--help",)):
        done = flask_on(url, tmp_path, *args)
        assert done.returncode == 0, done.stderr
        assert "WARNING" not in done.stdout + done.stderr, args
    assert done.stdout.startswith("Usage: ")


def test_only_the_nothing_to_delete_warnings_are_quiet(caplog):
    """While FAB cleans up, its "does not exist" warnings go; its other warnings stay."""
    fab_log = logging.getLogger(FAB_SECURITY_LOGGER)
    with caplog.at_level(logging.WARNING), quiet_about_old_names_already_gone():
        fab_log.warning(fab_messages.LOGMSG_WAR_SEC_DEL_VIEWMENU, "CatalogRoleModelView")
        fab_log.warning(fab_messages.LOGMSG_WAR_SEC_DEL_PERMISSION, "set_genre")
        fab_log.warning(fab_messages.LOGMSG_WAR_SEC_DEL_PERM_PVM, "can_list", "[...]")
    assert [r.getMessage() for r in caplog.records] == [
        "Refused to delete permission can_list, PVM exists [...]"
    ]
    fab_log.warning(fab_messages.LOGMSG_WAR_SEC_DEL_PERMISSION, "after")
    assert caplog.records[-1].getMessage() == "Refused to delete, permission after does not exist"

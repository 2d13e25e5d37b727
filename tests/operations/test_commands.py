"""Operator commands: create-admin, seed-demo, sync-roles, and the first-start admin."""

import os
import re
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Album, Author, Song
from app.security.roles import LISTENER_PERMISSIONS, LISTENER_ROLE

PROJECT_ROOT = Path(__file__).parents[2]


def flask_command(app, *args: str) -> subprocess.CompletedProcess:
    """Run `flask ...` in the project folder as an operator would, on the app's database."""
    return flask_on(app.config["SQLALCHEMY_DATABASE_URI"], app.config["UPLOAD_FOLDER"], *args)


def flask_on(
    database_url: str, upload_folder, *args: str, as_typed: bool = False
) -> subprocess.CompletedProcess:
    """Run `flask ...` in the project folder in development, on a database and folder;
    as_typed: the virtualenv's own `flask` script with no LOG_LEVEL, as a newcomer types it."""
    env = {
        **os.environ,
        "CATALOG_CONFIG": "development",
        "DATABASE_URL": database_url,
        "UPLOAD_FOLDER": str(upload_folder),
    }
    command = [sys.executable, "-m", "flask"]
    if as_typed:
        env.pop("LOG_LEVEL", None)
        command = [str(Path(sys.executable).parent / "flask")]
    return subprocess.run(
        [*command, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_create_admin_then_log_in(app, browser):
    """`flask fab create-admin` with options makes an admin who can log in and manage users."""
    result = flask_command(
        app,
        "fab",
        "create-admin",
        "--username",
        "operator",
        "--firstname",
        "Op",
        "--lastname",
        "Erator",
        "--email",
        "operator@example.org",
        "--password",
        "a long operator password",
    )
    assert "Admin User operator created." in result.stdout, result.stderr
    assert browser.login("operator", "a long operator password")
    assert browser.get("/users/list/").status_code == 200


@pytest.mark.parametrize(
    ("command", "password", "reason"),
    [
        ("create-admin", "short", "Use at least 12 characters"),
        ("create-admin", "password1234", "too common"),
        ("create-user", "weakling@example.org", "Do not use your username or email"),
    ],
)
def test_create_commands_follow_the_password_policy(app, command, password, reason):
    """`flask fab create-admin` / `create-user` refuse a weak password, say why, exit non-zero."""
    options = ["--username", "weakling", "--firstname", "W", "--lastname", "L",
               "--email", "weakling@example.org", "--password", password]  # fmt: skip
    if command == "create-user":
        options += ["--role", "Listener"]
    result = flask_command(app, "fab", command, *options)
    assert result.returncode != 0
    assert reason in result.stderr + result.stdout
    with app.app_context():
        assert app.appbuilder.sm.find_user(username="weakling") is None


def test_seed_demo_fills_a_playable_catalog_once(app, runner, upload_folder, login_as):
    """seed-demo adds songs with real files; a second run adds nothing."""
    result = runner.invoke(args=["catalog", "seed-demo"])
    assert "4 song(s) added" in result.output
    assert len([path for path in upload_folder.iterdir() if path.is_file()]) == 4
    assert len(list((upload_folder / "covers").iterdir())) == 1  # Morning Light's embedded art
    assert "0 song(s) added" in runner.invoke(args=["catalog", "seed-demo"]).output
    with app.app_context():
        songs = db.session.scalars(select(Song).order_by(Song.title)).all()
        assert all(song.duration and song.duration > 2 for song in songs)
        first = songs[0].id
    listener = login_as("Listener")
    assert "Café Nocturne — 夜のドライブ" in listener.get("/songs/list/").get_data(as_text=True)
    assert listener.get(f"/songs/download/{first}").status_code == 200


def test_seed_demo_generates_a_catalog_of_the_size_asked_once(app, runner, login_as):
    """--songs N adds N generated songs beside the four playable ones; a rerun adds none, a
    bigger N only the difference; an absurd N is refused before anything is written."""
    first = runner.invoke(args=["catalog", "seed-demo", "--songs", "1200"])
    assert first.exit_code == 0, first.output
    assert "4 song(s) added" in first.output
    assert "Generated 1200 song(s) without audio; 1200 generated in all." in first.output
    again = runner.invoke(args=["catalog", "seed-demo", "--songs", "1200"])
    assert "Generated 0 song(s) without audio; 1200 generated in all." in again.output
    more = runner.invoke(args=["catalog", "seed-demo", "--songs", "1500"])
    assert "Generated 300 song(s) without audio; 1500 generated in all." in more.output
    too_many = runner.invoke(args=["catalog", "seed-demo", "--songs", "1000001"])
    assert too_many.exit_code == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Song)) == 1504
        # Three demo albums (two called Signals), then ten generated songs an album.
        assert db.session.scalar(select(func.count()).select_from(Album)) == 3 + 150
    home = login_as("Listener").get("/").get_data(as_text=True)
    assert "1,504" in home


def test_sync_roles_restores_edited_permissions(app, runner):
    """Permissions changed by hand are reset to the project's definition."""
    with app.app_context():
        sm = app.appbuilder.sm
        listener = sm.find_role(LISTENER_ROLE)
        listener.permissions = listener.permissions[:2]
        sm.session.commit()
    result = runner.invoke(args=["catalog", "sync-roles"])
    assert "in sync" in result.output
    with app.app_context():
        role = app.appbuilder.sm.find_role(LISTENER_ROLE)
        granted = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
    assert granted == LISTENER_PERMISSIONS


def test_sync_roles_removes_permissions_of_views_that_are_gone(app, runner):
    """A view removed in a release leaves no permission behind, in any role, after a sync."""
    with app.app_context():
        sm = app.appbuilder.sm
        stale = sm.add_permission_view_menu("can_list", "RetiredView")
        listener = sm.find_role(LISTENER_ROLE)
        listener.permissions.append(stale)
        sm.session.commit()
    assert runner.invoke(args=["catalog", "sync-roles"]).exit_code == 0
    with app.app_context():
        sm = app.appbuilder.sm
        assert sm.find_permission_view_menu("can_list", "RetiredView") is None
        assert sm.find_view_menu("RetiredView") is None
        assert sm.find_permission_view_menu("can_list", "SongModelView") is not None


def migrated_app(config_name: str, database_url: str, tmp_path):
    """Migrate a fresh database, then start the named configuration on it."""
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": str(tmp_path)}
    migrating = create_app("testing", **settings)
    with migrating.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        db.engine.dispose()
    return create_app(config_name, **settings)


def user_count(app) -> int:
    """How many user accounts exist."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(app.appbuilder.sm.user_model))


def test_development_start_prints_a_first_admin_once(tmp_path, fresh_database, capsys):
    """On an empty development database the console shows an admin password that works."""
    url = fresh_database("sqlite")
    app = migrated_app("development", url, tmp_path)
    printed = capsys.readouterr().out
    password = re.search(r"Password: (\S+)", printed).group(1)
    assert "Username: admin" in printed

    client = app.test_client()
    login_page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    response = client.post(
        "/login/", data={"csrf_token": token, "username": "admin", "password": password}
    )
    assert response.status_code == 302
    assert "/login/" not in response.headers["Location"]
    assert client.get("/users/list/").status_code == 200

    create_app("development", SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(tmp_path))
    assert "Password:" not in capsys.readouterr().out
    assert user_count(app) == 1


def test_production_never_creates_an_admin(
    tmp_path, fresh_database, capsys, monkeypatch, production_env
):
    """Production leaves an empty user table empty: operators use create-admin."""
    url = fresh_database("sqlite")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CATALOG_ALLOW_SQLITE", "true")
    app = migrated_app("production", url, tmp_path)
    assert "Password:" not in capsys.readouterr().out
    assert user_count(app) == 0


def silent_wav(path: Path, frames: int) -> None:
    """A tagless WAV file (its length makes its content unique)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(8000)
        output.writeframes(bytes(2 * frames))


def test_import_reads_artist_album_and_track_from_folders_when_tags_are_silent(
    app, runner, tmp_path
):
    """Artist/Album/NN Title.ext names a tagless file's author, album, track and title;
    control characters in those names are dropped."""
    library = tmp_path / "library"
    silent_wav(library / "Ana Tijoux" / "Vengo" / "01 Antipatriarca.wav", 8000)
    silent_wav(library / "Ana Tijoux" / "Vengo" / "02 - Somos Sur.wav", 8001)
    silent_wav(library / "loose.wav", 8002)
    # Folder and file names may hold a line break, an escape or a direction override.
    silent_wav(library / "\u202eLa\nBanda" / "Dis\x1bco" / "03 Fi\rn.wav", 8003)
    assert runner.invoke(args=["catalog", "import", str(library)]).exit_code == 0
    with app.app_context():
        rows = db.session.execute(
            select(Song.title, Song.track_number, Album.title, Author.name)
            .join(Song.album)
            .join(Album.author)
            .where(Song.original_filename.like("%.wav"))
            .order_by(Song.title_key)
        ).all()
    assert [tuple(row) for row in rows] == [
        ("Antipatriarca", 1, "Vengo", "Ana Tijoux"),
        ("Fin", 3, "Disco", "LaBanda"),
        ("loose", None, "Unknown album", "Unknown artist"),
        ("Somos Sur", 2, "Vengo", "Ana Tijoux"),
    ]


def test_commands_do_not_repeat_the_setup_warnings(app):
    """`flask --help` and other commands stay quiet about the missing reCAPTCHA keys."""
    for args in (["--help"], ["catalog", "--help"], ["db", "current"]):
        done = flask_command(app, *args)
        assert "reCAPTCHA" not in done.stdout + done.stderr, args


#: The start of one of our log lines (app.logs.TEXT_FORMAT): a date and a time.
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", re.MULTILINE)


@pytest.mark.parametrize("args", [["--help"], ["catalog", "--help"]])
def test_help_prints_only_help_and_leaves_the_database_alone(tmp_path, fresh_database, args):
    """`flask --help` on a fresh checkout and on a migrated, never started database: the help
    text alone (no WARNING, no log line, no admin banner), no database file made, no admin."""
    new_url = f"sqlite:///{tmp_path / 'new' / 'setlist.db'}"
    fresh = flask_on(new_url, tmp_path / "up", *args, as_typed=True)
    migrated_url = fresh_database("sqlite")
    migrated_app("testing", migrated_url, tmp_path)
    migrated = flask_on(migrated_url, tmp_path / "up", *args, as_typed=True)
    for done in (fresh, migrated):
        output = done.stdout + done.stderr
        assert done.returncode == 0, output
        assert f"Usage: flask {' '.join(args[:-1])}" in output
        assert "seed-demo" in output or "create-admin" in output or "catalog" in output
        assert "WARNING" not in output
        assert not LOG_LINE.search(output), output
        assert "Password:" not in output
    assert not (tmp_path / "new" / "setlist.db").exists()
    assert user_count(create_app("testing", SQLALCHEMY_DATABASE_URI=migrated_url)) == 0

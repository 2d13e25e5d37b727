"""Apps and users to test with: a migrated testing app, one user per role, mail and captcha
settings pointing at the loopback servers, the audio fixtures, row and file counts."""

from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from jinja2 import StrictUndefined
from sqlalchemy import func, select

from app import create_app
from app.extensions import db

MIGRATIONS = Path(__file__).parents[2] / "migrations"
FIXTURES = Path(__file__).parents[1] / "fixtures"
AUDIO = FIXTURES / "audio"
PASSWORD = "correct horse battery staple"
#: Links in emails must use this, whatever Host header a request came with.
EXTERNAL_URL = "http://setlist.example"


def build_app(database_url: str, upload_folder: Path, migrated: bool = False, **overrides) -> Flask:
    """A testing app on a database, migrated to head (unless it is already), roles synced."""
    upload_folder.mkdir(parents=True, exist_ok=True)
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(upload_folder),
        **overrides,
    }
    if not migrated:
        migrating = create_app("testing", **settings)
        with migrating.app_context():
            upgrade(directory=str(MIGRATIONS))
            db.engine.dispose()
    # A second app sees the migrated schema and syncs roles, as a restart would.
    app = create_app("testing", **settings)
    app.jinja_env.undefined = StrictUndefined
    return app


ROLE_USERS = {"Admin": "alice", "Editor": "eddie", "Listener": "lisa"}


def add_role_users(app: Flask) -> dict[str, str]:
    """One user per role on an app (role name -> username), all with PASSWORD."""
    with app.app_context():
        sm = app.appbuilder.sm
        for role, username in ROLE_USERS.items():
            if sm.find_user(username=username) is None:
                email = f"{username}@example.org"
                sm.add_user(
                    username, username.title(), "Tester", email, sm.find_role(role), PASSWORD
                )
    return dict(ROLE_USERS)


def mail_settings(smtp_server) -> dict:
    """Settings that send the app's email to the test SMTP server."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_DEFAULT_SENDER": "setlist@example.org",
        "CATALOG_EXTERNAL_URL": EXTERNAL_URL,
    }


def captcha_settings(captcha_server, path: str = "/ok") -> dict:
    """Settings that turn the captcha on, checked by the loopback verify server at a path
    (/ok, /fail, /never) and drawn by its script (which solves it at once)."""
    return {
        "RECAPTCHA_ENABLED": True,
        "RECAPTCHA_PUBLIC_KEY": "test-site-key",
        "RECAPTCHA_PRIVATE_KEY": "test-secret-key",
        "RECAPTCHA_VERIFY_SERVER": f"{captcha_server.url}{path}",
        "RECAPTCHA_SCRIPT": f"{captcha_server.url}/recaptcha.js",
    }


def row_count(app, model) -> int:
    """How many rows a table holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def files_in(folder: Path) -> list[Path]:
    """Every stored file under a folder (the covers folder included)."""
    return sorted(path for path in folder.rglob("*") if path.is_file())

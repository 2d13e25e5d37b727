"""Setlist: a music catalog on Flask-AppBuilder. `create_app` builds the application."""

import logging

from flask import Flask
from flask_appbuilder import AppBuilder
from werkzeug.middleware.proxy_fix import ProxyFix

from app.api import register_api
from app.api.cors import register_cors
from app.change_recording import register_history
from app.commands import only_showing_help, register_commands
from app.database import create_sqlite_folder, engine_options, schema_is_ready, tune_sqlite
from app.extensions import csrf, db, mail
from app.headers import register_security_headers
from app.jobs import register_jobs
from app.logs import configure_logging, register_request_log
from app.migrations_on_demand import register_migrations
from app.request_checks import register_request_checks
from app.security.manager import SETUP_WARNINGS
from app.security.roles import ensure_initial_admin, sync_roles
from app.security.sessions import PageRenewedCookies
from app.static_files import register_static_files
from app.subsonic import register_subsonic
from app.views import (
    disable_generic_file_downloads,
    refuse_unknown_actions,
    register_rendering,
    register_views,
)
from app.views.site.errors import register_error_handlers
from app.views.site.health import register_health
from app.views.site.home import HomeView
from app.views.site.navigation import register_back_link
from app.web.language import register_language_choice
from app.web.outages import register_outage_pages


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the application for a named configuration, with optional overrides."""
    # Here, not at the top: config.py imports app.settings, which loads this package first
    # whenever config is imported on its own (gunicorn.conf.py, tests).
    from config import load_config, normalize_database_url

    app = Flask(__name__)
    app.config.from_object(load_config(config_name))
    app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"], app.config["DATABASE_CONNECT_TIMEOUT"]
        ),
    )
    configure_logging(app)
    register_request_log(app)
    register_request_checks(app)
    trust_proxies(app)
    register_extensions(app)
    register_history()
    register_jobs(app)
    with app.app_context():
        # Production syncs nothing at start, so it starts without touching the database: a
        # worker (re)started while the database is down serves 503s until it is back.
        syncs = app.config["FAB_UPDATE_PERMS"] or app.config["CATALOG_INITIAL_ADMIN"]
        syncs = syncs and not only_showing_help()
        schema_ready = syncs and schema_is_ready(db.engine)
        appbuilder = register_appbuilder(app)
        register_views(appbuilder)
        register_api(appbuilder)
        disable_generic_file_downloads(app)
        refuse_unknown_actions(app)
        register_back_link(app)
        if schema_ready:
            sync_security(app, appbuilder)
    register_error_handlers(app)
    # Before CORS: hooks run last-registered first, and its Vary must fold in CORS's.
    register_language_choice(app)
    register_cors(app)
    register_health(app)
    register_subsonic(app)
    register_outage_pages(app)
    register_rendering(app)
    register_security_headers(app)
    register_static_files(app)
    register_commands(app)
    app.before_request(lambda: warn_about_setup(app))
    return app


def warn_about_setup(app: Flask) -> None:
    """Log what the operator should fix, once per process: at server start (run.py) or on
    the first request (gunicorn), never on every `flask` command."""
    for message in app.extensions.pop(SETUP_WARNINGS, []):
        logging.getLogger("app.setup").warning(message)


def trust_proxies(app: Flask) -> None:
    """Take the client's address and scheme from CATALOG_TRUSTED_PROXIES proxies in front.

    Rate limits and logs key on the client address; with no proxy configured, a client's
    own X-Forwarded-For is ignored (it could name anyone).
    """
    hops = app.config["CATALOG_TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_extensions(app: Flask) -> None:
    """Bind the extension singletons; CSRF first so FAB's API can opt out of it."""
    csrf.init_app(app)
    app.session_interface = PageRenewedCookies()
    create_sqlite_folder(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    register_migrations(app, db)
    mail.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def register_appbuilder(app: Flask) -> AppBuilder:
    """A fresh AppBuilder per app; permissions are written by sync_security, not by FAB."""
    appbuilder = AppBuilder(
        indexview=HomeView, base_template="setlist/base.html", update_perms=False
    )
    appbuilder.init_app(app, db.session)
    return appbuilder


def sync_security(app: Flask, appbuilder: AppBuilder) -> None:
    """Bring roles in line with app.security and, in development, make a first admin."""
    if app.config["FAB_UPDATE_PERMS"]:
        sync_roles(appbuilder, public_browse=app.config["CATALOG_PUBLIC_BROWSE"])
    if app.config["CATALOG_INITIAL_ADMIN"]:
        ensure_initial_admin(app)

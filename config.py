"""Configuration classes, chosen by name and filled from the environment.

One class per environment, as in flasky; what each concern reads from the environment (and
what production refuses) lives in app/settings/, one module per concern.
"""

import os

from flask_appbuilder.const import AUTH_DB

from app.settings.app_password_key import (
    app_password_settings,
    plain_http_passwords,
    refuse_weak_app_password_key,
)
from app.settings.database_url import (
    database_settings,
    normalize_database_url,
    refuse_private_database,
)
from app.settings.environment import env_bool, env_int
from app.settings.file_storage import file_storage_settings, refuse_private_files
from app.settings.jobs import job_settings
from app.settings.mail import mail_settings
from app.settings.rate_limits import RATE_LIMITS, rate_limit_settings, refuse_private_counts
from app.settings.secret_key import development_secret, refuse_weak_secret
from app.settings.self_registration import (
    refuse_insecure_links,
    registration_settings,
    require_registration_settings,
)
from app.settings.sessions_and_tokens import session_settings

# Imported from config by app.create_app, gunicorn.conf.py and tests: config stays their
# one address whichever app/settings/ module a reader lives in.
__all__ = [
    "CONFIGS",
    "Config",
    "DevelopmentConfig",
    "ProductionConfig",
    "TestingConfig",
    "development_secret",
    "env_bool",
    "env_int",
    "load_config",
    "normalize_database_url",
]

AUDIO_EXTENSIONS = ("mp3", "ogg", "oga", "opus", "flac", "m4a", "wav")
#: How log lines are written: readable text, or one JSON object a line for log collectors.
LOG_FORMATS = ("text", "json")


class Config:
    """Settings shared by every environment; values are read when instantiated."""

    APP_NAME = "Setlist"
    AUTH_TYPE = AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    # The anonymous visitor's role: login (and later registration) pages only.
    AUTH_ROLE_PUBLIC = "Public"
    # Self-registered listeners must never land in the anonymous role.
    AUTH_USER_REGISTRATION_ROLE = "Listener"
    FAB_SECURITY_MANAGER_CLASS = "app.security.manager.CatalogSecurityManager"
    # Our password policy (set by the security manager) replaces FAB's composition rule.
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    AUTH_RATE_LIMITED = True
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # While Redis is down, each process counts in its own memory (limits keep working, a
    # warning is logged) and goes back to Redis when it answers again (checked at growing
    # intervals of 1 s doubling up to 32 s).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # A thread whose Redis call fails just after another thread switched the process to
    # memory gets no fallback of its own: its one request goes unlimited (logged) rather
    # than a server error.
    RATELIMIT_SWALLOW_ERRORS = True
    # A frozen or unreachable Redis costs a request a second, not redis-py's 5 s.
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # Tables belong to Alembic; roles and permissions are synced by app.security.
    FAB_CREATE_DB = False
    FAB_ADD_SECURITY_API = False
    # /api/v1/_openapi and the Swagger UI at /swagger/v1, both for admins; FAB ships the UI's
    # script and styles (nothing from another site).
    FAB_API_SWAGGER_UI = True
    FILE_ALLOWED_EXTENSIONS = AUDIO_EXTENSIONS
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    WTF_CSRF_ENABLED = True
    LANGUAGES = {
        "en": {"flag": "gb", "name": "English"},
        "es": {"flag": "es", "name": "Español"},
    }
    BABEL_DEFAULT_LOCALE = "en"
    CATALOG_INITIAL_ADMIN = False

    def __init__(self) -> None:
        # The readers run in the order the environment was always read, so a config with
        # several mistakes still names the same one first.
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.fallback_secret()
        # The largest request body: 1 MiB by default, plenty for any form or JSON, so a login
        # or a search cannot make a server read megabytes; song files go to the routes that
        # take them (app/request_checks.py), up to MAX_UPLOAD_LENGTH.
        self.MAX_CONTENT_LENGTH = env_int("MAX_REQUEST_LENGTH", 1024 * 1024)
        # MAX_CONTENT_LENGTH was this setting's name before other requests had their own.
        self.MAX_UPLOAD_LENGTH = env_int(
            "MAX_UPLOAD_LENGTH", env_int("MAX_CONTENT_LENGTH", 200 * 1024 * 1024)
        )
        self.FAB_UPDATE_PERMS = env_bool("FAB_UPDATE_PERMS", True)
        self.CATALOG_PUBLIC_BROWSE = env_bool("CATALOG_PUBLIC_BROWSE", False)
        self.CATALOG_CREATE_FROM_TAGS = env_bool("CATALOG_CREATE_FROM_TAGS", True)
        # Owners may share a setlist by a read-only link; off: no new links, every link 404s.
        self.CATALOG_SHARING = env_bool("CATALOG_SHARING", True)
        # CSV exports one server process streams at once; more wait their turn (429).
        self.CATALOG_EXPORTS_PER_PROCESS = env_int("CATALOG_EXPORTS_PER_PROCESS", 1)
        # A filtered list counts this many matches at most, then estimates ("about"):
        # counting every match would cost as much as the catalog is big.
        self.CATALOG_LIST_EXACT_COUNT_CAP = env_int("CATALOG_LIST_EXACT_COUNT_CAP", 10_000)
        # Seconds /health/ready reuses its last answer (each check asks the database, Redis
        # and the store: a flood of probes must not become a flood of queries).
        self.HEALTH_READY_SECONDS = env_int("HEALTH_READY_SECONDS", 5)
        vars(self).update(database_settings())
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
        self.LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").lower()
        if self.LOG_FORMAT not in LOG_FORMATS:
            raise ValueError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}.")
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed.
        self.CATALOG_TRUSTED_PROXIES = env_int("CATALOG_TRUSTED_PROXIES", 0)
        vars(self).update(session_settings())
        # Exact origins whose pages may call /api/ and /search/ (app/api/cors.py); none: off.
        self.CORS_ORIGINS = os.environ.get("CORS_ORIGINS", "")
        # Strict-Transport-Security on HTTPS responses: production only (see ProductionConfig).
        self.HSTS_SECONDS = 0
        vars(self).update(registration_settings())
        vars(self).update(mail_settings())
        vars(self).update(rate_limit_settings())
        vars(self).update(file_storage_settings())
        vars(self).update(app_password_settings())
        vars(self).update(plain_http_passwords(default=True))
        vars(self).update(job_settings())

    def fallback_secret(self) -> str:
        """The secret without SECRET_KEY: one made on this machine (development and tests)."""
        return development_secret()


class DevelopmentConfig(Config):
    """Local development: embedded SQLite, a first admin printed to the console."""

    CATALOG_INITIAL_ADMIN = True


class TestingConfig(Config):
    """Tests: CSRF stays on; the database and upload folder come from the fixtures."""

    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        # Tests that need a captcha, an SMTP server or tight limits set them explicitly.
        self.RECAPTCHA_ENABLED = False
        self.MAIL_SERVER = ""
        # Flask-Mail would otherwise swallow every message under TESTING.
        self.MAIL_SUPPRESS_SEND = False
        for name in (*RATE_LIMITS, "AUTH_RATE_LIMIT"):
            setattr(self, name, "1000 per minute")
        # Readiness tests break and mend a service between two calls.
        self.HEALTH_READY_SECONDS = 0
        # The fixtures point this at a temporary SQLite file or TEST_DATABASE_URL.
        self.SQLALCHEMY_DATABASE_URI = "sqlite://"
        self.LOG_LEVEL = "WARNING"
        # A test that asks for jobs (the analysis_runs fixture) sees them done when its
        # upload's commit returns; other tests leave them queued (decoding costs time).
        vars(self).update(job_settings(eager=True, defer=True))


class ProductionConfig(Config):
    """Production: refuses a missing or development secret, hardens cookies."""

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    PREFERRED_URL_SCHEME = "https"

    def __init__(self) -> None:
        super().__init__()
        self.HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
        # Several workers writing permissions at once race; deploys run `flask catalog
        # sync-roles` once instead.
        self.FAB_UPDATE_PERMS = env_bool("FAB_UPDATE_PERMS", False)
        refuse_weak_secret(os.environ.get("SECRET_KEY", ""))
        refuse_weak_app_password_key(self.CATALOG_APP_PASSWORD_KEY, self.SECRET_KEY)
        vars(self).update(plain_http_passwords(default=False))
        if "DATABASE_URL" not in os.environ:
            raise RuntimeError("Production needs DATABASE_URL set in the environment.")
        refuse_insecure_links(self.CATALOG_EXTERNAL_URL)
        if self.AUTH_USER_REGISTRATION:
            require_registration_settings()
        self.refuse_what_workers_cannot_share()

    def refuse_what_workers_cannot_share(self) -> None:
        """Production runs several workers, perhaps on several machines: refuse settings
        that would give each its own catalog, its own rate-limit counts or its own files."""
        refuse_private_database(self.SQLALCHEMY_DATABASE_URI)
        refuse_private_counts(self.RATELIMIT_STORAGE_URI)
        refuse_private_files(self.CATALOG_REQUIRE_SHARED_STORAGE, self.STORAGE_BACKEND)

    def fallback_secret(self) -> str:
        """None: production refuses to start without SECRET_KEY (see __init__)."""
        return ""


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(config_name: str | None) -> Config:
    """Instantiate the named configuration (default: CATALOG_CONFIG, else development)."""
    name = config_name or os.environ.get("CATALOG_CONFIG", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ValueError(
            f"Unknown configuration {name!r}; choose one of {', '.join(CONFIGS)}."
        ) from None

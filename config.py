"""Configuration classes, chosen by name and filled from the environment."""

import math
import os
import secrets
from collections import Counter
from datetime import timedelta
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent

#: Where development keeps the secret it made on first start (instance/ is never committed).
INSTANCE_DIR = BASE_DIR / "instance"
#: Placeholders people paste; production refuses to start with any of them.
KNOWN_DEV_SECRETS = frozenset({"", "changeme", "secret", "dev", "development"})
MIN_PRODUCTION_SECRET_LENGTH = 32
#: Estimated randomness a production secret needs (a 32-character hex key has about 120).
MIN_PRODUCTION_SECRET_BITS = 100

AUDIO_EXTENSIONS = ("mp3", "ogg", "oga", "opus", "flac", "m4a", "wav")

#: Limits per client address and, for forms naming an account, per account too.
RATE_LIMITS = {
    "RATELIMIT_LOGIN_ACCOUNT": "10 per 15 minutes",
    "RATELIMIT_LOGIN_FAILURES": "30 per hour",
    # Wrong current passwords on "Change my password", per user: a borrowed or stolen
    # session must not become a way to guess the password the login form protects.
    "RATELIMIT_PASSWORD_CHECK": "10 per 15 minutes",
    "RATELIMIT_REGISTER": "10 per hour",
    "RATELIMIT_REGISTER_ACCOUNT": "3 per hour",
    "RATELIMIT_RESEND": "10 per hour",
    "RATELIMIT_RESEND_ACCOUNT": "3 per hour",
    "RATELIMIT_FORGOT": "10 per hour",
    "RATELIMIT_FORGOT_ACCOUNT": "3 per hour",
    "RATELIMIT_ACTIVATION": "30 per hour",
    # Search and pickers are asked as people type: generous, yet no free scraping.
    "RATELIMIT_SEARCH": "120 per minute",
    # API writes (create, change, delete), per user and per client address across every
    # resource: room for a script importing a catalog, not for one gone wrong.
    "RATELIMIT_API_WRITE": "120 per minute",
    "RATELIMIT_API_WRITE_ADDRESS": "300 per minute",
    # CSV exports, per user (per address when anonymous) and per address: each reads the
    # whole filtered list, so a handful per person, not a loop.
    "RATELIMIT_EXPORT": "10 per 10 minutes",
    "RATELIMIT_EXPORT_ADDRESS": "20 per 10 minutes",
}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read a whole-number environment variable, falling back to a default."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def development_secret(folder: Path = INSTANCE_DIR) -> str:
    """This machine's development secret: random, made on first start, kept in `folder`."""
    path = folder / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(secret)
    return secret


def estimated_bits(secret: str) -> float:
    """A secret's randomness: the entropy of its characters over its repeating unit."""
    unit = next(
        (
            secret[:size]
            for size in range(1, len(secret))
            if (secret[:size] * len(secret)).startswith(secret)
        ),
        secret,
    )
    counts = Counter(unit)
    per_character = -sum(n / len(unit) * math.log2(n / len(unit)) for n in counts.values())
    return len(unit) * per_character


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


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
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.fallback_secret()
        self.SQLALCHEMY_DATABASE_URI = normalize_database_url(
            os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'setlist.db'}")
        )
        self.UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "uploads"))
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
        # How long the home page's counts and charts are reused (aggregates over every song).
        self.CATALOG_DASHBOARD_SECONDS = env_int("CATALOG_DASHBOARD_SECONDS", 60)
        # CSV exports one server process streams at once; more wait their turn (429).
        self.CATALOG_EXPORTS_PER_PROCESS = env_int("CATALOG_EXPORTS_PER_PROCESS", 1)
        # Seconds /health/ready reuses its last answer (each check asks the database, Redis
        # and the store: a flood of probes must not become a flood of queries).
        self.HEALTH_READY_SECONDS = env_int("HEALTH_READY_SECONDS", 5)
        self.SQLITE_BUSY_TIMEOUT_MS = env_int("SQLITE_BUSY_TIMEOUT_MS", 5000)
        # Seconds to wait for PostgreSQL to accept a connection before the page says so.
        self.DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
        self.LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").lower()
        if self.LOG_FORMAT not in LOG_FORMATS:
            raise ValueError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}.")
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed.
        self.CATALOG_TRUSTED_PROXIES = env_int("CATALOG_TRUSTED_PROXIES", 0)
        # Idle lifetime (each request renews it), and the absolute one counted from login.
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=env_int("SESSION_LIFETIME_HOURS", 12))
        self.SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 7 * 24)
        # API clients: short-lived access tokens, renewed with a refresh token that lasts a
        # session's lifetime (and no longer than its login: app/security/tokens.py).
        self.JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=env_int("API_TOKEN_MINUTES", 15))
        self.JWT_REFRESH_TOKEN_EXPIRES = self.PERMANENT_SESSION_LIFETIME
        # Exact origins whose pages may call /api/ and /search/ (app/api/cors.py); none: off.
        self.CORS_ORIGINS = os.environ.get("CORS_ORIGINS", "")
        # Strict-Transport-Security on HTTPS responses: production only (see ProductionConfig).
        self.HSTS_SECONDS = 0
        self.read_registration_settings()
        self.read_mail_settings()
        self.read_rate_limits()
        self.read_storage_settings()

    def fallback_secret(self) -> str:
        """The secret without SECRET_KEY: one made on this machine (development and tests)."""
        return development_secret()

    def read_registration_settings(self) -> None:
        """Self-registration, its captcha and how long its links live."""
        self.AUTH_USER_REGISTRATION = env_bool("CATALOG_REGISTRATION", True)
        self.RECAPTCHA_PUBLIC_KEY = os.environ.get("RECAPTCHA_PUBLIC_KEY", "")
        self.RECAPTCHA_PRIVATE_KEY = os.environ.get("RECAPTCHA_PRIVATE_KEY", "")
        self.RECAPTCHA_ENABLED = bool(self.RECAPTCHA_PUBLIC_KEY and self.RECAPTCHA_PRIVATE_KEY)
        for optional in ("RECAPTCHA_VERIFY_SERVER", "RECAPTCHA_SCRIPT"):
            if os.environ.get(optional):
                setattr(self, optional, os.environ[optional])
        self.RECAPTCHA_TIMEOUT = float(os.environ.get("RECAPTCHA_TIMEOUT", "10"))
        self.CATALOG_EXTERNAL_URL = os.environ.get("CATALOG_EXTERNAL_URL", "http://127.0.0.1:8080")
        self.CATALOG_ACTIVATION_MAX_AGE = timedelta(hours=env_int("CATALOG_ACTIVATION_HOURS", 24))
        self.CATALOG_RESET_MAX_AGE = timedelta(minutes=env_int("CATALOG_RESET_MINUTES", 60))

    def read_mail_settings(self) -> None:
        """Flask-Mail's settings; with no MAIL_SERVER, emails go to the log instead."""
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
        self.MAIL_PORT = env_int("MAIL_PORT", 25)
        self.MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
        self.MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
        self.MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "setlist@localhost")
        self.MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
        # A relay with a private CA: its certificate file; by default the system's trust.
        self.MAIL_CA_FILE = os.environ.get("MAIL_CA_FILE") or None

    def read_storage_settings(self) -> None:
        """Where song files, covers and staged uploads are kept: UPLOAD_FOLDER on this
        machine, or an S3-compatible bucket every app server shares."""
        self.STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local").lower()
        if self.STORAGE_BACKEND not in STORAGE_BACKENDS:
            raise ValueError(f"STORAGE_BACKEND must be one of {', '.join(STORAGE_BACKENDS)}.")
        self.S3_BUCKET = os.environ.get("S3_BUCKET", "")
        if self.STORAGE_BACKEND == "s3" and not self.S3_BUCKET:
            raise ValueError("STORAGE_BACKEND=s3 needs S3_BUCKET, the bucket to keep files in.")
        prefix = os.environ.get("S3_PREFIX", "").strip("/")
        self.S3_PREFIX = f"{prefix}/" if prefix else ""
        self.S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None
        self.S3_REGION = os.environ.get("S3_REGION") or None
        self.S3_CONNECT_TIMEOUT = env_int("S3_CONNECT_TIMEOUT", 5)
        self.S3_PRESIGNED_REDIRECT = env_bool("S3_PRESIGNED_REDIRECT", False)
        self.S3_PRESIGNED_SECONDS = env_int("S3_PRESIGNED_SECONDS", 300)
        self.CATALOG_REQUIRE_SHARED_STORAGE = env_bool("CATALOG_REQUIRE_SHARED_STORAGE", False)

    def read_rate_limits(self) -> None:
        """Flask-Limiter storage and the limits of each account form."""
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        # Several installs (or test runs) sharing one Redis keep their counts apart.
        self.RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "setlist")
        self.AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "20 per 5 minutes")
        for name, default in RATE_LIMITS.items():
            setattr(self, name, os.environ.get(name, default))


#: How log lines are written: readable text, or one JSON object a line for log collectors.
LOG_FORMATS = ("text", "json")
#: Where files are kept: this machine's UPLOAD_FOLDER, or an S3-compatible bucket.
STORAGE_BACKENDS = ("local", "s3")
#: Flask-Limiter storages that every worker and machine shares.
REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "redis+sentinel://", "redis+cluster://")


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
        # Tests change the catalog and look at the home page at once.
        self.CATALOG_DASHBOARD_SECONDS = 0
        # Readiness tests break and mend a service between two calls.
        self.HEALTH_READY_SECONDS = 0
        # The fixtures point this at a temporary SQLite file or TEST_DATABASE_URL.
        self.SQLALCHEMY_DATABASE_URI = "sqlite://"
        self.LOG_LEVEL = "WARNING"


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
        secret = os.environ.get("SECRET_KEY", "")
        if (
            secret in KNOWN_DEV_SECRETS
            or len(secret) < MIN_PRODUCTION_SECRET_LENGTH
            or estimated_bits(secret) < MIN_PRODUCTION_SECRET_BITS
        ):
            raise RuntimeError(
                "Production needs SECRET_KEY set in the environment to a random value "
                f"of at least {MIN_PRODUCTION_SECRET_LENGTH} characters, not a repeated or "
                "guessable one, e.g. "
                '`python -c "import secrets; print(secrets.token_urlsafe(48))"`.'
            )
        if "DATABASE_URL" not in os.environ:
            raise RuntimeError("Production needs DATABASE_URL set in the environment.")
        insecure_links = env_bool("CATALOG_ALLOW_INSECURE_LINKS", False)
        if not self.CATALOG_EXTERNAL_URL.startswith("https://") and not insecure_links:
            raise RuntimeError(
                "Production emails links on CATALOG_EXTERNAL_URL: set it to the site's "
                f"https:// address (it is {self.CATALOG_EXTERNAL_URL!r}), or "
                "CATALOG_ALLOW_INSECURE_LINKS=true to send plain http:// links."
            )
        if self.AUTH_USER_REGISTRATION:
            self.require_registration_settings()
        self.refuse_what_workers_cannot_share()

    def refuse_what_workers_cannot_share(self) -> None:
        """Production runs several workers, perhaps on several machines: refuse settings
        that would give each its own catalog or its own rate-limit counts."""
        sqlite = self.SQLALCHEMY_DATABASE_URI.startswith("sqlite")
        if sqlite and not env_bool("CATALOG_ALLOW_SQLITE", False):
            raise RuntimeError(
                "Production keeps the catalog in a database server every app server shares: "
                "set DATABASE_URL to PostgreSQL (postgresql://user:password@host/setlist), or "
                "CATALOG_ALLOW_SQLITE=true for a single-machine install."
            )
        if not self.RATELIMIT_STORAGE_URI.startswith(REDIS_SCHEMES):
            raise RuntimeError(
                "Production counts login attempts and other limits across all workers: set "
                "RATELIMIT_STORAGE_URI to a Redis server, e.g. redis://127.0.0.1:6379/0 "
                f"(it is {self.RATELIMIT_STORAGE_URI!r}, which each worker keeps apart)."
            )
        if self.CATALOG_REQUIRE_SHARED_STORAGE and self.STORAGE_BACKEND == "local":
            raise RuntimeError(
                "CATALOG_REQUIRE_SHARED_STORAGE is set, so files must be kept where every app "
                "server finds them: set STORAGE_BACKEND=s3 and S3_BUCKET (UPLOAD_FOLDER is "
                "this machine's disk)."
            )

    def fallback_secret(self) -> str:
        """None: production refuses to start without SECRET_KEY (see __init__)."""
        return ""

    def require_registration_settings(self) -> None:
        """Registration in production needs a captcha, real email and a public URL."""
        missing = [
            name
            for name in (
                "RECAPTCHA_PUBLIC_KEY",
                "RECAPTCHA_PRIVATE_KEY",
                "MAIL_SERVER",
                "MAIL_DEFAULT_SENDER",
                "CATALOG_EXTERNAL_URL",
            )
            if not os.environ.get(name)
        ]
        if missing:
            raise RuntimeError(
                "Self-registration (CATALOG_REGISTRATION) is on, so production needs "
                f"{', '.join(missing)} set in the environment (or CATALOG_REGISTRATION=false)."
            )


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

"""gunicorn's settings for Setlist in production, read from the environment.

Run `gunicorn` from the project folder (it reads this file); see README, "Production".
"""

import os

#: The application: the configuration comes from CATALOG_CONFIG (production).
wsgi_app = "app:create_app()"

# Behind a reverse proxy on another machine, set HOST=0.0.0.0 (and CATALOG_TRUSTED_PROXIES).
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
#: Seconds a worker may spend on one request (a large upload over a slow link) before
#: gunicorn restarts it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Upload bodies are spooled to temporary files, not held in memory (Werkzeug's form parser).
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None

# Setlist logs one line per request itself (with its request id, user and duration), so
# gunicorn's own access log is off unless asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT",
    '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s',
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "setlist"

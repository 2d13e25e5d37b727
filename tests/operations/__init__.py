"""Running Setlist: configuration, run.py, migrations, gunicorn and nginx in production, health
checks, the request log, and outages of the database, Redis or the object store."""

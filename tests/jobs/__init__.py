"""Background jobs: queued after a song's commit, run in-process or by Celery workers, the
Jobs page and `flask catalog analyze`."""

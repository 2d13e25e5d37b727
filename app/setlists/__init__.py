"""Setlists' rules, whatever door reaches them (FAB views, the JSON API, CLI commands).

Flask-free: callers pass a SQLAlchemy session and plain values (who acts, may they publish);
`rules` says who sees and edits what and changes a setlist itself, `entries` orders its songs.
The caller commits; the app's history hook records every change in the same transaction.
"""

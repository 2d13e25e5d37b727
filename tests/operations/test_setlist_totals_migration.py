"""Migration 0014 counts the setlists that exist: their songs and playing time on the row."""

from datetime import UTC, datetime

from flask_migrate import upgrade
from sqlalchemy import text

from app.extensions import db
from tests.operations.test_migrations import empty_app, insert_songs  # noqa: F401 - fixture

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def test_upgrade_counts_existing_setlists(empty_app, migrations_dir):  # noqa: F811
    """Setlists written before 0014 show their entries and length after it (an empty one
    shows none), read from the new columns."""
    upgrade(directory=migrations_dir, revision="0013_setlist_shares")
    insert_songs([{"duration": 60.5}, {"duration": 120.25}, {"duration": None}])
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO ab_user (id, first_name, last_name, username, email, active) "
            "VALUES (1, 'O', 'W', 'owner', 'owner@example.org', true)"
        )
        connection.execute(
            text(
                "INSERT INTO setlist (id, name, name_key, owner_id, visibility, created_at, "
                "updated_at) VALUES (:id, 'S', 's', 1, 'private', :now, :now)"
            ),
            [{"id": 1, "now": NOW}, {"id": 2, "now": NOW}],
        )
        connection.execute(
            text(
                "INSERT INTO setlist_entry (id, setlist_id, song_id, position, added_at) "
                "VALUES (:id, 1, :song, :position, :now)"
            ),
            [
                {"id": n, "song": song, "position": n * 1024, "now": NOW}
                for n, song in enumerate((1, 2, 1, 3), start=1)
            ],
        )
    upgrade(directory=migrations_dir)
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, entry_count, playing_ms FROM setlist ORDER BY id"
        ).all()
    assert [tuple(row) for row in rows] == [(1, 4, 241_250), (2, 0, 0)]

"""Alembic owns the schema: up from nothing, matching the models, down and up again."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.database import objects_of_dialect
from app.extensions import db
from app.models import Model
from app.search.substrings import is_trigram_table

EXPECTED_TABLES = {
    "ab_user",
    "change",
    "ab_role",
    "ab_permission",
    "ab_view_menu",
    "ab_permission_view",
    "ab_permission_view_role",
    "ab_user_role",
    "ab_register_user",
    "ab_group",
    "ab_user_group",
    "ab_group_role",
    "ab_api_key",
    "author",
    "album",
    "song",
    "login_session",
    "play_queue",
    "play_queue_entry",
    "setlist",
    "setlist_entry",
    "setlist_share",
    "app_password",
    "song_mark",
    "album_mark",
    "author_mark",
    "catalog_tally",
    "song_play",
    "now_playing",
    "job",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_app(request, tmp_path, fresh_database):
    """An app on an empty database of each kind."""
    url = fresh_database(request.param)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def tables() -> set[str]:
    """The tables in the app's database, Alembic's bookkeeping and SQLite's FTS5 trigram
    tables (no model declares them) aside."""
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if not is_trigram_table(name)}


def schema_differences() -> list:
    """What autogenerate would change to make the database match the models."""
    with db.engine.connect() as connection:
        options = {
            "compare_type": True,
            "include_object": objects_of_dialect(connection.dialect.name, is_trigram_table),
        }
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, Model.metadata)


def test_upgrade_matches_models_and_round_trips(empty_app, migrations_dir):
    """upgrade creates every table, autogenerate then finds nothing; down and up work."""
    assert tables() == set()
    upgrade(directory=migrations_dir)
    assert tables() == EXPECTED_TABLES
    assert schema_differences() == []

    downgrade(directory=migrations_dir, revision="base")
    assert tables() == set()

    upgrade(directory=migrations_dir)
    assert tables() == EXPECTED_TABLES
    assert schema_differences() == []


def test_app_start_creates_no_tables(empty_app):
    """Building the app on an empty database leaves it empty: only Alembic creates tables."""
    assert tables() == set()


def test_downgrade_and_upgrade_keep_catalog_rows(empty_app, migrations_dir):
    """Stepping back one revision and forward again keeps existing songs."""
    upgrade(directory=migrations_dir)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO author (id, name) VALUES (1, 'Kept')")
        connection.exec_driver_sql(
            "INSERT INTO album (id, title, author_id) VALUES (1, 'Kept Album', 1)"
        )
        connection.exec_driver_sql(
            "INSERT INTO song (id, title, album_id, audio_file, original_filename) "
            "VALUES (1, 'Kept Song', 1, 'x.mp3', 'x.mp3')"
        )
    downgrade(directory=migrations_dir, revision="-1")
    upgrade(directory=migrations_dir)
    with db.engine.connect() as connection:
        titles = connection.exec_driver_sql("SELECT title FROM song").scalars().all()
        assert titles == ["Kept Song"]
        assert connection.exec_driver_sql("SELECT title FROM album").scalar() == "Kept Album"
    assert schema_differences() == []


def insert_songs(songs: list[dict]) -> None:
    """Songs (ids 1, 2, ...) with the given columns, in one album, written with plain SQL."""
    with db.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO author (id, name) VALUES (1, 'A')")
        connection.exec_driver_sql("INSERT INTO album (id, title, author_id) VALUES (1, 'B', 1)")
        for song_id, columns in enumerate(songs, start=1):
            row = {"id": song_id, "title": "S", "album_id": 1, "audio_file": f"{song_id}.mp3",
                   "original_filename": "x.mp3", **columns}  # fmt: skip
            names = ", ".join(row)
            values = ", ".join(f":{name}" for name in row)
            connection.execute(text(f"INSERT INTO song ({names}) VALUES ({values})"), row)  # noqa: S608


def test_upgrade_cleans_control_characters_from_stored_names(empty_app, migrations_dir):
    """Names stored before uploads were cleaned lose their control characters on upgrade."""
    upgrade(directory=migrations_dir, revision="0004_login_sessions")
    insert_songs(
        [{"original_filename": "bad\r\nname\x07.mp3"}, {"original_filename": "fine name.mp3"}]
    )
    upgrade(directory=migrations_dir)
    with db.engine.connect() as connection:
        names = connection.exec_driver_sql("SELECT original_filename FROM song ORDER BY id")
        assert names.scalars().all() == ["badname.mp3", "fine name.mp3"]


def test_upgrade_keeps_existing_duplicates_as_kept(empty_app, migrations_dir):
    """Songs that already share a file stay; all but the oldest become kept duplicates."""
    upgrade(directory=migrations_dir, revision="0005_clean_original_names")
    insert_songs([{"sha256": "a" * 64}, {"sha256": "a" * 64}, {"sha256": "b" * 64}])
    upgrade(directory=migrations_dir)
    with db.engine.connect() as connection:
        kept = connection.exec_driver_sql("SELECT id, kept_duplicate FROM song ORDER BY id")
        assert [(song_id, bool(flag)) for song_id, flag in kept] == [
            (1, False),
            (2, True),
            (3, False),
        ]

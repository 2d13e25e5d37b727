"""Migration 0023 counts the catalog that exists: the home page's figures from its rows."""

from flask_migrate import upgrade

from app.extensions import db
from tests.operations.test_migrations import empty_app, insert_songs  # noqa: F401 - fixture


def test_upgrade_counts_the_existing_catalog(empty_app, migrations_dir):  # noqa: F811
    """Songs, albums and authors written before 0023 show in its counters: totals, songs per
    genre (an empty genre is none), per decade (the song's year, else its album's; neither:
    no decade) and per author."""
    upgrade(directory=migrations_dir, revision="0022_album_loudness_player_sound")
    insert_songs(
        [
            {"genre": "Rock", "year": 1994, "duration": 60.5, "file_size": 100},
            {"genre": "Rock", "duration": 120.25, "file_size": 200},
            {"genre": "", "year": 1971},
        ]
    )
    with db.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO author (id, name) VALUES (2, 'C')")
        connection.exec_driver_sql(
            "INSERT INTO album (id, title, author_id, release_year) VALUES (2, 'D', 2, 2003)"
        )
        connection.exec_driver_sql(
            "INSERT INTO song (id, title, album_id, audio_file, original_filename, duration) "
            "VALUES (4, 'E', 2, '4.mp3', 'x.mp3', 1.0)"
        )
        connection.exec_driver_sql("INSERT INTO author (id, name) VALUES (3, 'No albums')")
    upgrade(directory=migrations_dir)
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT kind, label, number, amount, playing_ms, stored_bytes FROM catalog_tally"
        ).all()
    assert sorted(tuple(row) for row in rows) == [
        ("albums", "", 0, 2, 0, 0),
        ("author", "", 1, 3, 180_750, 300),
        ("author", "", 2, 1, 1_000, 0),
        ("authors", "", 0, 3, 0, 0),
        ("decade", "", 1970, 1, 0, 0),
        ("decade", "", 1990, 1, 60_500, 100),
        ("decade", "", 2000, 1, 1_000, 0),
        ("genre", "", 0, 2, 1_000, 0),
        ("genre", "Rock", 0, 2, 180_750, 300),
        ("total", "", 0, 4, 181_750, 300),
    ]

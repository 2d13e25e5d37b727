"""The search tests' catalog: names that test ranking, accents and Unicode."""

import pytest

from app.extensions import db
from app.models import Album, Author, Song


@pytest.fixture
def catalog(app):
    """A small catalog whose names test ranking, accents and Unicode; name -> id."""
    with app.app_context():
        bjork = Author(name="Björk", country="Iceland")
        cafe = Author(name="Café Tacvba", country="Mexico")
        river_author = Author(name="Rivers Cuomo")
        debut = Album(title="Debut", author=bjork)
        rio = Album(title="Río Grande", author=cafe)
        songs = {
            "river": Song(title="River", album=debut),
            "riverside": Song(title="Riverside", album=debut),
            "moon river": Song(title="Moon River", album=rio),
            "night": Song(title="夜の歌 <b>", album=rio),
            "cafe": Song(title="Café de Flore", album=rio),
        }
        for number, song in enumerate(songs.values()):
            song.audio_file, song.original_filename = f"f{number}.mp3", f"f{number}.mp3"
        db.session.add_all([river_author, *songs.values()])
        db.session.commit()
        ids = {name: song.id for name, song in songs.items()}
        ids.update(bjork=bjork.id, cafe_tacvba=cafe.id, rivers=river_author.id)
        ids.update(debut=debut.id, rio=rio.id)
        return ids

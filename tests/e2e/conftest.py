"""Fixtures of the browser tests: albums of generated tones the player can really play."""

import io

import pytest

from app.extensions import db
from app.media.file_store import LocalStore, content_sha256
from app.models import Album, Author, Song
from tests.e2e.queueing import tone


@pytest.fixture
def make_album(app, upload_folder):
    """make_album(title, [(song title, track, seconds), ...]) -> (album id, song ids)."""
    store = LocalStore(upload_folder)
    made = []

    def make(title: str, songs: list[tuple[str, int | None, float]]) -> tuple[int, list[int]]:
        with app.app_context():
            album = Album(title=title, author=Author(name=f"{title} Band"))
            rows = []
            for song_title, track, seconds in songs:
                content = tone(seconds, 220 + 40 * len(made))
                made.append(song_title)
                rows.append(
                    Song(
                        title=song_title,
                        album=album,
                        track_number=track,
                        audio_file=store.save(io.BytesIO(content), "tone.wav"),
                        original_filename="tone.wav",
                        duration=seconds,
                        sha256=content_sha256(io.BytesIO(content)),
                        mime_type="audio/wav",
                        audio_format="WAV",
                    )
                )
            db.session.add_all(rows)
            db.session.commit()
            return album.id, [row.id for row in rows]

    return make

"""A share link's streams when the songs are in an S3-compatible bucket (a real SeaweedFS
on loopback): ranges come from the object, as the catalog's own streams do."""

import pytest

from app.extensions import db
from app.models import Setlist, SetlistEntry
from tests.setlists.sharing_building import create_link
from tests.support.apps import add_role_users
from tests.support.forms import Browser


@pytest.fixture
def s3_app(standalone_app, s3_settings):
    """An app keeping its files in the test's prefix of the bucket, with one user per role."""
    app = standalone_app(**s3_settings)
    add_role_users(app)
    return app


def test_a_link_streams_ranges_from_the_bucket(s3_app, audio, audio_dir):
    """An editor uploads a song, puts it in a setlist and shares it; a stranger's Range
    request gets exactly those bytes of the object (206), and the whole file too."""
    editor = Browser(s3_app.test_client())
    assert editor.login("eddie")
    added = editor.submit("/songs/add", {"album": "", "audio_file": audio("morning-light.mp3")})
    assert added.status_code == 302
    song_id = int(added.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with s3_app.app_context():
        owner_id = s3_app.appbuilder.sm.find_user(username="eddie").id
        setlist = Setlist(name="From the bucket", owner_id=owner_id, visibility="private")
        db.session.add(setlist)
        db.session.flush()
        entry = SetlistEntry(setlist_id=setlist.id, song_id=song_id, position=1024)
        db.session.add(entry)
        db.session.commit()
        setlist_id, entry_id = setlist.id, entry.id
    link = create_link(editor, setlist_id)
    content = (audio_dir / "morning-light.mp3").read_bytes()
    stranger = s3_app.test_client()
    part = stranger.get(f"{link}/stream/{entry_id}", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.data == content[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(content)}"
    whole = stranger.get(f"{link}/stream/{entry_id}")
    assert whole.status_code == 200
    assert whole.data == content

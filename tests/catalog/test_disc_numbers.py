"""A song's disc number, through every door: the song form, its page, the file's tags (ID3,
Vorbis, MP4), the JSON API (read, write, upload) and the change history."""

import io
import shutil

import pytest
from mutagen.id3 import ID3, TALB, TIT2, TPE1, TPOS, TRCK
from mutagen.mp4 import MP4
from mutagen.oggvorbis import OggVorbis
from sqlalchemy import select

from app.extensions import db
from app.models import Change, Song


def song_row(app, song_id: int) -> Song:
    """A song as the database holds it."""
    with app.app_context():
        song = db.session.get(Song, song_id)
        db.session.expunge(song)
        return song


def test_the_song_form_sets_the_disc_and_the_page_shows_it(app, editor, song):
    """Disc beside Track on the form; out of range is refused next to the field."""
    form = editor.get(f"/songs/edit/{song.id}").get_data(as_text=True)
    assert form.index('name="track_number"') < form.index('name="disc_number"')
    fields = {"title": song.title, "album": str(song.album_id), "track_number": "4"}
    refused = editor.submit(f"/songs/edit/{song.id}", {**fields, "disc_number": "100"})
    assert refused.status_code == 200
    assert "Number must be between 1 and 99." in refused.get_data(as_text=True)
    assert song_row(app, song.id).disc_number is None
    saved = editor.submit(f"/songs/edit/{song.id}", {**fields, "disc_number": "2"})
    assert saved.status_code == 302
    assert song_row(app, song.id).disc_number == 2
    page = editor.get(f"/songs/show/{song.id}").get_data(as_text=True)
    assert (
        '<tr class="field-disc_number">\n    <th class="col-lg-2 col-md-2 col-sm-2">Disc</th>'
        in page
    )
    assert '<span class="record-value">2</span>' in page
    with app.app_context():
        change = db.session.scalars(select(Change).where(Change.kind == "song")).all()[-1]
    assert change.changes["disc_number"] == [None, 2]


def tagged_copies(folder, audio_dir) -> dict[str, tuple]:
    """The same tags (disc 2 of 3, track 5) written the way each format keeps them."""
    mp3 = folder / "disc.mp3"
    shutil.copy(audio_dir / "untagged-tone.mp3", mp3)
    tags = ID3()
    for frame in (TIT2(text="Side B"), TPE1(text="Disc Artist"), TALB(text="Two Discs")):
        tags.add(frame)
    tags.add(TRCK(text="5/12"))
    tags.add(TPOS(text="2/3"))
    tags.save(mp3)
    ogg = folder / "disc.ogg"
    shutil.copy(audio_dir / "tone.ogg", ogg)
    vorbis = OggVorbis(ogg)
    vorbis.update(
        title="Side B", artist="Disc Artist", album="Two Discs", tracknumber="5", discnumber="2"
    )
    vorbis.save()
    m4a = folder / "disc.m4a"
    shutil.copy(audio_dir / "tone.m4a", m4a)
    atoms = MP4(m4a)
    atoms["\xa9nam"], atoms["\xa9ART"], atoms["\xa9alb"] = (
        ["Side B"],
        ["Disc Artist"],
        ["Two Discs"],
    )
    atoms["trkn"], atoms["disk"] = [(5, 12)], [(2, 3)]
    atoms.save()
    return {"mp3": mp3, "ogg": ogg, "m4a": m4a}


@pytest.mark.parametrize("kind", ["mp3", "ogg", "m4a"])
def test_tags_fill_the_disc(app, editor, audio_dir, tmp_path, kind):
    """An upload whose tags say disc 2 lands on disc 2 (and an edit keeps it)."""
    path = tagged_copies(tmp_path, audio_dir)[kind]
    response = editor.submit(
        "/songs/add", {"album": "", "audio_file": (io.BytesIO(path.read_bytes()), path.name)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    song_id = int(response.headers["Location"].rsplit("/", 1)[1])
    song = song_row(app, song_id)
    assert (song.disc_number, song.track_number) == (2, 5)


def test_the_api_reads_writes_and_uploads_the_disc(app, editor, song, audio_dir, tmp_path):
    """JSON shows disc_number, PUT changes it (checked by the form), upload takes it."""
    assert editor.api("GET", f"/api/v1/song/{song.id}").json["result"]["disc_number"] is None
    refused = editor.api("PUT", f"/api/v1/song/{song.id}", json={"disc_number": 0})
    assert refused.status_code == 422
    assert "disc_number" in refused.json["errors"]
    changed = editor.api("PUT", f"/api/v1/song/{song.id}", json={"disc_number": 3})
    assert changed.status_code == 200
    assert song_row(app, song.id).disc_number == 3
    path = tagged_copies(tmp_path, audio_dir)["ogg"]
    uploaded = editor.api(
        "POST",
        "/api/v1/song/upload",
        data={"file": (io.BytesIO(path.read_bytes()), path.name), "disc_number": "1"},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.json
    assert uploaded.json["result"]["disc_number"] == 1  # what was sent beats the tag

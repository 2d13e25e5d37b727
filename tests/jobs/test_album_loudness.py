"""Album gain end to end, in-process: an album's songs measured as one (as ffmpeg's concat
and ebur128 measure them), measured again when the album gains, loses or swaps a song, shown
on the album's page, in the API, the CSV export and Subsonic's replayGain; a broken song
fails its album's job, naming the song; `flask catalog analyze` backfills older albums."""

import csv
import html
import io
import re
import shutil
import subprocess

import pytest
from sqlalchemy import delete, select, update

from app.audio_analysis import available
from app.extensions import db
from app.jobs.album_loudness import KIND
from app.jobs.running import run_job
from app.models import Album, AppPassword, Song
from app.models.jobs import Job
from app.security.app_passwords import cipher_for, create
from app.subsonic.ids import song_id as subsonic_song_id
from tests.audio_analysis.reference import FFMPEG, ffmpeg_ebur128
from tests.jobs.test_loudness_kind import broken
from tests.jobs.workers import queue_settings, start_worker, stop_worker, wait_for
from tests.subsonic.conftest import Subsonic, token_params
from tests.support.apps import add_role_users
from tests.support.databases import redis_url, require
from tests.support.forms import Browser

LINE = re.compile(r"(-?[\d.]+) LUFS · album gain ([+-][\d.]+) dB · peak (-?[\d.]+) dBTP")
#: name -> (lavfi source, album tag, track): three seconds each, unlike in level.
TRACKS = {
    "dusk": ("anoisesrc=d=3:c=pink:a=0.2:seed=1", "Evening", 1),
    "hush": ("sine=f=330:d=3,volume=-12dB", "Evening", 2),
    "roar": ("anoisesrc=d=3:c=pink:a=0.9:seed=2", "Evening", 3),
    "dawn": ("sine=f=550:d=3,volume=6dB", "Morning", 1),
    # Louder than the rest: the file that replaces dawn's changes the album's numbers.
    "blast": ("sine=f=440:d=3,volume=17dB", "Morning", 1),
}


@pytest.fixture(scope="module")
def tracks(tmp_path_factory) -> dict:
    """The tracks as tagged FLAC files made by Debian's ffmpeg (skip locally without it and
    PyAV, fail under CI=true)."""
    ok, reason = available()
    require(ok, reason)
    require(bool(shutil.which(FFMPEG)), f"{FFMPEG} is not installed")
    folder = tmp_path_factory.mktemp("album")
    paths = {}
    for name, (source, album, track) in TRACKS.items():
        path = paths[name] = folder / f"{name}.flac"
        tags = ["-metadata", f"title={name}", "-metadata", f"album={album}"]
        tags += ["-metadata", "artist=Meter", "-metadata", f"track={track}"]
        command = [
            FFMPEG,
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            source,
            "-ac",
            "2",
            "-ar",
            "48000",
        ]
        subprocess.run([*command, *tags, str(path)], check=True, timeout=60)
    return paths


def add(editor, path, album: str = "") -> int:
    """Add a file through the add song page (its album from its tags unless given)."""
    sent = (io.BytesIO(path.read_bytes()), path.name)
    answer = editor.submit("/songs/add", {"album": album, "audio_file": sent})
    assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
    return db.session.scalar(select(Song.id).where(Song.original_filename == path.name))


def page_line(editor, album_id: int) -> str:
    """The text of the album page's Loudness line."""
    page = editor.client.get(f"/albums/show/{album_id}").get_data(as_text=True)
    found = re.search(r'class="field-loudness">.*?record-value">([^<]*)<', page, re.DOTALL)
    assert found, "the album page has a Loudness line"
    return " ".join(html.unescape(found.group(1)).split())


def assert_measured(editor, album_id: int, *paths) -> None:
    """The album's stored values and its page are ffmpeg's over the files played as one."""
    expected = ffmpeg_ebur128(*paths)
    album = db.session.get(Album, album_id)
    db.session.refresh(album)
    assert album.loudness_lufs == pytest.approx(expected["I"], abs=0.1)
    assert album.album_gain_db == pytest.approx(-18 - expected["I"], abs=0.1)
    assert album.true_peak_db == pytest.approx(expected["Peak"], abs=0.1)
    assert album.album_peak == pytest.approx(10 ** (expected["Peak"] / 20), rel=0.02)
    lufs, gain, peak = (float(n) for n in LINE.search(page_line(editor, album_id)).groups())
    assert (lufs, gain, peak) == pytest.approx(
        (expected["I"], -18 - expected["I"], expected["Peak"]), abs=0.1
    )


def get_song(app, users, song_id: int) -> list[dict]:
    """Subsonic's getSong replayGain for the song, in JSON then in XML."""
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=users["Listener"])
        key = create(db.session, cipher_for(app.config), user.id, "Phone")[1]
    try:
        subsonic, gains = Subsonic(app.test_client()), []
        for f in ("json", "xml"):
            answer = subsonic.call(
                "getSong", f, id=subsonic_song_id(song_id), **token_params(users["Listener"], key)
            )
            gains.append(
                answer["song"][0]["replayGain"][0] if f == "xml" else answer["song"]["replayGain"]
            )
        return gains
    finally:
        with app.app_context():
            db.session.execute(delete(AppPassword))
            db.session.commit()


def test_an_album_is_measured_again_as_its_songs_change(app, editor, users, tracks):
    """Two songs, a third, one deleted, one moved, a file replaced: each time ffmpeg's
    numbers (±0.1)."""
    with app.app_context():
        dusk = add(editor, tracks["dusk"])
        evening = db.session.get(Song, dusk).album_id
        hush = add(editor, tracks["hush"])
        assert_measured(editor, evening, tracks["dusk"], tracks["hush"])
        two_songs = db.session.get(Album, evening).loudness_key

        roar = add(editor, tracks["roar"])
        assert db.session.get(Album, evening).loudness_key != two_songs
        assert_measured(editor, evening, tracks["dusk"], tracks["hush"], tracks["roar"])
        album_gain = db.session.get(Album, evening).album_gain_db

    result = editor.api("GET", f"/api/v1/album/{evening}").json["result"]
    assert result["album_gain_db"] == album_gain
    assert {"loudness_lufs", "true_peak_db", "album_peak"} <= set(result)
    exported = editor.client.get("/albums/export.csv").get_data(as_text=True).lstrip("\ufeff")
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert float(row["Album gain (dB)"]) == album_gain
    for gains in get_song(app, users, hush):
        assert float(gains["albumGain"]) == album_gain
        assert float(gains["trackGain"]) != album_gain
        assert 0 < float(gains["albumPeak"]) <= 1.2

    with app.app_context():
        deleted = editor.submit("/songs/list/", {}, post_url=f"/songs/delete/{hush}")
        assert deleted.status_code == 302
        assert_measured(editor, evening, tracks["dusk"], tracks["roar"])

        dawn = add(editor, tracks["dawn"])
        morning = db.session.get(Song, dawn).album_id
        moved = editor.submit(f"/songs/edit/{roar}", {"title": "roar", "album": str(morning)})
        assert moved.status_code == 302, moved.get_data(as_text=True)[-2000:]
        assert_measured(editor, evening, tracks["dusk"])
        assert_measured(editor, morning, tracks["dawn"], tracks["roar"])

        sent = (io.BytesIO(tracks["blast"].read_bytes()), "blast.flac")
        fields = {"title": "dawn", "album": str(morning), "track_number": "1"}
        replaced = editor.submit(f"/songs/edit/{dawn}", {**fields, "audio_file": sent})
        assert replaced.status_code == 302, replaced.get_data(as_text=True)[-2000:]
        assert_measured(editor, morning, tracks["blast"], tracks["roar"])

        editor.submit(f"/songs/edit/{dusk}", {"title": "dusk", "album": str(morning)})
        left = db.session.get(Album, evening)
        assert (left.loudness_key, left.album_gain_db, left.album_peak) == (None, None, None)
        assert page_line(editor, evening) == "Not analysed yet"
        jobs = db.session.scalars(select(Job.state).where(Job.kind == KIND)).all()
        assert not {"queued", "failed"} & set(jobs)


def test_a_broken_song_fails_its_albums_job(app, editor, tracks, tmp_path):
    """The album's job fails naming the song (not its file); the other song is measured."""
    rubble = broken(tmp_path, "tone.flac", 1000)
    with app.app_context():
        dusk = add(editor, tracks["dusk"])
        evening = db.session.get(Song, dusk).album_id
        bad = add(editor, rubble, album=str(evening))
        stored = db.session.get(Song, bad).audio_file
        assert db.session.get(Song, dusk).loudness_lufs is not None
        key = db.session.get(Album, evening).loudness_key
        job = db.session.scalar(select(Job).where(Job.sha256 == key, Job.kind == KIND))
        assert job.state == "failed"
        assert stored not in job.reason
    line = page_line(editor, evening)
    assert line == "Analysis failed: the song “Tone in FLAC”: not decodable: no audio decoded"


def test_analyze_backfills_albums_from_before_jobs(app, runner, song, tracks):
    """An album without a key is measured by analyze --missing, once; --all measures again."""
    with app.app_context():
        db.session.execute(delete(Job).where(Job.kind == KIND))
        db.session.execute(update(Album).values(loudness_key=None, album_gain_db=None))
        db.session.commit()
    analyzed = runner.invoke(args=["catalog", "analyze", "--missing", "--kind", KIND])
    assert "1 job(s) of 1 album(s) run." in analyzed.output, analyzed.output
    with app.app_context():
        album = db.session.get(Album, song.album_id)
        assert album.album_gain_db is not None
        assert album.loudness_key is not None
    again = runner.invoke(args=["catalog", "analyze", "--missing", "--kind", KIND])
    assert "0 job(s) of 0 album(s) run." in again.output, again.output
    everything = runner.invoke(args=["catalog", "analyze", "--all", "--kind", KIND])
    assert "1 job(s) of 1 album(s) run." in everything.output, everything.output

    with app.app_context():  # the album changed before its job ran: the job saves nothing
        key = db.session.get(Album, song.album_id).loudness_key
        db.session.execute(update(Album).values(loudness_key="f" * 64, album_gain_db=None))
        db.session.execute(update(Job).where(Job.sha256 == key).values(state="queued"))
        db.session.commit()
        assert run_job(key, KIND, "test") == "done"
        assert db.session.get(Album, song.album_id).album_gain_db is None
        reason = db.session.scalar(select(Job.reason).where(Job.sha256 == key))
        assert reason == "superseded: the album's songs changed"


def test_a_worker_measures_an_album(standalone_app, tracks, tmp_path):
    """On the real queue: two uploads to one album, and a worker process stores ffmpeg's
    album numbers for the two (the job of the first upload's album finds it changed)."""
    redis_url()  # skips locally, fails under CI=true, without Redis
    app = standalone_app(**queue_settings())
    add_role_users(app)
    worker = start_worker(app, "album@test", tmp_path / "worker.log")
    try:
        editor = Browser(app.test_client())
        assert editor.login("eddie")
        with app.app_context():
            evening = db.session.get(Song, add(editor, tracks["dusk"])).album_id
            add(editor, tracks["hush"])

        def measured() -> bool:
            with app.app_context():
                key = db.session.get(Album, evening).loudness_key
                state = select(Job.state).where(Job.sha256 == key, Job.kind == KIND)
                return db.session.scalar(state) == "done"

        wait_for(measured, message=lambda: (tmp_path / "worker.log").read_text()[-3000:])
        with app.app_context():
            assert_measured(editor, evening, tracks["dusk"], tracks["hush"])
    finally:
        stop_worker(worker)

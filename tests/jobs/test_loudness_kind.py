"""The "loudness" job end to end, in-process: a song added through the add form is measured
(as ffmpeg's ebur128 measures it), and its page, the JSON API, the CSV export and Subsonic's
getSong carry the numbers; a broken file fails its job and stays playable; a silent one is
done with no numbers; a song from before jobs says it is not analysed yet."""

import csv
import html
import io
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from app.audio_analysis import Waveform, available
from app.extensions import db
from app.models import AppPassword, Song
from app.models.jobs import Job
from app.security.app_passwords import cipher_for, create
from app.subsonic.ids import song_id as subsonic_song_id
from tests.audio_analysis.reference import FFMPEG, SOURCES, ffmpeg_ebur128
from tests.subsonic.conftest import Subsonic, token_params
from tests.support.apps import AUDIO
from tests.support.databases import require

LINE = re.compile(
    r"(-?[\d.]+) LUFS · gain ([+-][\d.]+) dB · peak (-?[\d.]+) dBTP · range ([\d.]+) LU"
)


@pytest.fixture(scope="module")
def reference_tools():
    """PyAV and Debian's ffmpeg (the reference): skip locally without, fail under CI=true."""
    ok, reason = available()
    require(ok, reason)
    require(bool(shutil.which(FFMPEG)), f"{FFMPEG} is not installed")


def add_song(editor, path) -> int:
    """Add a file through the add song page; the new song's id."""
    sent = (io.BytesIO(path.read_bytes()), path.name)
    answer = editor.submit("/songs/add", {"album": "", "audio_file": sent})
    assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
    return int(db.session.scalar(select(Song.id).where(Song.original_filename == path.name)))


def loudness_line(editor, song_id: int) -> str:
    """The text of the song page's Loudness line."""
    page = editor.client.get(f"/songs/show/{song_id}").get_data(as_text=True)
    found = re.search(r'class="field-loudness">.*?record-value">([^<]*)<', page, re.DOTALL)
    assert found, "the song page has a Loudness line"
    return " ".join(html.unescape(found.group(1)).split())


def test_a_new_song_is_measured_as_ffmpeg_measures_it(app, editor, users, reference_tools):
    """Upload, then the page, the API, the CSV and getSong show ffmpeg's numbers (±0.1)."""
    path = AUDIO / "cafe-nocturne-vbr.mp3"
    expected = ffmpeg_ebur128(path)
    with app.app_context():
        song_id = add_song(editor, path)
        row = db.session.get(Song, song_id)
        assert Waveform.from_bytes(row.waveform).amplitudes()
        job = db.session.scalar(select(Job).where(Job.song_id == song_id, Job.kind == "loudness"))
        assert (job.state, "waveform" in job.result) == ("done", False)

    lufs, gain, peak, spread = (
        float(n) for n in LINE.search(loudness_line(editor, song_id)).groups()
    )
    assert lufs == pytest.approx(expected["I"], abs=0.1)
    assert gain == pytest.approx(-18 - expected["I"], abs=0.1)
    assert peak == pytest.approx(expected["Peak"], abs=0.1)
    assert spread == pytest.approx(expected["LRA"], abs=0.1)

    result = editor.api("GET", f"/api/v1/song/{song_id}").json["result"]
    assert result["loudness_lufs"] == pytest.approx(expected["I"], abs=0.1)
    assert result["track_gain_db"] == pytest.approx(-18 - expected["I"], abs=0.1)
    assert result["true_peak_db"] == pytest.approx(expected["Peak"], abs=0.1)
    assert result["loudness_range"] == pytest.approx(expected["LRA"], abs=0.1)
    assert result["track_peak"] == pytest.approx(10 ** (expected["Peak"] / 20), rel=0.02)

    exported = editor.client.get("/songs/export.csv").get_data(as_text=True).lstrip("\ufeff")
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert float(row["Loudness (LUFS)"]) == pytest.approx(expected["I"], abs=0.1)
    assert float(row["Track gain (dB)"]) == pytest.approx(-18 - expected["I"], abs=0.1)
    assert float(row["True peak (dBTP)"]) == pytest.approx(expected["Peak"], abs=0.1)

    with app.app_context():
        user = app.appbuilder.sm.find_user(username=users["Listener"])
        key = create(db.session, cipher_for(app.config), user.id, "Phone")[1]
    try:
        subsonic = Subsonic(app.test_client())
        for f in ("json", "xml"):
            answer = subsonic.call(
                "getSong", f, id=subsonic_song_id(song_id), **token_params(users["Listener"], key)
            )
            song = answer["song"][0] if f == "xml" else answer["song"]
            gain_entry = song["replayGain"][0] if f == "xml" else song["replayGain"]
            assert float(gain_entry["trackGain"]) == pytest.approx(-18 - expected["I"], abs=0.1)
            assert float(gain_entry["trackPeak"]) == pytest.approx(
                10 ** (expected["Peak"] / 20), rel=0.02
            )
    finally:
        with app.app_context():
            db.session.execute(delete(AppPassword))
            db.session.commit()


def broken(folder, name: str, kept: int) -> Path:
    """The fixture `name` with all but its first `kept` bytes turned to noise: its header
    (what the upload checks) is sound, nothing after it decodes."""
    rubble = random.Random(7)  # noqa: S311 - the same noise every run, no secret
    sound = (AUDIO / name).read_bytes()
    path = folder / f"rubble-{name}"
    path.write_bytes(sound[:kept] + bytes(rubble.getrandbits(8) for _ in sound[kept:]))
    return path


@pytest.mark.parametrize(
    ("name", "kept", "reason"),
    [
        ("tone.flac", 1000, "not decodable: no audio decoded"),
        # FFmpeg names the file it read (the job's local copy): the page says "the file".
        ("tone.ogg", 5000, "not decodable: [Errno 541478725] End of file: 'the file'"),
    ],
)
def test_a_broken_file_fails_its_job_and_stays_playable(
    app, editor, reference_tools, tmp_path, name, kept, reason
):
    """ "Analysis failed: <reason>" on its page, no path in it, and it still streams."""
    path = broken(tmp_path, name, kept)
    with app.app_context():
        song_id = add_song(editor, path)
        assert db.session.get(Song, song_id).loudness_lufs is None
    assert loudness_line(editor, song_id) == f"Analysis failed: {reason}"
    streamed = editor.client.get(f"/songs/stream/{song_id}")
    assert streamed.status_code == 200
    assert streamed.get_data() == path.read_bytes()
    assert editor.api("GET", f"/api/v1/song/{song_id}").json["result"]["loudness_lufs"] is None


def test_a_silent_file_is_done_without_numbers(app, editor, reference_tools, tmp_path):
    """Silence: the job is done, the page says so, no gain; the waveform is flat."""
    source, options, suffix = SOURCES["silent"]
    path = tmp_path / f"silence.{suffix}"
    command = [FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", source, *options, str(path)]
    subprocess.run(command, check=True, timeout=60)
    with app.app_context():
        song_id = add_song(editor, path)
        state = db.session.scalar(
            select(Job.state).where(Job.song_id == song_id, Job.kind == "loudness")
        )
        song = db.session.get(Song, song_id)
        assert (song.loudness_lufs, song.track_gain_db, song.track_peak) == (None, None, None)
        assert set(Waveform.from_bytes(song.waveform).amplitudes()) == {0}
    assert state == "done"
    assert loudness_line(editor, song_id) == "Silent: no loudness to measure"


def test_a_song_from_before_jobs_is_not_analysed_yet(app, editor, song):
    """A song whose file has no loudness job says so; queued, it is being analysed; waiting,
    it says for what."""
    with app.app_context():
        db.session.execute(delete(Job).where(Job.song_id == song.id))
        db.session.commit()
    assert loudness_line(editor, song.id) == "Not analysed yet"
    with app.app_context():
        db.session.add(Job(song_id=song.id, sha256=song.sha256, kind="loudness", state="queued"))
        db.session.commit()
    assert loudness_line(editor, song.id) == "Analysing…"
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.song_id == song.id))
        job.state, job.reason = "waiting", "waiting for ffmpeg"
        db.session.commit()
    assert loudness_line(editor, song.id) == "Not analysed yet (waiting for ffmpeg)"


def test_the_numbers_follow_the_pages_language(app, editor, reference_tools):
    """In Spanish the line's numbers have a decimal comma, as the page's other numbers."""
    with app.app_context():
        song_id = add_song(editor, AUDIO / "tone.flac")
        lufs = db.session.get(Song, song_id).loudness_lufs
    editor.client.get("/lang/es")
    assert loudness_line(editor, song_id).startswith(f"{lufs:.1f} LUFS".replace(".", ","))

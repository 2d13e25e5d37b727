"""The Jobs page: admins only; counts by state; a failing kind's job failed with its reason,
run again by Retry (a form post with its CSRF token) once the cause is mended."""

import io
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.jobs import Job
from tests.support.apps import AUDIO

#: Only the kinds these tests count on (tests/jobs/conftest.py).
pytestmark = pytest.mark.usefixtures("probe_only")


def upload(editor, name: str = "tone.ogg") -> None:
    """Add a song through the add form."""
    sent = (io.BytesIO((AUDIO / name).read_bytes()), name)
    assert editor.submit("/songs/add", {"album": "", "audio_file": sent}).status_code == 302


def counts(page: str) -> dict[str, int]:
    """The page's counts by state label."""
    return {label: int(n) for label, n in re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page)}


def flaky_job_id(app) -> int:
    """The id of the "flaky" kind's job."""
    with app.app_context():
        return db.session.scalar(select(Job.id).where(Job.kind == "flaky"))


@pytest.mark.parametrize("role", [None, "Listener", "Editor"])
def test_only_admins_see_or_retry_jobs(app, login_as, editor, flaky_kind, role):
    """Visitors are sent to log in, others refused; their Retry changes nothing."""
    upload(editor)
    visitor = login_as(role)
    page = visitor.get("/jobs/")
    assert page.status_code == (302 if role is None else 403)
    assert "Failed jobs" not in page.get_data(as_text=True)
    if role is None:
        assert "/login/" in page.headers["Location"]
    assert 'href="/jobs/"' not in visitor.get("/").get_data(as_text=True)
    flaky_kind.failure = None
    token_page = visitor.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', token_page)
    data = {"csrf_token": token[1]} if token else {}
    visitor.client.post(f"/jobs/retry/{flaky_job_id(app)}", data=data)
    with app.app_context():
        assert db.session.get(Job, flaky_job_id(app)).state == "failed"
    assert flaky_kind.calls == 1


def test_a_failed_job_shows_its_reason_and_retry_runs_it_again(
    app, login_as, editor, flaky_kind, jobs_of
):
    """A kind that raises fails its job (the song stays); Retry runs it after the fix."""
    upload(editor)
    assert jobs_of("Tone in Vorbis")["flaky"][:2] == ("failed", "ValueError: decodes to silence")
    assert jobs_of("Tone in Vorbis")["probe"][0] == "done"
    admin = login_as("Admin")
    assert 'href="/jobs/"' in admin.get("/").get_data(as_text=True)  # in the Security menu
    page = admin.get("/jobs/").get_data(as_text=True)
    assert counts(page) == {
        "Queued": 0, "Not sent yet": 0, "Running": 0, "Failed": 1, "Done": 1,
        "Waiting for ffmpeg": 0,
    }  # fmt: skip
    assert "ValueError: decodes to silence" in page
    assert "Jobs run inside the app" in page

    flaky_kind.failure = None
    retried = admin.submit("/jobs/", {}, post_url=f"/jobs/retry/{flaky_job_id(app)}")
    assert retried.status_code == 302
    page = admin.get(retried.headers["Location"]).get_data(as_text=True)
    assert "The job is queued again." in page
    assert (counts(page)["Failed"], counts(page)["Done"]) == (0, 2)
    assert "No failed jobs." in page
    state, reason, result = jobs_of("Tone in Vorbis")["flaky"]
    assert (state, reason, result) == ("done", None, {"size": (AUDIO / "tone.ogg").stat().st_size})
    assert flaky_kind.calls == 2


def test_retry_needs_the_csrf_token(app, login_as, editor, flaky_kind):
    """A Retry posted without the page's token is refused and runs nothing."""
    upload(editor)
    admin = login_as("Admin")
    refused = admin.client.post(f"/jobs/retry/{flaky_job_id(app)}")
    assert refused.status_code == 400
    assert flaky_kind.calls == 1


def test_counts_stop_at_the_cap_and_say_so(app, login_as, editor, statements):
    """A catalog of a million songs has millions of done jobs: each state is counted only up
    to the cap, beyond which the page says "more than"; under it, the count is exact."""
    app.config["CATALOG_JOBS_COUNT_CAP"] = 2
    admin = login_as("Admin")
    upload(editor, "tone.ogg")
    upload(editor, "tone.flac")
    assert counts(admin.get("/jobs/").get_data(as_text=True))["Done"] == 2
    upload(editor, "tone.wav")
    statements.clear()
    page = admin.get("/jobs/").get_data(as_text=True)
    counted = [sql for sql in statements if "count(*)" in sql.lower() and " job" in sql.lower()]
    assert counted
    assert all("LIMIT" in sql.upper() for sql in counted), counted
    assert "<dt>Done</dt><dd>more than 2</dd>" in page
    assert counts(page)["Failed"] == 0
    app.config["CATALOG_JOBS_COUNT_CAP"] = 10
    assert counts(admin.get("/jobs/").get_data(as_text=True))["Done"] == 3

"""`flask catalog analyze`: queue the jobs songs lack (or every job again), with a progress
bar; without a task queue the jobs run right here, one after another."""

import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs.album_queueing import albums_to_analyze, bring_up_to_date
from app.jobs.kinds import KINDS
from app.jobs.queueing import queue_song
from app.jobs.running import stale_after
from app.models import Song
from app.models.jobs import DONE, RUNNING, Job, now

#: Songs queued per commit (each commit sends its jobs).
BATCH = 100


def songs_to_analyze(
    session: Session, kinds: list[str], everything: bool
) -> list[tuple[int, list[str]]]:
    """(song id, kinds to queue) for one song per file: every kind with `everything`, else
    the kinds whose job is not done (nor running, unless its worker must be gone)."""
    files = session.execute(
        select(func.min(Song.id), Song.sha256)
        .where(Song.sha256.is_not(None), Song.audio_file.is_not(None))
        .group_by(Song.sha256)
        .order_by(func.min(Song.id))
    ).all()
    if everything:
        return [(song_id, list(kinds)) for song_id, _sha256 in files]
    stale = now() - timedelta(seconds=stale_after())
    busy = and_(Job.state == RUNNING, Job.started_at >= stale)
    settled_rows = session.execute(select(Job.sha256, Job.kind).where(or_(Job.state == DONE, busy)))
    settled = {tuple(row) for row in settled_rows}
    wanted = (
        (song_id, [kind for kind in kinds if (sha256, kind) not in settled])
        for song_id, sha256 in files
    )
    return [(song_id, missing) for song_id, missing in wanted if missing]


@click.command("analyze")
@click.option("--missing", "everything", flag_value=False, default=False,
              help="Only the jobs a song has not done yet (the default).")  # fmt: skip
@click.option("--all", "everything", flag_value=True, help="Every song's jobs again.")
@click.option("--kind", "kinds", multiple=True,
              help="Only this kind of job (repeat for several); default: every kind.")  # fmt: skip
@with_appcontext
def analyze_command(everything: bool, kinds: tuple[str, ...]) -> None:
    """Queue the songs' and albums' jobs that are not done, or all of them again."""
    # Checked here, not by click.Choice: kinds may register after this module is imported.
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}; known: {', '.join(sorted(KINDS))}")
    chosen = list(kinds) or sorted(KINDS)
    for_albums = [kind for kind in chosen if KINDS[kind].members is not None]
    chosen = [kind for kind in chosen if KINDS[kind].members is None]
    todo = songs_to_analyze(db.session, chosen, everything) if chosen else []
    db.session.rollback()
    queued = current_app.config["CATALOG_JOBS_BROKER_URL"]
    if not queued:
        # This command's process ends when it returns: its jobs run here, not on a thread.
        current_app.config["CATALOG_JOBS_EAGER"] = True
    label = "Queueing" if queued else "Running jobs (no task queue configured)"
    with click.progressbar(length=len(todo), label=label, file=sys.stderr) as bar:
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            for song_id, song_kinds in batch:
                queue_song(db.session, song_id, song_kinds)
                if not queued:
                    db.session.commit()
                    bar.update(1)
            db.session.commit()
            if queued:
                bar.update(len(batch))
    jobs = sum(len(song_kinds) for _song_id, song_kinds in todo)
    done = "queued for the workers" if queued else "run"
    click.echo(f"{jobs} job(s) of {len(todo)} song(s) {done}.")
    if for_albums:
        analyze_albums(everything, label, done)


def analyze_albums(everything: bool, label: str, done: str) -> None:
    """Bring every album's key and values up to date (its job queued where needed)."""
    todo = albums_to_analyze(db.session, everything)
    db.session.rollback()
    jobs = 0
    with click.progressbar(todo, label=f"{label}: albums", file=sys.stderr) as bar:
        for album_id, key, anchor, again in bar:
            jobs += bring_up_to_date(db.session, album_id, key, anchor, again)
            # One album per commit: without a task queue its job runs in this commit's hook.
            db.session.commit()
    click.echo(f"{jobs} job(s) of {len(todo)} album(s) {done}.")

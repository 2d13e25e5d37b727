"""The `flask catalog ...` commands."""

import re
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.catalog_tallies import rebuild
from app.demo import (
    MAX_GENERATED_SONGS,
    generated_songs,
    seed_demo_catalog,
    seed_generated_catalog,
)
from app.extensions import db
from app.jobs.commands import analyze_command
from app.media.bucket import StoreProblem, ensure_bucket
from app.media.configured_stores import (
    audio_store,
    cover_store,
    quarantine_store,
    s3_client,
    song_stores,
    staged_store,
)
from app.media.importer import audio_files, import_folder
from app.media.s3 import endpoint_name
from app.media.store_audit import (
    ORPHAN_GRACE_SECONDS,
    STORE_FAILURES,
    CouldNotCheck,
    check_files,
    quarantine,
)
from app.media.transcodes import transcode_store
from app.security.registration import purge_registrations
from app.security.roles import sync_roles
from app.security.sessions import purge_all_expired_logins
from app.subsonic.commands import app_password_cli

catalog_cli = AppGroup("catalog", help="Manage the Setlist catalog.")
catalog_cli.add_command(app_password_cli)
catalog_cli.add_command(analyze_command)


@catalog_cli.command("sync-roles")
def sync_roles_command() -> None:
    """Create all permissions and reset Admin, Editor, Listener and Public to their definitions."""
    sync_roles(current_app.appbuilder, public_browse=current_app.config["CATALOG_PUBLIC_BROWSE"])
    click.echo("Roles and permissions are in sync.")


@catalog_cli.command("seed-demo")
@click.option(
    "--songs",
    type=click.IntRange(min=0, max=MAX_GENERATED_SONGS),
    default=0,
    help="Also generate songs (names, albums, authors; no audio) up to this many, "
    "to try the app at a realistic size, e.g. 20000. Reruns add only what is missing.",
)
def seed_demo_command(songs: int) -> None:
    """Fill the catalog with a few demo authors, albums and playable songs."""
    added = seed_demo_catalog(db.session, song_stores())
    click.echo(f"Demo catalog ready: {added} song(s) added.")
    if songs:
        generated = seed_generated_catalog(db.session, songs)
        click.echo(
            f"Generated {generated} song(s) without audio; "
            f"{generated_songs(db.session)} generated in all."
        )


@catalog_cli.command("recount")
def recount_command() -> None:
    """Count the home page's figures again from every song (after changes made in plain SQL)."""
    rebuild(db.session.connection())
    db.session.commit()
    click.echo("The catalog's figures are counted again.")


DURATION = re.compile(r"^(\d+)([dhm])$")
DURATION_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_duration(ctx, param, value: str) -> timedelta:
    """Turn "7d", "12h" or "30m" into a timedelta."""
    match = DURATION.match(value.strip())
    if not match:
        raise click.BadParameter("use a number and d, h or m, e.g. 7d")
    return timedelta(**{DURATION_UNITS[match.group(2)]: int(match.group(1))})


@catalog_cli.command("purge-registrations")
@click.option(
    "--older-than",
    default="7d",
    callback=parse_duration,
    show_default=True,
    help="Age of the pending registrations to remove (e.g. 7d, 12h, 30m).",
)
def purge_registrations_command(older_than: timedelta) -> None:
    """Remove pending self-registrations that were never activated."""
    removed = purge_registrations(current_app.appbuilder.sm, older_than)
    click.echo(f"Removed {removed} pending registration(s) older than {older_than}.")


@catalog_cli.command("purge-sessions")
def purge_sessions_command() -> None:
    """Remove logins older than SESSION_MAX_HOURS (logouts already removed theirs)."""
    removed = purge_all_expired_logins()
    hours = current_app.config["SESSION_MAX_HOURS"]
    click.echo(f"Removed {removed} expired login(s), begun over {hours} hours ago.")


@catalog_cli.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_command(folder: Path) -> None:
    """Import every audio file under FOLDER (tags make authors and albums; re-runs are safe)."""
    files = list(audio_files(folder, current_app.config["FILE_ALLOWED_EXTENSIONS"]))
    with click.progressbar(length=len(files), label="Importing", file=sys.stderr) as bar:
        report = import_folder(
            db.session,
            folder,
            song_stores(),
            current_app.config["FILE_ALLOWED_EXTENSIONS"],
            progress=lambda path: bar.update(1),
        )
    click.echo(
        f"Imported {len(report.imported)}, skipped {len(report.duplicates)} duplicate(s), "
        f"rejected {len(report.rejected)}."
    )
    for path, reason in report.rejected:
        click.echo(f"  rejected {path}: {reason}")


@catalog_cli.command("check-files")
@click.option(
    "--fix",
    is_flag=True,
    help="Move orphaned files to the quarantine area; remove expired staged uploads.",
)
@click.option(
    "--grace",
    type=click.IntRange(min=0),
    default=ORPHAN_GRACE_SECONDS,
    show_default=True,
    help="Seconds a file without a row is left alone (its upload may be committing).",
)
def check_files_command(fix: bool, grace: int) -> None:
    """List files without rows, rows without files, files whose content changed and staged
    uploads nobody came back for. Exit status: 0 all agree, 1 problems found (and fixed with
    --fix), 2 could not check (store or database unreachable, bucket missing)."""
    staged = staged_store()
    try:
        result = check_files(db.session, audio_store(), cover_store(), staged, grace)
    except CouldNotCheck as problem:
        could_not("check files", problem)
    for _store, name in result.orphans:
        click.echo(f"orphaned file: {name}")
    for label in result.missing:
        click.echo(f"missing file: {label}")
    for label in result.mismatched:
        click.echo(f"content changed: {label}")
    for name in result.expired_staged:
        click.echo(f"expired staged upload: {name}")
    for name in result.orphan_transcodes:
        click.echo(f"orphaned transcode: {name}")
    if result.transcodes:
        click.echo(f"{result.transcodes} cached transcode(s).")
    if result.recent:
        # Uploads or deletes in progress, most likely: judged on a later run.
        click.echo(
            f"{len(result.recent)} file(s) without a row, under {grace} s old: "
            "left alone for now (an upload may be committing)."
        )
    if result.clean:
        click.echo("All files and rows agree.")
        return
    if fix:
        fix_files(result, staged)
    raise SystemExit(1)


def fix_files(result, staged) -> None:
    """Quarantine the orphans and remove expired staged uploads; exit 2 if the store fails."""
    try:
        if result.orphans:
            target = quarantine_store()
            moved = quarantine(result.orphans, target)
            click.echo(f"Moved {len(moved)} orphaned file(s) to the quarantine area ({target}).")
        if result.orphan_transcodes:
            # Made again from a song's file when asked for: nothing worth quarantining.
            transcodes = transcode_store(audio_store())
            for name in result.orphan_transcodes:
                transcodes.remove(name)
            click.echo(f"Removed {len(result.orphan_transcodes)} orphaned transcode(s).")
        if result.expired_staged:
            # Their tokens have expired, so no form can use them again: nothing to keep.
            for name in result.expired_staged:
                staged.remove(name)
            click.echo(f"Removed {len(result.expired_staged)} expired staged upload(s).")
    except STORE_FAILURES as error:  # the store went away halfway: say so in one line
        could_not("fix files", staged.why_failed(error))


def could_not(action: str, reason) -> None:
    """One line on stderr and exit status 2: the command could not do its work."""
    click.echo(f"Could not {action}: {reason}.", err=True)
    raise SystemExit(2)


@catalog_cli.command("create-bucket")
def create_bucket_command() -> None:
    """Create S3_BUCKET on the object store unless it exists (exit 2 when the store does not
    answer or refuses the credentials)."""
    config = current_app.config
    if config["STORAGE_BACKEND"] != "s3":
        click.echo(
            f"STORAGE_BACKEND is {config['STORAGE_BACKEND']}: files go to "
            f"{config['UPLOAD_FOLDER']}, there is no bucket to create."
        )
        return
    bucket, client = config["S3_BUCKET"], s3_client()
    try:
        made = ensure_bucket(client, bucket)
    except StoreProblem as problem:
        could_not("create the bucket", problem)
    state = "Created bucket" if made else "Bucket"
    ending = "." if made else " already exists."
    click.echo(f"{state} '{bucket}' at {endpoint_name(client)}{ending}")


def only_showing_help() -> bool:
    """True while the `flask` command builds the app just to list commands, show a help
    text or complete a word: nothing should then reach the database or print a line."""
    context = click.get_current_context(silent=True)
    if context is None:  # a server, a test or a script built the app
        return False
    words = sys.argv[1:]
    return context.find_root().resilient_parsing or not words or "--help" in words


def register_commands(app: Flask) -> None:
    """Attach the `catalog` command group to the app's CLI."""
    app.cli.add_command(catalog_cli)

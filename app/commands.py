"""The `flask catalog ...` commands."""

import re
from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.demo import seed_demo_catalog
from app.extensions import db
from app.security.registration import purge_registrations
from app.security.roles import sync_roles
from app.views.datamodels import audio_storage

catalog_cli = AppGroup("catalog", help="Manage the Setlist catalog.")


@catalog_cli.command("sync-roles")
def sync_roles_command() -> None:
    """Create all permissions and reset Admin, Editor, Listener and Public to their definitions."""
    sync_roles(current_app.appbuilder, public_browse=current_app.config["CATALOG_PUBLIC_BROWSE"])
    click.echo("Roles and permissions are in sync.")


@catalog_cli.command("seed-demo")
def seed_demo_command() -> None:
    """Fill the catalog with a few demo authors, albums and playable songs."""
    added = seed_demo_catalog(db.session, audio_storage())
    click.echo(f"Demo catalog ready: {added} song(s) added.")


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


def register_commands(app: Flask) -> None:
    """Attach the `catalog` command group to the app's CLI."""
    app.cli.add_command(catalog_cli)

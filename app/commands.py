"""The `flask catalog ...` commands."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.demo import seed_demo_catalog
from app.extensions import db
from app.security import sync_roles
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


def register_commands(app: Flask) -> None:
    """Attach the `catalog` command group to the app's CLI."""
    app.cli.add_command(catalog_cli)

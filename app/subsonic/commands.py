"""`flask catalog app-password ...`: app passwords for music apps, from the command line."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.security.app_passwords import (
    BadName,
    TooManyAppPasswords,
    cipher_for,
    create,
    live,
    revoke,
    revoke_all,
)

app_password_cli = AppGroup("app-password", help="Passwords for music apps (Subsonic API).")


def user_named(username: str):
    """The user of a username, or a click error naming it."""
    user = current_app.appbuilder.sm.find_user(username=username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    return user


@app_password_cli.command("create")
@click.argument("username")
@click.argument("name")
def create_command(username: str, name: str) -> None:
    """Make a named app password for USERNAME and print it (shown only this once)."""
    user = user_named(username)
    try:
        _row, password = create(db.session, cipher_for(current_app.config), user.id, name)
    except BadName:
        raise click.ClickException("Give the password a name of 1 to 100 characters.") from None
    except TooManyAppPasswords:
        raise click.ClickException(f"{username} has too many app passwords: revoke one.") from None
    click.echo(password)


@app_password_cli.command("list")
@click.argument("username")
def list_command(username: str) -> None:
    """List USERNAME's live app passwords: id, name, created, last use and client."""
    for row in live(db.session, user_named(username).id):
        used = f"{row.last_used_at:%Y-%m-%d %H:%M} by {row.last_client or '?'}"
        click.echo(
            f"{row.id}\t{row.name}\tcreated {row.created_at:%Y-%m-%d}\t"
            f"{used if row.last_used_at else 'never used'}"
        )


@app_password_cli.command("revoke")
@click.argument("username")
@click.argument("password_id", required=False, type=int)
@click.option("--all", "everything", is_flag=True, help="Revoke every app password of the user.")
def revoke_command(username: str, password_id: int | None, everything: bool) -> None:
    """Revoke one of USERNAME's app passwords by id (see `list`), or all with --all."""
    user = user_named(username)
    if everything:
        count = revoke_all(db.session, user.id)
        db.session.commit()
        click.echo(f"Revoked {count} app password(s).")
    elif password_id is None:
        raise click.ClickException("Name the password's id, or use --all.")
    elif revoke(db.session, user.id, password_id):
        click.echo("Revoked.")
    else:
        raise click.ClickException("No such live app password for this user.")

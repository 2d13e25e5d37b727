"""Flask-Migrate bound to every app but imported on first use.

Importing Flask-Migrate imports Alembic and its template engine (Mako, Pygments): about a
tenth of a second of every app server's start and every test app, for commands only
`flask db` and the migration tests run. Each app gets a stand-in for Flask-Migrate's
extension entry and its `db` command group; the first use of either binds the real one.
"""

import click
from flask import Flask

#: Flask-Migrate's key in app.extensions (migrations/env.py reads the engine from it).
EXTENSION = "migrate"


class MigrationsOnDemand:
    """app.extensions["migrate"] until something reads it: then Flask-Migrate's own."""

    def __init__(self, app: Flask, db) -> None:
        self.app, self.db = app, db

    def load(self):
        """Bind Flask-Migrate to the app (it replaces this stand-in and the `db` group)."""
        if self.app.extensions.get(EXTENSION) is self:
            from flask_migrate import Migrate  # here: see the module docstring

            Migrate(self.app, self.db)
        return self.app.extensions[EXTENSION]

    def __getattr__(self, name: str):
        """Flask-Migrate's configuration (directory, db, migrate), bound on first read."""
        return getattr(self.load(), name)


class MigrationCommands(click.Group):
    """`flask db`: listed in `flask --help` as it is; Flask-Migrate's group parses and runs
    each use (click invokes the command of the context make_context returns)."""

    def __init__(self, migrations: MigrationsOnDemand) -> None:
        super().__init__("db", short_help="Perform database migrations.")
        self.migrations = migrations

    def make_context(self, info_name, args, parent=None, **extra):
        """Flask-Migrate's `db` group, bound to the app, reads the arguments."""
        self.migrations.load()
        from flask_migrate.cli import db  # here: see the module docstring

        return db.make_context(info_name, args, parent=parent, **extra)


def register_migrations(app: Flask, db) -> None:
    """Give the app Flask-Migrate's extension entry and `db` commands, loaded when used."""
    migrations = MigrationsOnDemand(app, db)
    app.extensions[EXTENSION] = migrations
    app.cli.add_command(MigrationCommands(migrations))

"""Alembic environment: FAB's metadata, every model imported, batch mode for SQLite."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy.types import TypeDecorator

from app.database import objects_of_dialect
from app.models import Model
from app.search.substrings import is_trigram_table

config = context.config
log = logging.getLogger("alembic.env")
if logging.getLogger().handlers:
    # Inside the app (CLI, tests) logging is set up already: keep it, show progress.
    logging.getLogger("alembic").setLevel(logging.INFO)
else:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# FAB's Model.metadata, not db.metadata: that is where FAB's ab_* tables and ours live.
target_metadata = Model.metadata


def render_item(type_, obj, autogen_context):
    """Write decorated types (FAB's FileColumn) as their plain SQL type."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


COMPARE_OPTIONS = {
    "compare_type": True,
    "render_as_batch": True,
    "render_item": render_item,
}


def engine():
    """The engine of the running Flask app."""
    return current_app.extensions["migrate"].db.engine


def skip_empty_autogenerate(migration_context, revision, directives):
    """Write no revision file when autogenerate finds nothing to change."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    """Emit SQL for the app's database URL without connecting."""
    context.configure(
        url=engine().url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        include_object=objects_of_dialect(engine().dialect.name, is_trigram_table),
        **COMPARE_OPTIONS,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate the app's database over a live connection."""
    with engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds tables; enforced foreign keys would block that.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            # End the implicit transaction, or Alembic would nest in it and never commit.
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            process_revision_directives=skip_empty_autogenerate,
            include_object=objects_of_dialect(connection.dialect.name, is_trigram_table),
            **COMPARE_OPTIONS,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

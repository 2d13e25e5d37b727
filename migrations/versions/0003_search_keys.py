"""search keys: folded names and titles, indexed for sorting and matching

Revision ID: 0003_search_keys
Revises: 0002_song_file_metadata
Create Date: 2026-11-21 23:10:00.000000

Each searchable text column gets a key column (lower case, no accents, no punctuation:
app.search.keys.search_key) with a B-tree index on (key, id) for case-insensitive sorting,
exact and prefix matches. On PostgreSQL a pg_trgm GIN index makes "contains" fast too.
"""
from alembic import op
import sqlalchemy as sa

from app.search.keys import KEY_LENGTH, search_key


# revision identifiers, used by Alembic.
revision = '0003_search_keys'
down_revision = '0002_song_file_metadata'
branch_labels = None
depends_on = None

#: (table, text column, key column)
KEYED_COLUMNS = (
    ('author', 'name', 'name_key'),
    ('album', 'title', 'title_key'),
    ('song', 'title', 'title_key'),
)


def key_type():
    return sa.String(KEY_LENGTH).with_variant(sa.String(KEY_LENGTH, collation='C'), 'postgresql')


def fill_keys(bind, table, text_column, key_column):
    """Fold every existing row's text into its new key column."""
    rows = bind.execute(sa.text(f'SELECT id, {text_column} FROM {table}')).all()
    if rows:
        bind.execute(
            sa.text(f'UPDATE {table} SET {key_column} = :key WHERE id = :id'),
            [{'id': row_id, 'key': search_key(text)} for row_id, text in rows],
        )


def upgrade():
    bind = op.get_bind()
    postgresql = bind.dialect.name == 'postgresql'
    if postgresql:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for table, text_column, key_column in KEYED_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(key_column, key_type(), server_default='', nullable=False)
            )
        fill_keys(bind, table, text_column, key_column)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f'ix_{table}_{key_column}', [key_column, 'id'], unique=False)
        if postgresql:
            op.create_index(
                f'ix_{table}_{key_column}_trgm',
                table,
                [key_column],
                unique=False,
                postgresql_using='gin',
                postgresql_ops={key_column: 'gin_trgm_ops'},
            )

    # Sorting and matching use the keys now; the plain title indexes would only cost writes.
    with op.batch_alter_table('album', schema=None) as batch_op:
        batch_op.drop_index('ix_album_title')
    with op.batch_alter_table('song', schema=None) as batch_op:
        batch_op.drop_index('ix_song_title')
        batch_op.create_index('ix_song_duration', ['duration'], unique=False)
        batch_op.create_index('ix_song_track_number', ['track_number'], unique=False)


def downgrade():
    # pg_trgm stays installed: other schemas may use it, and it holds no data.
    with op.batch_alter_table('song', schema=None) as batch_op:
        batch_op.drop_index('ix_song_track_number')
        batch_op.drop_index('ix_song_duration')
        batch_op.create_index('ix_song_title', ['title'], unique=False)
    with op.batch_alter_table('album', schema=None) as batch_op:
        batch_op.create_index('ix_album_title', ['title'], unique=False)
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, _text_column, key_column in reversed(KEYED_COLUMNS):
        if postgresql:
            op.drop_index(f'ix_{table}_{key_column}_trgm', table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_{key_column}')
            batch_op.drop_column(key_column)

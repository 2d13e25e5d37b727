"""The comparator: a minimal hand-written Flask + SQLAlchemy + Jinja catalog page.

It shows what Setlist's lists show (25 rows with album and author, a count and a pager)
over the same database, the way a careful developer would write it by hand: one count,
one joined page query ordered by the indexed sort keys, a Jinja template. Serve it with
`gunicorn --chdir bench handwritten:app` and DATABASE_URL set.
"""

import os

from flask import Flask, render_template, request
from jinja2 import DictLoader
from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    select,
)

DATABASE_URL = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
PAGE_SIZE = 25

metadata = MetaData()
author = Table(
    "author",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("name_key", String),
    Column("country", String),
)
album = Table(
    "album",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String),
    Column("title_key", String),
    Column("release_year", Integer),
    Column("author_id", ForeignKey("author.id")),
)
song = Table(
    "song",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String),
    Column("title_key", String),
    Column("track_number", Integer),
    Column("duration", Float),
    Column("rating", Integer),
    Column("album_id", ForeignKey("album.id")),
)

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{{ heading }}</title></head>
<body>
<h1>{{ heading }}</h1>
<form method="get"><input name="q" value="{{ q }}"><button>Search</button></form>
<p>{{ count }} records</p>
<table>
<thead><tr>{% for label in labels %}<th>{{ label }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr>
{% for cell in row %}<td>{{ cell if cell is not none else "" }}</td>{% endfor %}
</tr>{% endfor %}</tbody>
</table>
<p>{% if page > 1 %}<a href="?page={{ page - 1 }}&q={{ q }}">previous</a>{% endif %}
page {{ page }} of {{ pages }}
{% if page < pages %}<a href="?page={{ page + 1 }}&q={{ q }}">next</a>{% endif %}</p>
</body></html>
"""

app = Flask(__name__)
# A template file in a real app; compiled once and cached by Jinja, like any Flask template.
app.jinja_loader = DictLoader({"list.html": PAGE})
engine = create_engine(DATABASE_URL, pool_size=2)


def page_number() -> int:
    """The requested page, 1-based."""
    return max(request.args.get("page", 1, type=int), 1)


def listing(heading: str, labels: list[str], query, count_query) -> str:
    """Count, fetch one page and render it."""
    page = page_number()
    with engine.connect() as connection:
        count = connection.scalar(count_query)
        rows = connection.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "list.html",
        heading=heading,
        labels=labels,
        rows=rows,
        count=count,
        page=page,
        pages=max((count + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        q=request.args.get("q", ""),
    )


@app.route("/songs")
def songs() -> str:
    """Songs with their album and author, optionally filtered by title."""
    query = (
        select(
            song.c.title,
            album.c.title,
            author.c.name,
            song.c.track_number,
            song.c.duration,
            song.c.rating,
        )
        .join(album, song.c.album_id == album.c.id)
        .join(author, album.c.author_id == author.c.id)
        .order_by(song.c.title_key, song.c.id)
    )
    count_query = select(func.count()).select_from(song)
    q = request.args.get("q")
    if q:
        # LIKE '%q%': case-insensitive for ASCII on SQLite, case-sensitive on PostgreSQL.
        query = query.where(song.c.title.contains(q, autoescape=True))
        count_query = count_query.where(song.c.title.contains(q, autoescape=True))
    labels = ["Title", "Album", "Author", "Track", "Duration", "Rating"]
    return listing("Songs", labels, query, count_query)


@app.route("/albums")
def albums() -> str:
    """Albums with their author."""
    query = (
        select(album.c.title, author.c.name, album.c.release_year)
        .join(author, album.c.author_id == author.c.id)
        .order_by(album.c.title_key, album.c.id)
    )
    count_query = select(func.count()).select_from(album)
    return listing("Albums", ["Title", "Author", "Release year"], query, count_query)


@app.route("/authors")
def authors() -> str:
    """Authors."""
    query = select(author.c.name, author.c.country).order_by(author.c.name_key, author.c.id)
    count_query = select(func.count()).select_from(author)
    return listing("Authors", ["Name", "Country"], query, count_query)

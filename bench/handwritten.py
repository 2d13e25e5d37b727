"""The comparator: a minimal hand-written Flask + SQLAlchemy + Jinja catalog page.

It shows what Setlist's lists show (25 rows with album and author, a count and a pager)
over the same database, the way a careful developer would write it by hand: one count,
one joined page query ordered by the indexed sort keys, a Jinja template. Serve it with
`gunicorn --chdir bench handwritten:app` and DATABASE_URL set.
"""

import os

from catalog_tables import album_list, author_list, fetch, song_list
from flask import Flask, render_template, request
from jinja2 import DictLoader
from sqlalchemy import create_engine

DATABASE_URL = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)

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
{% for cell in row[:labels|length] %}<td>{{ cell if cell is not none else "" }}</td>{% endfor %}
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
        count, rows, pages = fetch(connection, query, count_query, page)
    return render_template(
        "list.html",
        heading=heading,
        labels=labels,
        rows=rows,
        count=count,
        page=page,
        pages=pages,
        q=request.args.get("q", ""),
    )


@app.route("/songs")
def songs() -> str:
    """Songs with their album and author, optionally filtered by title."""
    return listing(*song_list(request.args.get("q")))


@app.route("/albums")
def albums() -> str:
    """Albums with their author."""
    return listing(*album_list())


@app.route("/authors")
def authors() -> str:
    """Authors."""
    return listing(*author_list())

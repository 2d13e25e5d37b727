"""The same-job comparator: Setlist's per-request work, hand-written on plain Flask + Core.

Where handwritten.py is the bare page (a count, 25 rows, a pager), this page does what
every Setlist list page must: a signed session cookie, the login checked against its
server-side `login_session` row and the user row (one query), the user's permissions in
one query, a layout whose menu is built from them, a search form with a CSRF token, the
count, 25 rows linking their album and author, a pager. It signs in against Setlist's own
tables (`ab_user`, FAB's password hashes) at its own /login/. It is the practical limit of
the same job. Serve it with `gunicorn --chdir bench samejob:app`, DATABASE_URL and
SECRET_KEY set.
"""

import os
import secrets
from datetime import UTC, datetime, timedelta

from catalog_tables import (
    album_list,
    author_list,
    fetch,
    login_session,
    permission,
    permission_view,
    permission_view_role,
    song_list,
    user,
    user_role,
    view_menu,
)
from flask import Flask, abort, redirect, render_template, request, session
from flask_wtf.csrf import generate_csrf, validate_csrf
from jinja2 import DictLoader
from sqlalchemy import create_engine, delete, insert, select
from werkzeug.security import check_password_hash
from wtforms import ValidationError

DATABASE_URL = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
#: Setlist's default absolute lifetime of a login.
MAX_AGE = timedelta(hours=int(os.environ.get("SESSION_MAX_HOURS", 7 * 24)))
#: Setlist's menu: (category, view menu, label, address); an item shows when the user
#: holds menu_access on it (and on its category).
MENU = [
    ("Catalog", "Authors", "Authors", "/authors"),
    ("Catalog", "Albums", "Albums", "/albums"),
    ("Catalog", "Songs", "Songs", "/songs"),
    ("Catalog", "Recent changes", "Recent changes", "/changes"),
    ("Catalog", "My changes", "My changes", "/my-changes"),
    ("My music", "My favourites", "My favourites", "/favourites"),
    ("My music", "Recently played", "Recently played", "/recent"),
    ("My music", "Most played", "Most played", "/most-played"),
    (None, "Setlists", "Setlists", "/setlists"),
    ("Security", "List Users", "Users", "/users"),
    ("Security", "List Groups", "Groups", "/groups"),
    ("Security", "List Roles", "Roles", "/roles"),
    ("Security", "Base Permissions", "Base permissions", "/permissions"),
    ("Security", "Views/Menus", "Views/menus", "/view-menus"),
    ("Security", "Permission on Views/Menus", "Permissions on views", "/permission-views"),
    ("Security", "Jobs", "Jobs", "/jobs"),
    ("Security", "Share links", "Share links", "/share-links"),
    ("Security", "API documentation", "API documentation", "/swagger/v1"),
]

LAYOUT = """<!doctype html>
<html><head><meta charset="utf-8"><title>{{ heading }} - Setlist</title>
<meta name="csrf-token" content="{{ csrf }}"></head>
<body>
<nav><a href="/">Setlist</a><ul>
{% for category, items in menu %}{% if category %}<li>{{ category }}<ul>
{% for label, href in items %}<li><a href="{{ href }}">{{ label }}</a></li>{% endfor %}
</ul></li>{% else %}{% for label, href in items %}<li><a href="{{ href }}">{{ label }}</a></li>
{% endfor %}{% endif %}{% endfor %}
</ul><span>{{ user.first_name }} {{ user.last_name }}</span>
<form method="post" action="/logout/"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<button>Log out</button></form></nav>
<main>{% block main %}{% endblock %}</main>
</body></html>
"""
LIST = """{% extends "layout.html" %}{% block main %}
<h1>{{ heading }}</h1>
<form method="get"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<input name="q" value="{{ q }}"><button>Search</button></form>
<p>{{ count }} records</p>
<table>
<thead><tr>{% for label in labels %}<th>{{ label }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr>{% if heading == "Songs" %}
<td>{{ row[0] }}</td><td><a href="/albums/{{ row[6] }}">{{ row[1] }}</a></td>
<td><a href="/authors/{{ row[7] }}">{{ row[2] }}</a></td><td>{{ row[3] or "" }}</td>
<td>{{ "%d:%02d"|format(row[4] // 60, row[4] % 60) if row[4] is not none }}</td>
<td>{{ row[5] or "" }}</td>
{% elif heading == "Albums" %}<td><a href="/albums/{{ row[3] }}">{{ row[0] }}</a></td>
<td><a href="/authors/{{ row[4] }}">{{ row[1] }}</a></td><td>{{ row[2] or "" }}</td>
{% else %}{% for cell in row %}<td>{{ cell if cell is not none else "" }}</td>{% endfor %}
{% endif %}</tr>{% endfor %}</tbody>
</table>
<p>{% if page > 1 %}<a href="?page={{ page - 1 }}&q={{ q }}">previous</a>{% endif %}
page {{ page }} of {{ pages }}
{% if page < pages %}<a href="?page={{ page + 1 }}&q={{ q }}">next</a>{% endif %}</p>
{% endblock %}"""
LOGIN = """<!doctype html><html><head><meta charset="utf-8"><title>Log in</title></head>
<body><form method="post"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<input name="username"><input name="password" type="password"><button>Log in</button></form>
</body></html>"""

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
# Template files in a real app; compiled once and cached by Jinja, like any Flask template.
app.jinja_loader = DictLoader({"layout.html": LAYOUT, "list.html": LIST, "login.html": LOGIN})
engine = create_engine(DATABASE_URL, pool_size=2)

SIGNED_IN = (
    select(user.c.id, user.c.first_name, user.c.last_name)
    .join(login_session, login_session.c.user_id == user.c.id)
    .where(user.c.active.is_(True))
)
PERMISSIONS = (
    select(permission.c.name, view_menu.c.name)
    .select_from(user_role)
    .join(permission_view_role, permission_view_role.c.role_id == user_role.c.role_id)
    .join(permission_view, permission_view.c.id == permission_view_role.c.permission_view_id)
    .join(permission, permission.c.id == permission_view.c.permission_id)
    .join(view_menu, view_menu.c.id == permission_view.c.view_menu_id)
)


def utcnow() -> datetime:
    """Now, in UTC without a timezone (as login_session.created_at stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def menu_of(granted: set) -> list:
    """[(category or None, [(label, address)])] the permissions show, in MENU's order."""
    menu: dict = {}
    for category, name, label, href in MENU:
        shown = ("menu_access", name) in granted
        if shown and (category is None or ("menu_access", category) in granted):
            menu.setdefault(category, []).append((label, href))
    return list(menu.items())


def listing(view: str, lister) -> str:
    """A signed-in list page: login and user, permissions, menu, count, one page, render."""
    login_id, user_id = session.get("_login"), session.get("_user_id")
    if not login_id:
        return redirect("/login/")
    page = max(request.args.get("page", 1, type=int), 1)
    q = request.args.get("q", "")
    heading, labels, query, count_query = lister(q)
    with engine.connect() as connection:
        oldest = utcnow() - MAX_AGE
        signed_in = connection.execute(
            SIGNED_IN.where(
                user.c.id == user_id,
                login_session.c.id == login_id,
                login_session.c.created_at > oldest,
            )
        ).first()
        if signed_in is None:
            session.clear()
            return redirect("/login/")
        granted = set(connection.execute(PERMISSIONS.where(user_role.c.user_id == user_id)))
        if ("can_list", view) not in granted:
            abort(403)
        count, rows, pages = fetch(connection, query, count_query, page)
    return render_template(
        "list.html",
        heading=heading,
        labels=labels,
        rows=rows,
        count=count,
        page=page,
        pages=pages,
        q=q,
        user=signed_in,
        menu=menu_of(granted),
        csrf=generate_csrf(),
    )


@app.route("/login/", methods=["GET", "POST"])
def login():
    """The login form; a good password opens a login_session row named in the cookie."""
    if request.method == "GET":
        return render_template("login.html", csrf=generate_csrf())
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        abort(400)
    with engine.begin() as connection:
        found = connection.execute(
            select(user.c.id, user.c.password).where(
                user.c.username == request.form.get("username", ""), user.c.active.is_(True)
            )
        ).first()
        if found is None or not check_password_hash(found.password, request.form["password"]):
            return redirect("/login/")
        login_id = secrets.token_urlsafe(32)
        connection.execute(
            insert(login_session).values(id=login_id, user_id=found.id, created_at=utcnow())
        )
    session.clear()
    session.permanent = True
    session.update(_login=login_id, _user_id=found.id)
    return redirect("/songs")


@app.post("/logout/")
def logout():
    """End this browser's login on the server too: its row goes, so a copied cookie fails."""
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        abort(400)
    with engine.begin() as connection:
        connection.execute(delete(login_session).where(login_session.c.id == session.get("_login")))
    session.clear()
    return redirect("/login/")


@app.route("/songs")
def songs() -> str:
    """Songs with their album and author, optionally filtered by title."""
    return listing("SongModelView", song_list)


@app.route("/albums")
def albums() -> str:
    """Albums with their author."""
    return listing("AlbumModelView", album_list)


@app.route("/authors")
def authors() -> str:
    """Authors."""
    return listing("AuthorModelView", author_list)

"""Hostile query arguments on every list, export, record page and API list or record, for
every role: never a server error, and a 400 says what was wrong.

Names carry FAB's list markers (page_, psize_, _oc_, _od_, _flt_<n>_) anywhere in them, as
FAB finds them; values are huge, negative, empty, text, NUL, other scripts, very long; the
API's `q` is rison, well-formed or not. The same cases run every time (derandomized), and
the cases that found server errors before are always among them.
"""

import html
import re
from urllib.parse import urlencode

import prison
import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.exceptions import BadRequest

from app.extensions import db
from app.models import Album, Author, Song
from tests.support.forms import Browser
from tests.support.fuzzing import same_cases_every_run

#: Generated cases per role; each is sent to every route (about 20).
EXAMPLES = 30
ROUTES = [
    "/authors/list/",
    "/albums/list/",
    "/songs/list/",
    "/changes/list/",
    "/users/list/",
    "/roles/list/",
    "/groups/list/",
    "/registeruser/list/",
    "/permissions/list/",
    "/viewmenus/list/",
    "/permissionviews/list/",
    "/authors/export.csv",
    "/albums/export.csv",
    "/songs/export.csv",
    "/authors/show/{author}",
    "/albums/show/{album}",
    "/songs/show/{song}",
    "/api/v1/author/",
    "/api/v1/album/",
    "/api/v1/song/",
    "/api/v1/author/{author}",
    "/api/v1/album/{album}",
    "/api/v1/song/{song}",
]
VIEWS = [
    "AuthorModelView",
    "AlbumModelView",
    "SongModelView",
    "ChangeModelView",
    "CatalogUserDBModelView",
    "CatalogRoleModelView",
    "UserGroupModelView",
    "PermissionViewModelView",
]
COLUMNS = ["title", "name", "album", "author", "genre", "rating", "year", "uploaded_at",
           "uploaded_by", "id", "country", "kind", "at", "password", "email", "roles", "users",
           "permissions", "view_menu"]  # fmt: skip
OPERATIONS = ["key_ct", "key_sw", "key_eq", "key_nct", "fk_eq", "fk_neq", "via_eq",
              "ct", "sw", "ew", "eq", "neq", "gt", "lt", "in", "not_in", "nope"]  # fmt: skip
TEXT = ["sw", "ew", "ct", "eq", "nsw", "new", "nct", "neq", "in", "not_in"]
NUMBER = ["eq", "gt", "lt", "neq", "in", "not_in"]
#: The API's filters (column, operation), so most generated filters are ones it has.
API_FILTERS = [
    *((column, operation) for column in ("title", "name") for operation in OPERATIONS[:4]),
    *((column, operation) for column in ("genre", "country", "biography") for operation in TEXT),
    *((column, operation) for column in ("year", "rating", "release_year") for operation in NUMBER),
    *(("album", operation) for operation in ("fk_eq", "fk_neq")),
    *(("author", operation) for operation in ("fk_eq", "fk_neq", "via_eq")),
    *(("uploaded_at", operation) for operation in NUMBER[:4]),
]
MARKERS = ["page_", "psize_", "_oc_", "_od_", *(f"_flt_{index}_" for index in range(10))]
HUGE = "99999999999999999999"
VALUES = [HUGE, f"-{HUGE}", "-1", "0", "1", "2147483648", "x", "", " ", "\x00", "a\x00b",
          "é", "🎵", "x" * 5000, "1.5", "asc", "desc", "uploaded_by.email", "password",
          "title", "album.author.name"]  # fmt: skip
#: The cases that were server errors or leaks (issue 22), always sent.
KNOWN = [
    [("x_oc_SongModelView", "uploaded_by.email"), ("_od_SongModelView", "asc")],
    [("xpage_SongModelView", "x")],
    [("xpage_SongModelView", HUGE)],
    [("page_SongModelView", HUGE)],
    [("a_flt_9_title", "x")],
    [("q", "(filters:!((col:title,opr:key_ct,value:5)))")],
    [("q", "(filters:!((col:title,opr:key_ct,value:!t)))")],
    [("q", "(filters:!((col:genre,opr:in,value:Jazz)))")],
    [("q", "!(" * 3000)],
]

rison_scalars = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.text(max_size=8),
)
rison_values = st.recursive(
    rison_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
api_filters = st.builds(
    lambda column_operation, value: {
        "col": column_operation[0],
        "opr": column_operation[1],
        "value": value,
    },
    st.one_of(
        st.sampled_from(API_FILTERS),
        st.tuples(st.sampled_from(COLUMNS), st.sampled_from(OPERATIONS)),
    ),
    rison_values,
)
#: Arguments FAB's schema takes (so their filters are applied), with hostile values.
api_arguments = st.fixed_dictionaries(
    {"filters": st.lists(api_filters, min_size=1, max_size=3)},
    optional={
        "page": st.integers(min_value=-(2**70), max_value=2**70),
        "page_size": st.integers(min_value=-(2**70), max_value=2**70),
        "order_column": st.sampled_from(["title", "name", "rating", "uploaded_by.email"]),
        "order_direction": st.sampled_from(["asc", "desc"]),
    },
)
rison_garbage = st.lists(
    st.sampled_from(["!(", "(", ")", ":", ",", "!t", "!n", "'", "filters", "col:", "value:"]),
    max_size=12,
).map("".join)
list_argument = st.tuples(
    st.builds(
        lambda before, marker, after: before + marker + after,
        st.sampled_from(["", "x", "a_", "page_", "_oc_", "é"]),
        st.sampled_from(MARKERS),
        st.sampled_from(["", "x", *VIEWS, *COLUMNS]),
    ),
    st.one_of(st.sampled_from(VALUES), st.integers().map(str), st.text(max_size=30)),
)
rison_argument = st.tuples(
    st.just("q"),
    st.one_of(api_arguments.map(prison.dumps), rison_values.map(prison.dumps), rison_garbage),
)
queries = st.lists(st.one_of(list_argument, rison_argument), min_size=1, max_size=3)


def seed_catalog(app) -> dict[str, int]:
    """An author, an album and a song (ids by kind), made directly."""
    with app.app_context():
        album = Album(title="Fuzz Album", author=Author(name="Fuzz Author"))
        song = Song(title="Fuzz Song", album=album, audio_file="fuzz.ogg",
                    original_filename="fuzz.ogg", sha256="f" * 64, genre="Jazz")  # fmt: skip
        db.session.add(song)
        db.session.commit()
        return {"author": album.author_id, "album": album.id, "song": song.id}


def unreadable(response) -> str | None:
    """What is wrong with an answer: a server error, or a 400 that does not say why."""
    if response.status_code >= 500:
        return f"answered {response.status_code}"
    if response.status_code != 400:
        return None
    if response.is_json:
        message = (response.get_json(silent=True) or {}).get("message")
        return None if isinstance(message, str) and message.strip() else "400 without a message"
    found = re.search(r"<h3>.*?</h3>\s*<p>(.*?)</p>", response.get_data(as_text=True), re.S)
    said = html.unescape(found.group(1)).strip() if found else ""
    return None if said and said != BadRequest.description else "400 without a reason"


def send_everywhere(visitor: Browser, ids: dict[str, int], arguments, failures: list) -> None:
    """Send one query to every route; note each unreadable answer."""
    query = urlencode(arguments)
    for route in ROUTES:
        url = f"{route.format(**ids)}?{query}"
        try:  # the testing app raises its errors rather than answering 500
            response = visitor.get(url, headers={"Accept": "application/json"})
            response.get_data()  # an export is streamed: read it whole, then close it as
            response.close()  # a server does (its database connection goes back to the pool)
        except Exception as error:
            failures.append(f"{type(error).__name__} {error}: {url[:300]!r}")
            continue
        problem = unreadable(response)
        if problem:
            failures.append(f"{problem}: {url[:300]!r}")


def fuzz(visitor: Browser, ids: dict[str, int]) -> list[str]:
    """The known cases and the generated ones for one visitor; the failures found."""
    failures: list[str] = []
    for arguments in KNOWN:
        send_everywhere(visitor, ids, arguments, failures)

    @given(arguments=queries)
    @same_cases_every_run(EXAMPLES)
    def generated(arguments) -> None:
        send_everywhere(visitor, ids, arguments, failures)

    generated()
    return failures


@pytest.mark.parametrize("role", [None, "Listener", "Editor", "Admin"])
def test_hostile_arguments_never_fail(app, login_as, role):
    """Signed in with each role, or anonymous with the catalog private (the default)."""
    ids = seed_catalog(app)
    failures = fuzz(login_as(role), ids)
    assert not failures, "\n".join(failures[:10])


def test_hostile_arguments_never_fail_on_a_public_catalog(standalone_app, visit):
    """Anonymous visitors of a catalog with CATALOG_PUBLIC_BROWSE on reach the lists."""
    public = standalone_app(CATALOG_PUBLIC_BROWSE=True)
    ids = seed_catalog(public)
    visitor = visit(public)
    assert visitor.get("/songs/list/").status_code == 200
    failures = fuzz(visitor, ids)
    assert not failures, "\n".join(failures[:10])


def test_fuzzed_addresses_reach_the_code_behind_them(app, login_as):
    """The routes answer their pages (editors the catalog's, admins the accounts'), so the
    cases meet lists and records, not refusals."""
    ids = seed_catalog(app)
    editor, admin = login_as("Editor"), login_as("Admin")
    for route in ROUTES:
        url = route.format(**ids)
        if route.startswith(("/authors", "/albums", "/songs", "/api")):
            response = editor.get(url)
            assert "Fuzz" in response.get_data(as_text=True), route
        else:
            response = admin.get(url)
        assert response.status_code == 200, route

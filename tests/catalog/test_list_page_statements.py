"""An unfiltered list's page statement is built once and kept (app/fab/page_statements.py):
every page, order and direction still shows its own rows, and a filtered list is never
given a kept statement."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.fab import page_statements
from app.models import Album, Author
from app.views.catalog.albums import AlbumModelView

PAGED = "psize_AlbumModelView=10"


def album_titles(app, offset: int, descending: bool = False, by_author: bool = False, where=None):
    """The 10 album titles from `offset` in the order the album list shows them."""
    with app.app_context():
        keys = [Album.title_key, Album.id]
        query = select(Album.title)
        if by_author:
            query = query.join(Author, Album.author_id == Author.id)
            keys = [Author.name_key, Author.id, Album.id]
        query = query.order_by(*(key.desc() if descending else key for key in keys))
        if where is not None:
            query = query.where(where)
        return db.session.scalars(query.offset(offset).limit(10)).all()


def listed_titles(response) -> list[str]:
    """The titles of an album list's rows (the links to the albums' own pages), as text."""
    return re.findall(r'<td class="col-title primary"><a href="[^"]*">([^<]*)</a>', response.text)


@pytest.fixture
def builds(monkeypatch) -> list[tuple]:
    """Each page statement built while the test runs (order, direction), none kept before."""
    built: list[tuple] = []
    build = page_statements.build_page_statement

    def counted(datamodel, matching, order_column, order_direction, limited):
        built.append((order_column, order_direction))
        return build(datamodel, matching, order_column, order_direction, limited)

    monkeypatch.setattr(page_statements, "build_page_statement", counted)
    monkeypatch.setattr(AlbumModelView.datamodel, "page_statements", {})
    return built


@pytest.mark.parametrize(
    ("order", "descending", "by_author"),
    [
        ("", False, False),
        ("&_oc_AlbumModelView=title&_od_AlbumModelView=desc", True, False),
        ("&_oc_AlbumModelView=author.name&_od_AlbumModelView=asc", False, True),
        ("&_oc_AlbumModelView=author.name&_od_AlbumModelView=desc", True, True),
    ],
)
def test_every_page_of_a_kept_statement_shows_its_own_rows(
    app, login_as, generated_catalog, builds, order, descending, by_author
):
    """Pages 1, 2 and 4 of the album list in one order: the rows the database has there,
    from one statement built for the order (the page's place is a bound parameter)."""
    generated_catalog(500, songs_per_album=5)
    listener = login_as("Listener")
    for page in (0, 1, 3):
        shown = listener.get(f"/albums/list/?{PAGED}&page_AlbumModelView={page}{order}")
        assert listed_titles(shown) == album_titles(app, page * 10, descending, by_author)
    assert len(builds) == 1


def test_a_filtered_list_is_never_given_the_kept_statement(
    app, login_as, generated_catalog, builds
):
    """Unfiltered, filtered, unfiltered again: the filtered page holds only matching albums
    and builds its own statement; the unfiltered ones share theirs."""
    generated_catalog(500, songs_per_album=5)
    listener = login_as("Listener")
    everything = listener.get(f"/albums/list/?{PAGED}")
    assert listed_titles(everything) == album_titles(app, 0)
    filtered = listener.get(f"/albums/list/?{PAGED}&_flt_0_title=7")
    assert listed_titles(filtered) == album_titles(app, 0, where=Album.title_key.contains("7"))
    assert listed_titles(listener.get(f"/albums/list/?{PAGED}")) == album_titles(app, 0)
    assert len(builds) == 2


def test_the_last_page_from_the_end_uses_its_own_kept_statement(
    app, login_as, generated_catalog, builds
):
    """The list's last rows found from its end (the reverse order, kept apart from the
    list's own order) are the last rows in the list's order."""
    size = generated_catalog(500, songs_per_album=5)
    listener = login_as("Listener")
    listener.get(f"/albums/list/?{PAGED}")
    last = listener.get(f"/albums/list/?{PAGED}&last_AlbumModelView=1")
    assert listed_titles(last) == album_titles(app, size.albums - 10)
    assert sorted(builds) == [("title", "asc"), ("title", "desc")]

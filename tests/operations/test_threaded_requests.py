"""One process serving many requests at once on threads (as gunicorn's gthread workers do):
no request sees another's filters."""

import csv
import io
import json
import re
import threading

from app.fab.request_filters import RequestFilters
from bench.harness import SessionClient
from tests.support.apps import PASSWORD

WORDS = ("River", "Moon", "Summer", "Echo", "Glass", "Golden", "Ocean", "Fire")
ACTIVE_FILTER = re.compile(r'\[\["title", "contains", \["(\w+)"\]\]\]')
PLAYED_TITLE = re.compile(r'aria-label="Play: ([^"]*)"')


def test_concurrent_lists_and_exports_keep_their_own_filters(
    app, users, live_server, generated_catalog, monkeypatch
):
    """Eight visitors filter the song list, the API's song list and the export by different
    words at once: each page's filter form and rows, each answer's and each file's rows,
    are those of its own filter."""
    generated_catalog(800)
    monkeypatch.setitem(app.config, "CATALOG_EXPORTS_PER_PROCESS", len(WORDS))
    server = live_server(app)
    signed_in = SessionClient(server.url)
    signed_in.log_in(users["Listener"], PASSWORD)
    wrong: list[tuple] = []

    def visit(word: str) -> None:
        client = signed_in.copy()
        for turn in range(30):
            if turn % 5 == 2:
                query = f"(filters:!((col:title,opr:key_ct,value:{word})),page_size:100)"
                status, _headers, body = client.request("GET", f"/api/v1/song/?q={query}")
                titles = [row["title"] for row in json.loads(body)["result"]]
                shown = [word] if titles else []
            elif turn % 5 == 4:
                status, _headers, body = client.request(
                    "GET", f"/songs/export.csv?_flt_0_title={word}"
                )
                rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
                titles = [row.get("Title", body[:80]) for row in rows]
                shown = [word] if titles else []
            else:
                status, _headers, body = client.request("GET", f"/songs/list/?_flt_0_title={word}")
                shown = ACTIVE_FILTER.findall(body.decode())
                titles = PLAYED_TITLE.findall(body.decode())
            strays = [title for title in titles if word.lower() not in title.lower()]
            if (status, shown) != (200, [word]) or strays:
                wrong.append((word, status, shown, strays[:3]))

    visitors = [threading.Thread(target=visit, args=(word,)) for word in WORDS]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join(timeout=300)
    assert wrong == []


def test_every_view_that_filters_keeps_its_filters_per_request(app):
    """Every registered list view and model API (FAB's admin lists included) keeps its
    active filters per request: a view added later without it would mix users' filters."""
    filtering = [view for view in app.appbuilder.baseviews if hasattr(view, "_filters")]
    assert len(filtering) >= 14  # three catalog lists and APIs, history, seven admin lists
    assert [type(view).__name__ for view in filtering if not isinstance(view, RequestFilters)] == []

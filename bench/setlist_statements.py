"""SQL statements (and in-process time) of the setlist scenario: `setlist_statements.py PLAN`.

PLAN is a JSON file: {"username", "password", "requests": [[name, method, path, body]],
"domain": {"setlist_id", "entry_id", "to", "add_to", "song_ids"}}. Runs inside Setlist's
production configuration (the environment names the database), signed in through the login
form; a body is JSON (sent with the page's CSRF token) or, as {"form": {...}}, a form post.
Prints one JSON object: {name: {"status", "statements", "ms"}} for each request, and the
domain calls app.setlists.entries.move and add_songs counted with their flush and commit.
"""

import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event

from app import create_app
from app.extensions import db
from app.models import Setlist
from app.setlists import entries

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
#: Production cookies are Secure: the test client sends them over https only.
BASE_URL = "https://localhost"
#: Flask-WTF wants a same-origin Referer on every post over https.
REFERER = {"Referer": f"{BASE_URL}/"}


def log_in(client, username: str, password: str) -> None:
    """Sign in through the login form."""
    page = client.get("/login/", base_url=BASE_URL).get_data(as_text=True)
    fields = {"csrf_token": CSRF.search(page).group(1), "username": username}
    answer = client.post("/login/", data={**fields, "password": password}, base_url=BASE_URL,
                         headers=REFERER)  # fmt: skip
    if answer.status_code != 302 or "/login/" in answer.headers.get("Location", ""):
        raise SystemExit(f"could not log in as {username}")


def send(client, token: str, method: str, path: str, body):
    """One request as the page's script or form would send it."""
    if method == "GET":
        return client.get(path, base_url=BASE_URL)
    if isinstance(body, dict) and "form" in body:
        form = {"csrf_token": token, **body["form"]}
        return client.post(path, data=form, base_url=BASE_URL, headers=REFERER)
    headers = {**REFERER, "X-CSRFToken": token, "Accept": "application/json"}
    return client.open(path, method=method, json=body, base_url=BASE_URL, headers=headers)


def measured(statements: list, work):
    """(statements, milliseconds, result) of a call."""
    statements.clear()
    started = time.perf_counter()
    result = work()
    return len(statements), (time.perf_counter() - started) * 1000, result


def domain_calls(plan: dict, statements: list) -> dict:
    """app.setlists.entries.move and add_songs called directly, each with flush and commit;
    the setlist is loaded beforehand, as a request's rules.find has it."""
    found = {}
    session = db.session

    def loaded(setlist_id: int) -> Setlist:
        setlist = session.get(Setlist, setlist_id)
        setlist.name  # noqa: B018 - loaded now, not inside the measured call
        return setlist

    for name, to in (("move to place 10", 10), ("move to the middle", 2500), ("move up", "up")):
        setlist = loaded(plan["setlist_id"])

        def move(setlist=setlist, to=to):
            entries.move(session, setlist, plan["entry_id"], to)
            session.commit()

        count, ms, _ = measured(statements, move)
        found[f"domain: {name}"] = {"statements": count, "ms": ms}
    for size in (10, 1000):
        target = loaded(plan["add_to"])

        def add(target=target, size=size):
            entries.add_songs(session, target, plan["song_ids"][:size], None)
            session.commit()

        count, ms, _ = measured(statements, add)
        found[f"domain: add {size:,} songs"] = {"statements": count, "ms": ms}
    return found


def main() -> None:
    """Sign in, run the plan's requests and domain calls, print what each cost."""
    plan = json.loads(Path(sys.argv[1]).read_text())
    app = create_app("production")
    client = app.test_client()
    log_in(client, plan["username"], plan["password"])
    home = client.get("/", base_url=BASE_URL).get_data(as_text=True)
    token = CSRF_META.search(home).group(1)
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *_: statements.append(1))
    found = {}
    for name, *request in plan["requests"]:
        count, ms, answer = measured(statements, lambda r=request: send(client, token, *r))
        found[name] = {"status": answer.status_code, "statements": count, "ms": ms}
    if plan.get("domain"):
        with app.app_context():
            found |= domain_calls(plan["domain"], statements)
    print(json.dumps(found))


if __name__ == "__main__":
    main()

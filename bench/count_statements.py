"""Print the SQL statements each page runs: `count_statements.py USER PASSWORD PATH...`.

Runs inside Setlist's production configuration (the environment names the database),
logged in through the login form; prints one "path<TAB>count" line per page.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event

from app import create_app
from app.extensions import db

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: Production cookies are Secure: the test client sends them over https only.
BASE_URL = "https://localhost"


def main() -> None:
    """Log in, then count each page's statements."""
    username, password, *paths = sys.argv[1:]
    app = create_app("production")
    client = app.test_client()
    login_page = client.get("/login/", base_url=BASE_URL).get_data(as_text=True)
    fields = {"csrf_token": CSRF.search(login_page).group(1), "username": username}
    # Over https, Flask-WTF also wants a same-origin Referer on every form post.
    headers = {"Referer": f"{BASE_URL}/login/"}
    client.post(
        "/login/", data={**fields, "password": password}, base_url=BASE_URL, headers=headers
    )
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *_: statements.append(1))
    for path in paths:
        statements.clear()
        response = client.get(path, base_url=BASE_URL)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        print(f"{path}\t{len(statements)}")


if __name__ == "__main__":
    main()

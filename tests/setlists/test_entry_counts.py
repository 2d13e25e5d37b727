"""What the entries cost: a move, a removal, an undo and a page of the section each run the
same number of SQL statements in a setlist of 25 entries and one of 5,000."""

import pytest
from sqlalchemy import delete

from app.extensions import db
from app.models import Setlist
from app.setlists import rules
from tests.setlists.building import counted, fill, make_songs, order


@pytest.fixture
def long_setlist(app, people):
    """long_setlist(size) -> (setlist id, entry ids in order), the owner's."""
    with app.app_context():
        songs = make_songs(25)

    def make(size: int):
        with app.app_context():
            setlist = rules.create(db.session, people["owner"], f"Long {size}")
            db.session.commit()
            fill(setlist, [songs[index % 25] for index in range(size)])
            return setlist.id, order(setlist.id)

    yield make
    with app.app_context():
        db.session.execute(delete(Setlist))
        db.session.commit()


def costs(app, owner, setlist_id: int, ids: list[int]) -> dict[str, int]:
    """Statements of: the section's first and middle pages, a move to the top, to a
    position, a removal and its undo."""
    with app.app_context():
        engine = db.engine
    owner.api("POST", "/setlists/entries/0/undo")  # the CSRF token is read once, here
    middle = ids[len(ids) // 2]
    section = f"/setlists/entries/{setlist_id}/section"
    steps = {
        "first page": lambda: owner.get(section),
        "middle page": lambda: owner.get(f"{section}?entries_page={len(ids) // 50 + 1}"),
        "move to top": lambda: owner.api("POST", f"/setlists/entries/{setlist_id}/move/{middle}",
                                         json={"to": "top"}, csrf=False, headers=owner.headers),
        "move to 3": lambda: owner.api("POST", f"/setlists/entries/{setlist_id}/move/{middle}",
                                       json={"to": "3"}, csrf=False, headers=owner.headers),
        "remove": lambda: owner.api("POST", f"/setlists/entries/{setlist_id}/remove/{ids[5]}",
                                    json={}, csrf=False, headers=owner.headers),
        "undo": lambda: owner.api("POST", f"/setlists/entries/{setlist_id}/undo",
                                  json={}, csrf=False, headers=owner.headers),
    }  # fmt: skip
    spent = {}
    for name, call in steps.items():
        with counted(engine) as run:
            answer = call()
        assert answer.status_code == 200, (name, answer.get_data(as_text=True)[:300])
        spent[name] = len(run)
    return spent


def test_entries_cost_the_same_at_25_and_5000(app, login_as, long_setlist):
    """Each request's statement count is equal at both lengths."""
    owner = login_as("Listener")
    page = owner.get("/").get_data(as_text=True)
    token = page.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0]
    owner.headers = {"X-CSRFToken": token}
    short = costs(app, owner, *long_setlist(25))
    long = costs(app, owner, *long_setlist(5000))
    assert short == long, (short, long)
    assert long["move to top"] <= 20, long
    assert long["first page"] <= 20, long

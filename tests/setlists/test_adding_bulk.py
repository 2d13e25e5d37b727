"""Adding many songs at once: the songs list's bulk action "Add to setlist" and its page
(ticked rows keep the list's order), a thousand songs in one request under a second, in as
many SQL statements as ten; and where the "Add to setlist" buttons show (and do not)."""

import re
import time

from tests.setlists.adding_building import (
    ADDING,
    CHOICES,
    album_of,
    make_setlist,
    new_songs,
    setlists_of,
    user_id,
)
from tests.setlists.building import counted, songs_in
from tests.support.forms import CSRF_META, csrf_token

ROW_IDS = re.compile(r'name="rowid" value="(\d+)"')


def test_bulk_add_of_three_ticked_rows_keeps_the_lists_order(app, users, login_as):
    """Tick three rows of the songs list, "Add to setlist", name a new one: the setlist
    holds them in the order the list showed them (by title, not by id)."""
    listener = login_as("Listener")
    album_of(app, 8)
    page = listener.get("/songs/list/").get_data(as_text=True)
    assert "add_to_setlist" in page
    shown = [int(pk) for pk in ROW_IDS.findall(page)]
    ticked = [shown[0], shown[1], shown[5]]
    assert ticked != sorted(ticked)  # the list's order is not the ids' order
    action = listener.client.post(
        "/songs/action_post",
        data={"action": "add_to_setlist", "rowid": ticked, "csrf_token": csrf_token(page)},
    )
    assert action.status_code == 302
    form_url = action.headers["Location"]
    assert form_url.startswith(f"{ADDING}/bulk?ids=")
    form = listener.get(form_url).get_data(as_text=True)
    assert "3 songs, in the order ticked" in form
    done = listener.submit(
        form_url, {"setlist": "new", "name": "Ticked", "ids": ",".join(map(str, ticked))}
    )
    assert done.status_code == 302, done.get_data(as_text=True)
    created = setlists_of(app, user_id(app, users["Listener"]))["Ticked"]
    assert done.headers["Location"] == f"/setlists/show/{created}"
    assert songs_in(app, created) == ticked
    shown_after = listener.get(done.headers["Location"]).get_data(as_text=True)
    assert "Added 3 songs to “Ticked”." in shown_after


def test_bulk_page_adds_to_an_existing_setlist_of_mine_only(app, users, own_account, login_as):
    """The page offers my setlists, most recent first; someone else's id is refused."""
    listener = login_as("Listener")
    owner = user_id(app, users["Listener"])
    older = make_setlist(app, owner, "Older", age_minutes=5)
    newer = make_setlist(app, owner, "Newer")
    theirs = make_setlist(app, user_id(app, own_account), "Theirs")
    songs = new_songs(app, 3)
    url = f"{ADDING}/bulk?ids=" + ",".join(map(str, songs))
    page = listener.get(url).get_data(as_text=True)
    assert CHOICES.findall(page) == [str(newer), str(older)]
    assert "Theirs" not in page
    refused = listener.submit(url, {"setlist": str(theirs), "ids": ",".join(map(str, songs))})
    assert refused.status_code == 400
    assert "There is no such setlist." in refused.get_data(as_text=True)
    done = listener.submit(url, {"setlist": str(older), "ids": ",".join(map(str, songs))})
    assert done.status_code == 302
    assert songs_in(app, older) == songs
    assert songs_in(app, theirs) == []


def test_bulk_page_bounds_and_odd_ids(app, users, login_as, browser):
    """More than 10,000 ids, or text, gets a clear message; signed out goes to log in."""
    listener = login_as("Listener")
    too_many = listener.get(f"{ADDING}/bulk?ids=" + ",".join(["1"] * 10_001))
    assert "Add at most 10,000 songs at a time." in too_many.get_data(as_text=True)
    odd = listener.get(f"{ADDING}/bulk?ids=1,x")
    assert "Send the songs as a list of song ids." in odd.get_data(as_text=True)
    assert "Select at least one song first." in listener.get(f"{ADDING}/bulk").get_data(
        as_text=True
    )
    assert browser.get(f"{ADDING}/bulk?ids=1").status_code == 302


def add_timed(app, listener, setlist_id: int, song_ids: list[int]):
    """POST the songs to the setlist; (seconds of this process's CPU taken, SQL statements
    run). CPU time, not the clock's: other work on a shared test machine does not count."""
    token = CSRF_META.search(listener.get("/").get_data(as_text=True)).group(1)
    with app.app_context(), counted() as statements:
        started = time.process_time()
        answer = listener.client.post(
            f"{ADDING}/{setlist_id}", json={"songs": song_ids}, headers={"X-CSRFToken": token}
        )
        seconds = time.process_time() - started
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["added"] == len(song_ids)
    return seconds, len(statements)


def test_a_thousand_songs_cost_the_statements_of_ten(app, users, login_as):
    """Adding 1,000 songs runs as many statements as adding 10. Its time is printed, not
    asserted: the process's CPU time counts every thread of a long test run (a 0.2 s add
    once read 5.3 s there); speed targets live in bench/."""
    listener = login_as("Listener")
    owner = user_id(app, users["Listener"])
    songs = new_songs(app, 1010)
    few, many = make_setlist(app, owner, "Ten"), make_setlist(app, owner, "Thousand")
    listener.api("POST", f"{ADDING}/{few}", {"songs": songs[:1]})  # warm up
    _, ten = add_timed(app, listener, few, songs[:10])
    seconds, thousand = add_timed(app, listener, many, songs[10:])
    assert thousand == ten
    assert songs_in(app, many) == songs[10:]
    kind = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    print(f"\n[{kind}] 1,000 songs added in {seconds * 1000:.0f} ms CPU, {thousand} statements")


def test_buttons_show_for_those_who_may_add_only(app, users, login_as, browser):
    """Rows, search results and album pages offer "Add to setlist" to listeners; a
    visitor's pages do not (nor the bulk action)."""
    listener = login_as("Listener")
    album_id, running = album_of(app, 2, title="Blue Train")
    songs_page = listener.get("/songs/list/").get_data(as_text=True)
    assert f'data-setlist-songs="{running[0]}"' in songs_page
    album_page = listener.get(f"/albums/show/{album_id}").get_data(as_text=True)
    assert f'data-setlist-album="{album_id}"' in album_page
    assert "Add album" in album_page
    found = listener.get("/search/results?q=disc").get_data(as_text=True)
    assert f'data-setlist-songs="{running[0]}"' in found
    assert "data-setlist-current" in found  # the player bar's button
    visitor = browser.get("/songs/list/", follow_redirects=True).get_data(as_text=True)
    assert "data-setlist-songs" not in visitor
    assert "add_to_setlist" not in visitor

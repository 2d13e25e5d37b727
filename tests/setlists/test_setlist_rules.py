"""Setlists' own rules: names and descriptions, who publishes, and who sees and edits which
setlist, as predicates and as the SQL filters of list queries (the two must agree)."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.models import Setlist, SetlistEntry
from app.setlists import entries, rules

#: Who acts: (user key in `people` or None for anonymous, is_admin, may_publish, may_browse).
ACTORS = {
    "owner": ("owner", False, False, True),
    "other listener": ("other", False, False, True),
    "editor": ("editor", False, True, True),
    "admin": ("admin", True, True, True),
    "anonymous": (None, False, False, False),
    "anonymous, public browsing": (None, False, False, True),
}
#: actor -> visibility -> (sees, edits). Link holders are let in by the link (a later step).
TABLE = {
    "owner": {"private": (1, 1), "catalog": (1, 1), "link": (1, 1)},
    "other listener": {"private": (0, 0), "catalog": (1, 0), "link": (0, 0)},
    "editor": {"private": (0, 0), "catalog": (1, 1), "link": (0, 0)},
    "admin": {"private": (1, 1), "catalog": (1, 1), "link": (1, 1)},
    "anonymous": {"private": (0, 0), "catalog": (0, 0), "link": (0, 0)},
    "anonymous, public browsing": {"private": (0, 0), "catalog": (1, 0), "link": (0, 0)},
}


@pytest.fixture
def three(session, people) -> dict[str, int]:
    """One setlist of the owner's per visibility: visibility -> id."""
    made = {}
    for visibility in ("private", "catalog", "link"):
        setlist = rules.create(
            session, people["owner"], f"{visibility} list", visibility=visibility, may_publish=True
        )
        made[visibility] = setlist.id
    session.commit()
    return made


@pytest.mark.parametrize("actor", ACTORS)
def test_who_sees_and_edits_which_setlist(session, people, three, actor):
    """Predicates and SQL filters give the table's answer for every actor and visibility."""
    key, is_admin, may, browse = ACTORS[actor]
    user_id = people[key] if key else None
    for visibility, setlist_id in three.items():
        setlist = session.get(Setlist, setlist_id)
        sees, edits = TABLE[actor][visibility]
        assert rules.may_see(setlist, user_id, is_admin, browse) == bool(sees), visibility
        assert rules.may_edit(setlist, user_id, is_admin, may) == bool(edits), visibility
    seen = set(
        session.scalars(select(Setlist.id).where(rules.visible_filter(user_id, is_admin, browse)))
    )
    editable = set(
        session.scalars(select(Setlist.id).where(rules.editable_filter(user_id, is_admin, may)))
    )
    assert seen == {three[v] for v, (sees, _edits) in TABLE[actor].items() if sees}
    assert editable == {three[v] for v, (_sees, edits) in TABLE[actor].items() if edits}
    for visibility, setlist_id in three.items():
        if TABLE[actor][visibility][0]:
            assert rules.find(session, setlist_id, user_id, is_admin, browse).id == setlist_id
        else:
            with pytest.raises(rules.SetlistNotFound):
                rules.find(session, setlist_id, user_id, is_admin, browse)


def test_names_are_checked_and_folded_for_search(session, people):
    """A name is trimmed, 1-200 characters, and searched accent- and case-insensitively."""
    setlist = rules.create(session, people["owner"], "  Café Society  ", "Late night")
    session.commit()
    assert (setlist.name, setlist.name_key, setlist.visibility) == (
        "Café Society",
        "cafe society",
        "private",
    )
    rules.rename(setlist, "BJÖRK's Best")
    assert setlist.name_key == "bjorks best"
    for bad in ("", "   ", None, "x" * 201, 12):
        with pytest.raises(rules.SetlistRefused) as refused:
            rules.rename(setlist, bad)
        assert refused.value.field == "name"
    rules.describe(setlist, "   ")
    assert setlist.description is None
    with pytest.raises(rules.SetlistRefused):
        rules.describe(setlist, "x" * (rules.DESCRIPTION_LENGTH + 1))


def test_only_those_who_may_publish_put_a_setlist_in_the_catalog(session, people):
    """A listener keeps a list private or shares it by link; an editor publishes it; its
    owner may take it out again."""
    setlist = rules.create(session, people["owner"], "Show")
    rules.change_visibility(setlist, "link", may_publish=False)
    with pytest.raises(rules.SetlistRefused, match="editor"):
        rules.change_visibility(setlist, "catalog", may_publish=False)
    with pytest.raises(rules.SetlistRefused):
        rules.create(session, people["owner"], "Mine", visibility="catalog")
    rules.change_visibility(setlist, "catalog", may_publish=True)
    assert setlist.visibility == "catalog"
    rules.change_visibility(setlist, "private", may_publish=False)
    with pytest.raises(rules.SetlistRefused):
        rules.change_visibility(setlist, "public", may_publish=True)


def test_the_database_refuses_an_unknown_visibility(session, people):
    """The CHECK constraint holds whatever door writes the row."""
    session.add(Setlist(name="Odd", owner_id=people["owner"], visibility="everyone"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_deleted_account_takes_its_setlists_not_its_additions(app, session, people, songs):
    """The owner's account going deletes their setlists (the database cascades); entries
    they added to someone else's setlist stay, no longer attributed."""
    ids = songs(2)
    theirs = rules.create(session, people["other"], "Theirs")
    mine = rules.create(session, people["owner"], "Mine")
    entries.add_songs(session, theirs, ids, people["other"])
    entries.add_songs(session, mine, ids[:1], people["other"])
    session.commit()
    theirs_id, mine_id = theirs.id, mine.id
    sm = app.appbuilder.sm
    sm.session.delete(sm.find_user(username="olivia"))
    sm.session.commit()
    session.expire_all()
    assert session.get(Setlist, theirs_id) is None
    kept = session.scalars(select(SetlistEntry).where(SetlistEntry.setlist_id == mine_id)).all()
    assert [(entry.song_id, entry.added_by_id) for entry in kept] == [(ids[0], None)]

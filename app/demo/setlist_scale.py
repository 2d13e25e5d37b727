"""Generated people and setlists at scale, written with bulk SQL: for the scale benchmark.

On top of a generated catalog (app/demo/scale.py): `users` listeners who cannot log in (no
usable password), `setlists` setlists spread over them and one named owner (mostly private,
a tenth in the catalog, a tenth shared by link), each with a few entries, and one setlist of
`long_entries` entries owned by that named person.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_appbuilder.security.sqla.models import User, assoc_user_role
from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection

from app.demo.scale import insert_rows, next_id
from app.models import Setlist, SetlistEntry, Song
from app.search.keys import search_key
from app.setlists.entries import STEP
from app.setlists.sizes import recount

#: The (visibility, share) draw: mostly private, a tenth each in the catalog and by link.
VISIBILITY_WEIGHTS = (("private", 8), ("catalog", 1), ("link", 1))
#: A password hash no password matches: generated people never log in.
NO_PASSWORD = "!"  # noqa: S105 - the opposite of a secret
#: Every generated user and setlist name starts so (a rerun on the same database is refused).
GENERATED = "generated-"
WORDS = ("Friday", "Radio", "Warm-up", "Class", "Promo", "Late", "Jazz", "Drive", "Morning",
         "Party", "Set", "Show", "Mix", "Spring", "Summer", "Night", "Club", "Study")  # fmt: skip


@dataclass(frozen=True)
class SetlistScale:
    """What was written: counts, and the ids a benchmark needs."""

    users: int
    setlists: int
    entries: int
    long_setlist_id: int
    long_entries: int
    #: The long setlist's first entry (its entries' ids follow in order).
    long_first_entry: int
    #: The named owner's setlists besides the long one (an empty one among them, first).
    owner_setlist_ids: tuple[int, ...]


def write_setlists(
    connection: Connection,
    owner_id: int,
    listener_role_id: int | None,
    users: int = 10_000,
    setlists: int = 100_000,
    long_entries: int = 5_000,
    entries_each: int = 9,
    owner_setlists: int = 10,
    seed: int = 11,
) -> SetlistScale:
    """Write the people and setlists above; songs must exist. The caller commits."""
    rng = random.Random(seed)  # noqa: S311 - repeatable data, not secrets
    low, high = connection.execute(select(func.min(Song.id), func.max(Song.id))).one()
    if low is None:
        raise ValueError("write the catalog first: setlists need songs")
    now = datetime.now(UTC)
    first_user, first_setlist, first_entry = (
        next_id(connection, model) for model in (User, Setlist, SetlistEntry)
    )
    insert_rows(connection, User, people(first_user, users, now))
    if listener_role_id is not None:
        rows = ({"user_id": first_user + n, "role_id": listener_role_id} for n in range(users))
        insert_rows(connection, _Association, rows)

    visibilities = [name for name, weight in VISIBILITY_WEIGHTS for _ in range(weight)]
    # The owner's own: the long one first, then `owner_setlists` (the first one empty).
    owners = [owner_id] * (owner_setlists + 1)
    owners += [first_user + rng.randrange(users) for _ in range(setlists - len(owners))]
    long_id = first_setlist
    entry_count = 0

    def setlist_row(number: int, owner: int) -> dict:
        name = f"{' '.join(rng.choice(WORDS) for _ in range(2))} {number + 1}"
        visibility = "private" if owner == owner_id else rng.choice(visibilities)
        # Spread over a year so "most recent first" reads a real index, not ties.
        when = now - timedelta(minutes=rng.randrange(525_600))
        if number == 0:
            name, when = "The long one (5,000 songs)", now  # the owner's newest
        return {"id": first_setlist + number, "name": name, "name_key": search_key(name),
                "owner_id": owner, "visibility": visibility, "created_at": when,
                "updated_at": when, "description": None}  # fmt: skip

    def entries():
        nonlocal entry_count
        entry_id = first_entry
        for number in range(len(owners)):
            count = (
                long_entries if number == 0 else 0 if number == 1 else rng.randint(0, entries_each)
            )
            for place in range(count):
                yield {"id": entry_id, "setlist_id": first_setlist + number,
                       "song_id": rng.randint(low, high), "position": (place + 1) * STEP,
                       "note": None, "added_by_id": owners[number], "added_at": now}  # fmt: skip
                entry_id += 1
        entry_count = entry_id - first_entry

    setlist_rows = (setlist_row(number, owner) for number, owner in enumerate(owners))
    insert_rows(connection, Setlist, setlist_rows)
    insert_rows(connection, SetlistEntry, entries())
    # Bulk rows pass no flush hook: their sizes are counted once, here.
    recount(connection, Setlist.id >= first_setlist)
    if connection.dialect.name == "postgresql":
        # Explicit ids leave the id sequences behind; later inserts must not collide.
        connection.execute(text("SELECT setval('ab_user_id_seq', (SELECT max(id) FROM ab_user))"))
        for table in ("setlist", "setlist_entry"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            # Our own table names, no outside input.
            connection.execute(text(f"SELECT setval({sequence}, max(id)) FROM {table}"))  # noqa: S608
    owned = tuple(range(first_setlist + 1, first_setlist + owner_setlists + 1))
    return SetlistScale(users, len(owners), entry_count, long_id, long_entries, first_entry, owned)


def people(first_id: int, count: int, now: datetime):
    """Rows of generated listeners who cannot log in."""
    for number in range(count):
        user_id = first_id + number
        yield {"id": user_id, "first_name": "Listener", "last_name": str(user_id),
               "username": f"{GENERATED}{user_id}", "email": f"{GENERATED}{user_id}@example.org",
               "password": NO_PASSWORD, "active": True, "created_on": now, "changed_on": now,
               "created_by_fk": None, "changed_by_fk": None, "login_count": 0,
               "fail_login_count": 0, "last_login": None}  # fmt: skip


class _Association:
    """ab_user_role seen as insert_rows expects a model (it reads __table__)."""

    __table__ = assoc_user_role

"""The kinds of job and what each computes: a registry that the analysis kinds join.

A kind's `compute` gets a local copy of the song's file and returns its result (a dict,
JSON-able); it never touches the database, so no transaction is held while it decodes.
`save`, when given, writes that result where pages read it (the song, its album) in the
short transaction that also marks the job done; the result is kept on the job row anyway.
Whatever `compute` raises fails the job with that reason (AnalysisFailed("silent") says
"silent"), except the outages in `TRANSIENT`, which are retried with growing waits.

An album kind (`members` set) works on several files: its job's key is the album's
loudness key, `members` names the songs and files it covers, and `compute` gets the
local copies as [(song title, path)].
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import InterfaceError, OperationalError

from app.media.file_store import StoreUnavailable
from app.models.jobs import KIND_LENGTH


def always() -> bool:
    """A kind that needs nothing beyond Python."""
    return True


@dataclass(frozen=True)
class JobKind:
    """One kind of work on a song file (or on an album's files: `members`)."""

    name: str
    #: compute(path) for a song kind; compute([(song title, path)]) for an album kind.
    compute: Callable[..., dict]
    #: save(session, job, result): the result into the catalog (no commit; the runner's).
    save: Callable | None = None
    #: False while a program the kind needs (ffmpeg) is missing: its jobs wait for it.
    available: Callable[[], bool] = always
    #: What a waiting job says it waits for.
    needs: str = "ffmpeg"
    #: members(session, job) -> [(song title, stored name)] for a kind over several songs
    #: (an album's), or None when no album has the job's key any more; None: a song kind.
    members: Callable | None = None
    #: forget(session, song_id): clear what `save` wrote for a file the song no longer has.
    forget: Callable | None = None


#: Outages that end by themselves: the job is tried again later, not failed.
TRANSIENT = (StoreUnavailable, OperationalError, InterfaceError, ConnectionError, TimeoutError)

KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> JobKind:
    """Add a kind (once per process; registering a name again replaces it)."""
    if not kind.name or len(kind.name) > KIND_LENGTH:
        raise ValueError(f"a job kind's name has 1 to {KIND_LENGTH} characters: {kind.name!r}")
    KINDS[kind.name] = kind
    return kind


def song_kinds() -> list[str]:
    """The kinds every new song file gets a job of (album kinds are queued per album)."""
    return [name for name, kind in KINDS.items() if kind.members is None]


def unregister_kind(name: str) -> None:
    """Remove a kind (tests that add one of their own)."""
    KINDS.pop(name, None)

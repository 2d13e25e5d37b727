"""Each person's undo stack per setlist, kept in their (signed) session: the Steps of the
changes they made through the entries' routes, newest last (app/setlists/undo.py)."""

from flask import session

from app.setlists.undo import Step

#: The session key of the stacks: {"<setlist id>": [packed step, ...]}.
SESSION_KEY = "setlist_undo"
#: Steps kept per setlist, and setlists kept (a session cookie holds about 4 KB).
STEPS, SETLISTS = 10, 3


def stacks() -> dict:
    """The session's stacks (an odd value in the cookie counts as none)."""
    kept = session.get(SESSION_KEY)
    return kept if isinstance(kept, dict) else {}


def push(setlist_id: int, done: Step | None) -> None:
    """Remember a change to undo; the setlist's stack becomes the newest one kept."""
    if done is None:
        return
    kept = stacks()
    stack = kept.pop(str(setlist_id), [])
    stack = [*(stack if isinstance(stack, list) else []), done.packed()][-STEPS:]
    kept[str(setlist_id)] = stack
    session[SESSION_KEY] = dict(list(kept.items())[-SETLISTS:])


def pop(setlist_id: int) -> Step | None:
    """Take the newest change to undo off the setlist's stack (None when there is none)."""
    kept = stacks()
    stack = kept.get(str(setlist_id))
    if not isinstance(stack, list) or not stack:
        return None
    done = Step.unpacked(stack[-1])
    kept[str(setlist_id)] = stack[:-1]
    session[SESSION_KEY] = kept
    return done


def can_undo(setlist_id: int) -> bool:
    """Whether the person has a change on this setlist to undo."""
    stack = stacks().get(str(setlist_id))
    return isinstance(stack, list) and bool(stack)

"""XSPF files read with expat directly, refusing any DTD: no entity is ever declared, so none
can expand (a "billion laughs" bomb) or fetch a file or URL (an external entity).

defusedxml does the same but is not among the project's requirements; expat's own handlers
are enough for the few elements an XSPF track has.
"""

import xml.parsers.expat
from urllib.parse import unquote, urlsplit

from app.setlists.formats import PlaylistError
from app.setlists.rules import N_

#: The elements of a <track> an import reads, by local name (namespace or not).
TRACK_FIELDS = ("location", "creator", "title", "duration", "annotation")
#: (line number, location, creator, title, duration in seconds, annotation)
RawTrack = tuple[int, str | None, str | None, str | None, float | None, str | None]


class _Refused(Exception):
    """Raised from an expat handler to stop at a DTD or entity declaration."""


def _refuse(*_args) -> None:
    raise _Refused


def local_name(tag: str) -> str:
    """An element's name without its namespace ("http://xspf.org/ns/0/ title" -> "title")."""
    return tag.rsplit(" ", 1)[-1]


def file_location(text: str | None) -> str | None:
    """A <location> URI as a path: percent-decoded, its scheme and host dropped."""
    if not text:
        return None
    return unquote(urlsplit(text.strip()).path) or None


def milliseconds(text: str | None) -> float | None:
    """XSPF's duration (milliseconds) in seconds; None when it is not a whole number."""
    text = (text or "").strip()
    # ASCII digits only: "²" is a digit to str.isdigit but not to int().
    return int(text) / 1000 if text.isascii() and text.isdigit() and len(text) < 12 else None


def xspf_entries(data: bytes, limit: int) -> tuple[str | None, list[RawTrack]]:
    """The playlist's title and its tracks, in order, from an XSPF document.

    Raises PlaylistError for a DTD, malformed XML or more than `limit` tracks.
    """
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    tracks: list[RawTrack] = []
    path: list[str] = []
    fields: dict[str, str] = {}
    done: set[str] = set()  # XSPF allows several <location>s: the first one counts
    title_parts: list[str] = []
    track_line = 0

    def start(tag: str, _attributes) -> None:
        nonlocal track_line
        path.append(local_name(tag))
        if path[-2:] == ["trackList", "track"]:
            fields.clear()
            done.clear()
            track_line = parser.CurrentLineNumber

    def end(_tag: str) -> None:
        if path[-2:] == ["trackList", "track"]:
            if len(tracks) >= limit:
                raise PlaylistError(
                    N_("The file has more than %(limit)s entries."), limit=f"{limit:,}"
                )
            found = [fields.get(name) for name in TRACK_FIELDS]
            location, creator, title, duration, annotation = found
            tracks.append(
                (
                    track_line,
                    file_location(location),
                    creator,
                    title,
                    milliseconds(duration),
                    annotation,
                )
            )
        elif len(path) >= 2 and path[-2] == "track":
            done.add(path[-1])
        path.pop()

    def text(data: str) -> None:
        if len(path) >= 2 and path[-2] == "track" and path[-1] in TRACK_FIELDS:
            if path[-1] not in done:
                fields[path[-1]] = fields.get(path[-1], "") + data
        elif path[-2:] == ["playlist", "title"]:
            title_parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    try:
        parser.Parse(data, True)
    except _Refused as error:
        raise PlaylistError(
            N_("The XML file declares a DTD or entities; they are refused.")
        ) from error
    except xml.parsers.expat.ExpatError as error:
        raise PlaylistError(
            N_("The file is not valid XSPF (XML): %(problem)s."),
            problem=xml.parsers.expat.errors.messages[error.code] + f", line {error.lineno}",
        ) from error
    return "".join(title_parts).strip() or None, tracks

"""The kinds of catalog row that search and the pickers find: how each is matched, who may
see it, and how a result reads."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for

from app.models import Album, Author, Song
from app.search.matching import Matcher


@dataclass(frozen=True)
class Kind:
    """A kind of catalog row as search shows it: how it is matched, who may see it."""

    matcher: Matcher
    view_name: str
    #: What a result says besides its label (the author of an album, say).
    detail: Callable[[object], str | None]

    def visible(self) -> bool:
        """Whether the current user may browse this kind of row."""
        return current_app.appbuilder.sm.has_access("can_list", self.view_name)

    def describe(self, row) -> dict:
        """A search result: id, label, detail and the page to open."""
        label = row.name if isinstance(row, Author) else row.title
        return {
            "id": row.id,
            "label": label,
            "detail": self.detail(row),
            "url": url_for(f"{self.view_name}.show", pk=row.id),
        }


KINDS = {
    "authors": Kind(Matcher(Author, (Author.name_key,)), "AuthorModelView", lambda a: a.country),
    # An album is found by its own title or by its author's name.
    "albums": Kind(
        Matcher(Album, (Album.title_key, Author.name_key), joins=(Album.author,)),
        "AlbumModelView",
        lambda album: album.author.name,
    ),
    "songs": Kind(
        Matcher(Song, (Song.title_key,)),
        "SongModelView",
        lambda song: f"{song.album.author.name} — {song.album.title}",
    ),
}


#: The kinds whose rows other forms pick (a song's album, an album's author).
PICKABLE = ("albums", "authors")

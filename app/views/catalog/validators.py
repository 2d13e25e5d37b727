"""Form validators for rules that span more than one field."""

from flask_babel import lazy_gettext
from sqlalchemy import func, select
from wtforms import ValidationError

from app.extensions import db
from app.models import Album


class UniqueAlbumTitlePerAuthor:
    """Refuse a title the chosen author already uses for another album."""

    def __call__(self, form, field) -> None:
        """Raise a field error when the author already has an album with this title."""
        author = form.author.data if "author" in form else None
        if author is None or not field.data:
            return
        query = select(Album.id).where(
            Album.author_id == author.id,
            func.lower(Album.title) == field.data.strip().lower(),
        )
        editing_id = getattr(form, "_id", None)
        if editing_id is not None:
            query = query.where(Album.id != int(editing_id))
        if db.session.execute(query).first():
            # Plain text: templates escape messages (app/web/language.py), author name included.
            message = lazy_gettext(
                "%(author)s already has an album with this title.", author=author.name
            )
            raise ValidationError(str(message))


def albums_whose_title_the_author_has(albums: list[Album], author) -> dict[int, str]:
    """Bulk "move to author": the albums (by id) that would clash with a title the author
    already uses, or that another selected album brings, each with its reason."""
    selected = [album.id for album in albums]
    taken = set(
        db.session.scalars(
            select(func.lower(Album.title)).where(
                Album.author_id == author.id, Album.id.not_in(selected)
            )
        )
    )
    refused = {}
    # Albums already with the author keep their titles; the others come after them.
    for album in sorted(albums, key=lambda album: album.author_id != author.id):
        title = album.title.lower()
        if title in taken:
            message = lazy_gettext(
                "%(author)s already has an album with this title.", author=author.name
            )
            refused[album.id] = f"“{album.title}”: {message}"
        taken.add(title)
    return refused

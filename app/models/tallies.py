"""Counters of the catalog kept up to date with every change (app/catalog_tallies.py):
the home page reads a few dozen of these rows instead of aggregating every song."""

from flask_appbuilder import Model
from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

#: One row each: songs (with their playing time and stored bytes), albums, authors.
TOTAL, ALBUMS, AUTHORS = "total", "albums", "authors"
#: Songs per genre (label; "" for none), decade (number) and author (number: the author's id).
GENRE, DECADE, AUTHOR = "genre", "decade", "author"


class CatalogTally(Model):
    """How many songs (albums, authors for those kinds) one group of the catalog holds."""

    __tablename__ = "catalog_tally"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    label: Mapped[str] = mapped_column(String(100), primary_key=True, default="")
    number: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    playing_ms: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    stored_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)

    def __repr__(self) -> str:
        return f"{self.kind} {self.label or self.number}: {self.amount}"


# The charts' top rows, read from the index in their order (most first, then by id or name).
Index(
    "ix_catalog_tally_top",
    CatalogTally.kind,
    CatalogTally.amount.desc(),
    CatalogTally.number,
    CatalogTally.label,
)

"""Share links: read-only links to one setlist, kept as the SHA-256 of their token."""

from datetime import datetime

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.setlists import Setlist, utc_now

#: A token's SHA-256, as 64 hex digits.
HASH_LENGTH = 64
#: The first characters of a token, kept to tell links apart in lists (too few to guess by).
PREFIX_LENGTH = 6


class SetlistShare(Model):
    """One read-only link to a setlist: who made it, until when, whether it lets songs be
    downloaded, when it was last used, and whether it was revoked.

    Only the token's hash is stored: a leaked database opens no link. The link goes with its
    setlist (ON DELETE CASCADE); its maker's account going leaves it (SET NULL).
    """

    __tablename__ = "setlist_share"
    __table_args__ = (
        # A setlist's live links, and the admins' list of every link, newest first.
        Index("ix_setlist_share_setlist", "setlist_id", "revoked_at", "created_at"),
        Index("ix_setlist_share_created", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    setlist_id: Mapped[int] = mapped_column(
        ForeignKey("setlist.id", ondelete="CASCADE"), nullable=False
    )
    token_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), nullable=False, unique=True)
    token_prefix: Mapped[str] = mapped_column(String(PREFIX_LENGTH), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utc_now
    )
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    allow_download: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )

    setlist: Mapped[Setlist] = relationship(Setlist)
    created_by: Mapped[User | None] = relationship(User)

    def __repr__(self) -> str:
        return f"{self.token_prefix}…"

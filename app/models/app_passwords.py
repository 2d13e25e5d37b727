"""App passwords: named passwords a user gives music apps (Subsonic clients), never the
login password; encrypted at rest, revocable, with their last use."""

from datetime import datetime

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.setlists import utc_now

#: The longest name a user gives an app password ("Phone", "Car stereo"...).
MAX_NAME = 100
#: The longest client name (Subsonic's `c` parameter) kept for an app password.
MAX_CLIENT = 64
#: A password's SHA-256, as 64 hex digits.
HASH_LENGTH = 64
#: Room for a Fernet token of a password (about 140 characters for ours).
MAX_ENCRYPTED = 400


class AppPassword(Model):
    """One named password for a music app.

    Subsonic's token sign-in (t = md5(password + salt)) needs the password in clear on the
    server, so it is kept encrypted with CATALOG_APP_PASSWORD_KEY (app/security/
    app_passwords.py), never as typed. Its SHA-256 finds it by value (OpenSubsonic's apiKey,
    a plain `p`) without decrypting every row. The row goes with its user (ON DELETE CASCADE).
    """

    __tablename__ = "app_password"
    __table_args__ = (
        # A user's live passwords, checked at every sign-in; their account page lists them.
        Index("ix_app_password_user", "user_id", "revoked_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(MAX_NAME), nullable=False)
    encrypted: Mapped[str] = mapped_column(String(MAX_ENCRYPTED), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utc_now
    )
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_client: Mapped[str | None] = mapped_column(String(MAX_CLIENT))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(User)

    def __repr__(self) -> str:
        return self.name

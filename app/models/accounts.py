"""What Setlist keeps about accounts beside FAB's tables: the sessions they are signed in with."""

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class LoginSession(Model):
    """One signed-in browser: its cookie names this row, so deleting the row signs it out."""

    __tablename__ = "login_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), index=True
    )
    #: When the user signed in: the session's absolute lifetime counts from here (indexed:
    #: expired logins are purged oldest first).
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)

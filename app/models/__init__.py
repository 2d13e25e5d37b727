"""Every model, imported in one place so Alembic and FAB see all tables."""

from flask_appbuilder import Model

from app.models.accounts import LoginSession
from app.models.app_passwords import AppPassword
from app.models.catalog import Album, Author, Song
from app.models.changes import Change
from app.models.jobs import Job
from app.models.listener_data import AlbumMark, AuthorMark, SongMark, SongPlay
from app.models.listening import PlayQueue, PlayQueueEntry
from app.models.now_playing import NowPlaying
from app.models.setlist_shares import SetlistShare
from app.models.setlists import Setlist, SetlistEntry
from app.models.tallies import CatalogTally

__all__ = [
    "Album",
    "AlbumMark",
    "AppPassword",
    "Author",
    "AuthorMark",
    "CatalogTally",
    "Change",
    "Job",
    "LoginSession",
    "Model",
    "NowPlaying",
    "PlayQueue",
    "PlayQueueEntry",
    "Setlist",
    "SetlistEntry",
    "SetlistShare",
    "Song",
    "SongMark",
    "SongPlay",
]

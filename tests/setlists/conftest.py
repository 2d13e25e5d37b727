"""Setlist fixtures: a session in the app's context (setlists emptied after each test),
people by role, songs made in bulk."""

import pytest
from sqlalchemy import delete

from app.extensions import db
from app.models import Setlist
from tests.setlists.building import make_songs
from tests.setlists.sharing_building import shared_world


@pytest.fixture
def session(app):
    """The app's database session, inside an app context; setlists go afterwards."""
    with app.app_context():
        yield db.session
        db.session.rollback()
        db.session.execute(delete(Setlist))
        db.session.commit()


@pytest.fixture
def people(app, users, own_account) -> dict[str, int]:
    """User ids: "owner" (a listener), "other" (another listener), "editor", "admin"."""
    with app.app_context():
        sm = app.appbuilder.sm
        names = {"owner": users["Listener"], "other": own_account}
        names |= {"editor": users["Editor"], "admin": users["Admin"]}
        return {who: sm.find_user(username=name).id for who, name in names.items()}


@pytest.fixture
def songs(session):
    """Make songs: songs(count, duration=60.0) -> their ids."""
    return make_songs


@pytest.fixture
def world(app, upload_folder, people):
    """For the share links' tests: the owner's setlist of two stored songs, and songs and
    a setlist of another user it does not hold."""
    with app.app_context():
        return shared_world(upload_folder, people["owner"], people["other"])


@pytest.fixture
def owner(login_as):
    """The shared setlist's owner (people["owner"], a listener), signed in."""
    return login_as("Listener")

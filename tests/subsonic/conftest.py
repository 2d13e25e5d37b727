"""Fixtures for the Subsonic API: app passwords for the role users, and a Subsonic client on
the test client that signs in the way apps do and parses both formats."""

import hashlib
import json
import logging
import secrets
from xml.etree import ElementTree

import pytest
from sqlalchemy import delete

from app.extensions import db
from app.models import AppPassword
from app.security.app_passwords import cipher_for, create

NS = "{http://subsonic.org/restapi}"


@pytest.fixture(autouse=True)
def no_app_passwords_left(app):
    """Remove every app password after each test (the role users outlive tests)."""
    yield
    with app.app_context():
        db.session.rollback()
        db.session.execute(delete(AppPassword))
        db.session.commit()


@pytest.fixture
def app_password(app, users):
    """Make a named app password for a role's user: app_password("Listener") -> clear text."""

    def make(role: str, name: str = "Phone") -> str:
        with app.app_context():
            user = app.appbuilder.sm.find_user(username=users[role])
            return create(db.session, cipher_for(app.config), user.id, name)[1]

    return make


@pytest.fixture
def catalogless_key(app) -> str:
    """An app password of "nora", signed in but whose only role (the anonymous one, empty)
    grants no catalog."""
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username="nora") or sm.add_user(
            "nora", "Nora", "None", "nora@example.org", sm.find_role("Public"),
            "a long enough password 42",
        )  # fmt: skip
        return create(db.session, cipher_for(app.config), user.id, "Phone")[1]


def token_params(username: str, password: str) -> dict:
    """Subsonic's token sign-in: u, a fresh salt s and t = md5(password + s)."""
    salt = secrets.token_hex(8)
    token = hashlib.md5((password + salt).encode(), usedforsecurity=False).hexdigest()
    return {"u": username, "t": token, "s": salt}


class Subsonic:
    """Calls /rest/<method> as a music app does and reads the answer in either format."""

    def __init__(self, client) -> None:
        self.client = client

    def raw(self, method: str, post: bool = False, **params):
        """The HTTP response of a call (GET, or a form-encoded POST)."""
        params.setdefault("v", "1.16.1")
        params.setdefault("c", "tests")
        if post:
            return self.client.post(f"/rest/{method}", data=params)
        return self.client.get(f"/rest/{method}", query_string=params)

    def call(self, method: str, f: str = "json", post: bool = False, **params) -> dict:
        """The subsonic-response's content as a dict, from either format (XML checked for
        the namespace and read back as attributes and children)."""
        if f == "json":
            params["f"] = "json"
        response = self.raw(method, post=post, **params)
        if f == "json":
            assert response.content_type.startswith("application/json")
            return json.loads(response.get_data(as_text=True))["subsonic-response"]
        assert response.content_type.startswith("text/xml")
        root = ElementTree.fromstring(response.get_data())  # noqa: S314 - our own answer
        assert root.tag == f"{NS}subsonic-response"
        return element_dict(root)


def element_dict(element) -> dict:
    """An XML element as the JSON form would have it: attributes as strings, children
    (namespaced) as lists of their own dicts, text as "value"."""
    found = dict(element.attrib)
    for child in element:
        assert child.tag.startswith(NS), child.tag
        found.setdefault(child.tag.removeprefix(NS), []).append(element_dict(child))
    if element.text and element.text.strip():
        found["value"] = element.text
    return found


@pytest.fixture
def subsonic(client) -> Subsonic:
    """A Subsonic client on the test client."""
    return Subsonic(client)


@pytest.fixture
def audit_lines(caplog):
    """The audit lines written during the test."""
    caplog.set_level(logging.INFO, logger="app.audit")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "app.audit"]

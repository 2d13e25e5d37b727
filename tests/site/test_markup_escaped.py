"""Markup typed into any field of any form comes back as text: pages, errors, flashes, selects."""

import io
import re
from html.parser import HTMLParser

import pytest

from tests.support.apps import PASSWORD
from tests.support.forms import Browser

PAYLOAD = "<img src=x onerror=alert(1)>"
#: What must never reach a page unescaped.
RAW = "<img src=x"
#: The start of a PNG: what an album cover's content check looks for.
PNG_HEADER = b"\x89PNG\r\n\x1a\n" + bytes(16)
#: Fields that are not free text get a plausible value on the second and third posts, so
#: the forms save (and then meet their uniqueness rules with the markup in place).
PLAUSIBLE = {
    "email": "marked@example.org",
    "release_year": "1999",
    "track_number": "1",
    "disc_number": "1",
    "rating": "3",
    "password": PASSWORD,
    "conf_password": PASSWORD,
    "confirm_password": PASSWORD,
}
#: Forms signed-in admins fill: every view's add form, and edit forms found from the lists.
ADMIN_FORMS = [
    "/authors/add",
    "/albums/add",
    "/songs/add",
    "/users/add",
    "/roles/add",
    "/groups/add",
    "/userinfoeditview/form",
    "/resetmypassword/form",
]
ANONYMOUS_FORMS = ["/login/", "/register/form", "/forgot-password/form", "/register/resend/form"]
#: Lists whose newest row (the one with the markup) is then shown and edited.
EDITABLE_LISTS = ["/authors/list/", "/albums/list/", "/songs/list/", "/users/list/",
                  "/roles/list/", "/groups/list/"]  # fmt: skip
#: Pending registrations are only listed.
LISTS = [*EDITABLE_LISTS, "/registeruser/list/"]


class FormFields(HTMLParser):
    """The fields of a page's data form (not its search or action forms)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, dict] = {}
        self.select: str | None = None
        self.in_data_form = False

    def handle_starttag(self, tag, attrs) -> None:
        """Note each input, textarea and select with what it offers."""
        attributes = dict(attrs)
        if tag == "form":
            action = attributes.get("action") or ""
            self.in_data_form = attributes.get("method", "").lower() == "post" and (
                "action_post" not in action
            )
        name = attributes.get("name")
        if not self.in_data_form or not name:
            if tag == "option" and self.select and attributes.get("value"):
                self.fields[self.select]["options"].append(attributes["value"])
            return
        if tag in ("input", "textarea"):
            self.fields[name] = {"type": attributes.get("type", tag), **attributes}
        elif tag == "select":
            self.select = name
            self.fields[name] = {"type": "select", "options": [], **attributes}

    def handle_endtag(self, tag) -> None:
        """Leave a select or a form."""
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.in_data_form = False


def form_fields(page: str) -> dict[str, dict]:
    """Parse the data form of a page."""
    parser = FormFields()
    parser.feed(page)
    return parser.fields


def filled(visitor: Browser, fields: dict[str, dict], plausible: bool, audio) -> dict:
    """Every field given the markup (or, when plausible, a value that lets the form save)."""
    data = {}
    for name, field in fields.items():
        kind = field["type"]
        if kind == "hidden":
            data[name] = field.get("value", "")
        elif kind == "checkbox":
            continue
        elif kind == "file":
            if plausible:  # an album's cover takes an image, a song an audio file
                image = field.get("accept", "").startswith("image/")
                data[name] = (io.BytesIO(PNG_HEADER), "cover.png") if image else audio("tone.ogg")
        elif kind == "select":
            data[name] = chosen(visitor, field)
        elif plausible and name in PLAUSIBLE:
            data[name] = PLAUSIBLE[name]
        else:
            data[name] = PAYLOAD
    return data


def chosen(visitor: Browser, field: dict) -> str:
    """A select's choice: a picker's row named with the markup if any, else its last option."""
    if "data-choices-url" not in field:
        return field["options"][-1] if field["options"] else ""
    rows = visitor.get(field["data-choices-url"]).get_json()["results"]
    marked = [row for row in rows if RAW in row["label"]]
    return str((marked or rows)[0]["id"]) if rows else ""


def assert_escaped(response, where: str) -> None:
    """The page shows no markup unescaped (the request may not fail either)."""
    assert response.status_code < 500, where
    assert RAW not in response.get_data(as_text=True), where


def post_and_follow(visitor: Browser, url: str, data: dict) -> None:
    """Post a form, then look at the answer and the page it leads to."""
    response = visitor.client.post(url, data=data, content_type="multipart/form-data")
    assert_escaped(response, f"POST {url}")
    if response.status_code in (301, 302, 303):
        assert_escaped(visitor.get(response.headers["Location"]), f"after POST {url}")


def exercise(visitor: Browser, url: str, audio) -> None:
    """Post a form with markup everywhere, then twice with markup in its text fields."""
    for plausible in (False, True, True):
        page = visitor.get(url)
        assert_escaped(page, f"GET {url}")
        assert page.status_code == 200, url
        fields = form_fields(page.get_data(as_text=True))
        assert fields, f"{url} has no form"
        post_and_follow(visitor, url, filled(visitor, fields, plausible, audio))


@pytest.fixture
def marked_app(standalone_app):
    """A separate app (the forms change roles and users) with one admin."""
    app = standalone_app()
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("root", "Root", "Admin", "root@example.org", sm.find_role("Admin"), PASSWORD)
    return app


def test_markup_in_every_field_is_shown_as_text(marked_app, audio):
    """Every form of every view takes markup in every field; no answer shows it as HTML."""
    anonymous = Browser(marked_app.test_client())
    for url in ANONYMOUS_FORMS:
        exercise(anonymous, url, audio)
    admin = Browser(marked_app.test_client())
    assert admin.login("root")
    for url in ADMIN_FORMS:
        exercise(admin, url, audio)
    for url in LISTS:
        listing = admin.get(url)
        assert_escaped(listing, url)
        page = listing.get_data(as_text=True)
        assert "&lt;img src=x" in page, f"{url} shows no marked row"
        if url in EDITABLE_LISTS:
            newest = max(int(pk) for pk in re.findall(r'/show/(\d+)"', page))
            base = url.removesuffix("list/")
            assert_escaped(admin.get(f"{base}show/{newest}"), f"{base}show/{newest}")
            exercise(admin, f"{base}edit/{newest}", audio)

"""Bulk delete in a real Chromium: tick rows, pick the action, confirm, read the summary."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Album
from tests.editing.test_bulk_actions import make_catalog

pytestmark = pytest.mark.browser


def test_an_editor_deletes_ticked_albums_from_the_list(app, browse_as, upload_folder):
    """FAB's action menu works under the site's CSP; refusals and deletions are summed up."""
    make_catalog(app, upload_folder)
    page, url = browse_as("Editor")
    page.goto(f"{url}/albums/list/")
    page.check("#check_all")
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Delete selected").click()
    dialog = page.locator("#modal-confirm")
    dialog.get_by_text("Delete the selected rows? This cannot be undone.").wait_for()
    dialog.get_by_role("link", name="OK").click()
    page.get_by_text("1 album(s) deleted.").wait_for()
    assert page.get_by_text("still has 3 song(s)").is_visible()
    with app.app_context():
        assert db.session.scalars(select(Album.title)).all() == ["Full Album"]

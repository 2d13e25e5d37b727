"""Album covers on the album form: upload, replace, remove; checked by content and size;
the old file removed only once the album's row is committed, nothing orphaned either way
(in the covers folder and in an S3 bucket)."""

import io
import struct
import zlib
from pathlib import Path

import pytest

from app.extensions import db
from app.media.covers import COVER_MAX_BYTES
from app.models import Album, Author
from tests.support.apps import add_role_users
from tests.support.faults import commits_fail
from tests.support.forms import CSRF_META, Browser


def png(width: int = 64, height: int = 64, shade: int = 0) -> bytes:
    """A real PNG image: a colour gradient (what a browser can show in a screenshot)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 4 % 256, y * 4 % 256, shade)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24


class Covers:
    """The cover files as their store holds them: a folder, or a bucket's covers/ prefix."""

    def __init__(self, app, bucket=None) -> None:
        self.folder = Path(app.config["UPLOAD_FOLDER"]) / "covers"
        self.bucket = bucket

    def names(self) -> list[str]:
        """The stored cover names, sorted."""
        if self.bucket is not None:
            keys = self.bucket.listing()
            return sorted(key.removeprefix("covers/") for key in keys if key.startswith("covers/"))
        return sorted(path.name for path in self.folder.glob("*")) if self.folder.is_dir() else []


def make_album(app) -> int:
    """An album without a cover; its id."""
    with app.app_context():
        album = Album(title="Night Drive", release_year=2020, author=Author(name="Vector"))
        db.session.add(album)
        db.session.commit()
        return album.id


def album_cover(app, album_id: int) -> tuple[str | None, str | None]:
    """(stored name, MIME type) of an album's cover as its row says."""
    with app.app_context():
        album = db.session.get(Album, album_id)
        return album.cover_file, album.cover_mime_type


def edit_album(editor, app, album_id: int, **fields):
    """Send the album's edit form with its current values and the given fields."""
    with app.app_context():
        album = db.session.get(Album, album_id)
        data = {"title": album.title, "author": str(album.author_id), "release_year": "2020"}
    return editor.submit(f"/albums/edit/{album_id}", {**data, **fields})


def upload_remove_and_replace(app, editor, album_id: int, covers: Covers) -> None:
    """The whole life of a cover, seen by the editor and in the store after each step."""
    first = png()
    response = edit_album(editor, app, album_id, cover_upload=(io.BytesIO(first), "front.png"))
    assert response.status_code == 302
    [stored] = covers.names()
    assert album_cover(app, album_id) == (stored, "image/png")
    page = editor.get(f"/albums/show/{album_id}").get_data(as_text=True)
    assert f'src="/albums/cover/{album_id}?v={stored[:12]}"' in page
    served = editor.get(f"/albums/cover/{album_id}")
    assert (served.status_code, served.mimetype, served.data) == (200, "image/png", first)
    # The stored name stays on the server, in the local folder and in the bucket alike.
    assert served.headers["Content-Disposition"] == "inline"

    response = edit_album(editor, app, album_id, cover_upload=(io.BytesIO(JPEG), "scan.png"))
    assert response.status_code == 302
    [replacement] = covers.names()
    assert replacement != stored  # a fresh name: no browser keeps showing the old one
    assert album_cover(app, album_id) == (replacement, "image/jpeg")
    assert editor.get(f"/albums/cover/{album_id}").data == JPEG

    response = edit_album(editor, app, album_id, remove_cover="y")
    assert response.status_code == 302
    assert covers.names() == []
    assert album_cover(app, album_id) == (None, None)
    assert "/albums/cover/" not in editor.get(f"/albums/show/{album_id}").get_data(as_text=True)
    assert editor.get(f"/albums/cover/{album_id}").status_code == 404


def test_a_cover_is_uploaded_replaced_and_removed(app, editor):
    """Each step leaves exactly the album's current cover in the covers folder."""
    upload_remove_and_replace(app, editor, make_album(app), Covers(app))


def test_covers_in_a_bucket_leave_nothing_behind(standalone_app, s3_settings, bucket):
    """The same in an S3 bucket: one object per cover, the replaced one gone."""
    s3_app = standalone_app(**s3_settings)
    add_role_users(s3_app)
    editor = Browser(s3_app.test_client())
    assert editor.login("eddie")
    upload_remove_and_replace(s3_app, editor, make_album(s3_app), Covers(s3_app, bucket))


def test_a_new_album_can_have_a_cover(app, editor):
    """The add form takes a cover too (WebP here)."""
    with app.app_context():
        author = Author(name="Vector")
        db.session.add(author)
        db.session.commit()
        author_id = author.id
    response = editor.submit(
        "/albums/add",
        {
            "title": "Signals",
            "author": str(author_id),
            "cover_upload": (io.BytesIO(WEBP), "c.webp"),
        },
    )
    assert response.status_code == 302
    album_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert album_cover(app, album_id) == (Covers(app).names()[0], "image/webp")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html>not a picture</html>", "cover.png", "This file is not a JPEG, PNG or WebP image."),
        (b"GIF89a" + b"\x00" * 40, "cover.gif", "This file is not a JPEG, PNG or WebP image."),
        (b"", "empty.jpg", "This file is not a JPEG, PNG or WebP image."),
        (b"\xff\xd8\xff" + b"\x00" * COVER_MAX_BYTES, "huge.jpg", "larger than 10 MB"),
    ],
)
def test_a_bad_image_is_refused_next_to_the_field(app, editor, content, name, message):
    """The form comes back with the reason under the cover field; the old cover stays."""
    album_id = make_album(app)
    edit_album(editor, app, album_id, cover_upload=(io.BytesIO(png()), "front.png"))
    before = Covers(app).names()
    response = edit_album(editor, app, album_id, cover_upload=(io.BytesIO(content), name))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    field = page[page.index('name="cover_upload"') :]
    assert message in field[: field.index("</div>")]
    assert Covers(app).names() == before
    assert album_cover(app, album_id) == (before[0], "image/png")


@pytest.mark.parametrize("change", ["replace", "remove"])
def test_a_failed_commit_keeps_the_old_cover_and_leaves_no_new_file(app, editor, change):
    """The database refuses the change: the album keeps its cover (file and row), the
    image just stored is gone, the editor is told nothing was saved."""
    album_id = make_album(app)
    edit_album(editor, app, album_id, cover_upload=(io.BytesIO(png()), "front.png"))
    [old] = Covers(app).names()
    fields = {"cover_upload": (io.BytesIO(JPEG), "new.jpg")} if change == "replace" else {}
    if change == "remove":
        fields["remove_cover"] = "y"
    with commits_fail():
        response = edit_album(editor, app, album_id, **fields)
    assert response.status_code == 302
    assert Covers(app).names() == [old]
    assert album_cover(app, album_id) == (old, "image/png")
    assert editor.get(f"/albums/cover/{album_id}").data == png()
    shown = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "alert-danger" in shown


def test_only_editors_change_covers(app, login_as, editor):
    """A listener may see a cover, not post one; an anonymous visitor sees none."""
    album_id = make_album(app)
    edit_album(editor, app, album_id, cover_upload=(io.BytesIO(png()), "front.png"))
    before = Covers(app).names()
    listener = login_as("Listener")
    assert listener.get(f"/albums/cover/{album_id}").status_code == 200
    token = CSRF_META.search(listener.get("/").get_data(as_text=True)).group(1)
    refused = listener.client.post(
        f"/albums/edit/{album_id}",
        data={
            "csrf_token": token,
            "remove_cover": "y",
            "cover_upload": (io.BytesIO(JPEG), "x.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code in (302, 403)
    assert "/albums/edit/" not in refused.headers.get("Location", "")
    assert Covers(app).names() == before
    assert login_as(None).get(f"/albums/cover/{album_id}").status_code in (302, 401, 403)

"""A real Chromium: an admin logs in, uploads a song, sees it listed, downloads it."""

import wave

import pytest

from tests.e2e.browsing import choose_in_picker, log_in, wait_until
from tests.support.apps import captcha_settings
from tests.support.mail import first_link

pytestmark = pytest.mark.browser


def test_admin_uploads_lists_and_downloads_a_song(
    app, live_server, chromium, users, password, audio_dir, song, tmp_path
):
    """The whole journey a catalog admin makes, through the real pages."""
    live_server = live_server(app).url
    page = chromium.new_page(accept_downloads=True)
    log_in(page, live_server, users["Admin"], password)
    assert page.get_by_text("Catalog").first.is_visible()

    page.goto(f"{live_server}/songs/list/")
    page.click("a[href='/songs/add']")
    page.fill("#title", "Morning Light")
    choose_in_picker(page, "#album", typed="TONES", choice="Test Tones (Oscillator)")
    page.fill("#rating", "4")
    page.set_input_files("#audio_file", str(audio_dir / "morning-light.mp3"))
    page.click("form[enctype] button[type=submit]")  # the song form, not the logout button
    page.wait_for_url(f"{live_server}/songs/show/**")
    assert page.get_by_text("Song “Morning Light” added.").is_visible()

    page.get_by_role("link", name="Test Tones").first.click()  # the album, from the song
    page.wait_for_url(f"{live_server}/albums/show/**")
    row = page.locator("tr", has_text="Morning Light")
    assert row.count() == 1
    assert "morning-light.mp3" in row.inner_text()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == "morning-light.mp3"
    saved = tmp_path / "downloaded.mp3"
    download.save_as(saved)
    assert saved.read_bytes() == (audio_dir / "morning-light.mp3").read_bytes()


def test_visitor_registers_activates_and_browses(
    standalone_app, live_server, chromium, captcha_server, inbox
):
    """Register behind the captcha, activate from the real email, log in, see the catalog."""
    app = standalone_app(**captcha_settings(captcha_server))
    server = live_server(app)
    app.config["CATALOG_EXTERNAL_URL"] = server.url
    page = chromium.new_page()
    page.goto(f"{server.url}/login/")
    page.click("text=Register")
    page.wait_for_selector("textarea[name=g-recaptcha-response]", state="attached")
    page.fill("#username", "webvisitor")
    page.fill("#first_name", "Web")
    page.fill("#last_name", "Visitor")
    page.fill("#email", "web@example.org")
    page.fill("#password", "amber window quietly sings")
    page.fill("#conf_password", "amber window quietly sings")
    page.click("form button[type=submit], form input[type=submit]")
    page.get_by_text("Check your email").wait_for()
    assert captcha_server.posted[-1]["response"] == ["solved-by-test-script"]

    link = first_link(inbox.last_to("web@example.org"))
    assert link.startswith(server.url)
    page.goto(link)
    page.fill("#password", "amber window quietly sings")
    page.click("button[type=submit]")
    page.get_by_text("Your account is active").wait_for()
    page.get_by_role("link", name="Log in", exact=True).click()
    page.fill("#username", "webvisitor")
    page.fill("#password", "amber window quietly sings")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{server.url}/")
    page.goto(f"{server.url}/songs/list/")
    assert page.locator(".panel-heading", has_text="Songs").is_visible()
    assert page.get_by_text("Web Visitor").is_visible()
    assert page.get_by_text("Security").count() == 0


@pytest.fixture
def long_song(app, upload_folder):
    """A one-minute WAV song: long enough that seeking needs a new byte range."""
    from app.extensions import db
    from app.models import Album, Author, Song

    path = upload_folder / "long-silence.wav"
    with wave.open(str(path), "wb") as output:
        output.setnchannels(2)
        output.setsampwidth(2)
        output.setframerate(44100)
        output.writeframes(bytes(4 * 44100 * 60))
    with app.app_context():
        album = Album(title="Quiet", author=Author(name="Nobody"))
        song = Song(
            title="Long Silence",
            album=album,
            audio_file=path.name,
            original_filename="long-silence.wav",
            duration=60.0,
            mime_type="audio/wav",
            audio_format="WAV",
        )
        db.session.add(song)
        db.session.commit()
        return song.id


def test_song_page_player_loads_and_seeks_with_ranges(
    app, live_server, chromium, users, password, long_song
):
    """The player bar's audio reaches a ready state; seeking fetches a later byte range."""
    server = live_server(app)
    page = chromium.new_page()
    ranges = []
    page.on(
        "request",
        lambda request: (
            "/songs/stream/" in request.url and ranges.append(request.headers.get("range", ""))
        ),
    )
    log_in(page, server.url, users["Listener"], password)
    page.goto(f"{server.url}/songs/show/{long_song}")
    page.click(f".play-button[data-play='/songs/stream/{long_song}']")
    player = page.locator("#player-bar audio")
    wait_until(player, "audio => audio.readyState >= 1")
    assert player.evaluate("audio => audio.src").endswith(f"/songs/stream/{long_song}")
    assert player.evaluate("audio => Math.round(audio.duration)") == 60
    page.locator("[data-player=seek]").fill("750")  # three quarters: 0:45
    page.locator("[data-player=seek]").dispatch_event("change")
    wait_until(player, "audio => audio.currentTime >= 45 && !audio.seeking")
    later = [r for r in ranges if r.startswith("bytes=") and not r.startswith("bytes=0-")]
    assert later, f"no later range requested: {ranges}"


def test_listener_filters_songs_by_an_album_found_by_typing(
    app, live_server, chromium, users, password, song, long_song
):
    """Add an Album filter, type part of the album's name, pick it: only its songs remain."""
    server = live_server(app)
    page = chromium.new_page()
    log_in(page, server.url, users["Listener"], password)
    page.goto(f"{server.url}/songs/list/")
    assert page.locator("tr", has_text="Long Silence").count() == 1
    page.click("a[href='#accordion1_href']")
    page.click("#filter_form button.dropdown-toggle")
    page.click("#filter_form a.filter[name=album]")
    choose_in_picker(page, "#filter_form select.catalog-picker", "tones", "Test Tones (Oscillator)")
    page.click("#filter_form button[type=submit]")
    page.wait_for_url(f"{server.url}/songs/list/?*_flt_0_album={song.album_id}*")
    assert page.locator("tr", has_text="Tone in Vorbis").count() == 1
    assert page.locator("tr", has_text="Long Silence").count() == 0
    # The active filter comes back with its album named, ready to change.
    page.click("a[href='#accordion1_href']")
    picker = "#filter_form select.catalog-picker + .select2 .select2-selection__rendered"
    chosen = page.locator(picker).inner_text()
    assert "Test Tones (Oscillator)" in chosen

"""Content-Security-Policy with a nonce on every page, HSTS over HTTPS in production."""

import re

from config import load_config

SCRIPT_TAG = re.compile(r"<script\b[^>]*>")


def policy_of(response) -> dict[str, str]:
    """A response's Content-Security-Policy, directive by directive."""
    directives = response.headers["Content-Security-Policy"].split("; ")
    return dict(directive.split(" ", 1) for directive in directives)


def test_every_script_of_a_page_carries_the_policy_nonce(login_as):
    """Each page gets a fresh nonce; every script tag has it; nothing else may run."""
    editor = login_as("Editor")
    first, second = editor.get("/songs/add"), editor.get("/songs/add")
    policy = policy_of(first)
    nonce = re.fullmatch(r"'self' 'nonce-([\w-]+)'", policy["script-src"]).group(1)
    assert nonce not in policy_of(second)["script-src"]
    tags = SCRIPT_TAG.findall(first.get_data(as_text=True))
    assert tags
    assert all(f'nonce="{nonce}"' in tag for tag in tags), tags
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "frame-src" not in policy


def test_no_page_loads_scripts_from_other_sites(login_as):
    """FAB's "User's Statistics" chart (Google's chart library from www.gstatic.com) is gone."""
    admin = login_as("Admin")
    assert admin.get("/userstatschartview/chart/").status_code == 404
    assert "gstatic" not in admin.get("/").get_data(as_text=True)


def test_files_and_json_carry_no_page_policy(login_as):
    """The policy is for pages; JSON answers keep their own headers."""
    listener = login_as("Listener")
    assert "Content-Security-Policy" not in listener.get("/search/?q=a").headers


def test_captcha_origins_are_allowed_only_where_the_captcha_is(standalone_app, visit):
    """The register form lets the captcha's script and frames in; the login page does not."""
    app = standalone_app(
        RECAPTCHA_ENABLED=True,
        RECAPTCHA_PUBLIC_KEY="site-key",
        RECAPTCHA_PRIVATE_KEY="secret-key",
        RECAPTCHA_SCRIPT="https://captcha.example.net/api.js",
    )
    visitor = visit(app)
    register = policy_of(visitor.get("/register/form"))
    assert "https://captcha.example.net" in register["script-src"]
    assert register["frame-src"] == "'self' https://captcha.example.net"
    assert "captcha.example.net" not in visitor.get("/login/").headers["Content-Security-Policy"]
    del app.config["RECAPTCHA_SCRIPT"]
    google = policy_of(visitor.get("/register/form"))
    # Google's reCAPTCHA paths only: the whole www.google.com would let JSONP run as script.
    assert google["script-src"].split()[2:] == [
        "https://recaptcha.google.com/recaptcha/",
        "https://www.google.com/recaptcha/",
        "https://www.gstatic.com/recaptcha/",
    ]
    assert "https://www.google.com " not in google["frame-src"] + " "


def test_hsts_in_production_over_https_only(app, client, monkeypatch, production_env):
    """Production asks browsers to keep to HTTPS for a year; plain HTTP and development do not."""
    assert load_config("production").HSTS_SECONDS == 365 * 24 * 3600
    assert load_config("development").HSTS_SECONDS == 0
    assert "Strict-Transport-Security" not in client.get("/login/", base_url="https://x").headers
    monkeypatch.setitem(app.config, "HSTS_SECONDS", 3600)
    secure = client.get("/login/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=3600"
    assert "Strict-Transport-Security" not in client.get("/login/").headers


def test_every_page_and_file_carries_the_safety_headers(login_as, song):
    """Pages and permission-checked files: no sniffing, no framing by others, no referrer
    to other sites."""
    listener = login_as("Listener")
    for url in ("/songs/list/", f"/songs/stream/{song.id}", "/search/?q=tone"):
        headers = listener.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["X-Frame-Options"] == "SAMEORIGIN", url
        assert headers["Referrer-Policy"] == "same-origin", url

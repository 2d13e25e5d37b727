"""The activation email on its way: a bounce or an SMTP server down keeps nothing (the same
details work later), the log in development, relays that want STARTTLS or TLS and a login."""

import pytest

from tests.security.test_registration import CHECK_EMAIL, pending_count, registration
from tests.support.mail import SecureSmtpServer


def test_bounced_email_leaves_nothing_behind(app, browser, inbox, caplog):
    """An SMTP refusal: the visitor is told to retry, nothing is stored, the cause is logged."""
    fields = registration(email="bounce@example.org")
    response = browser.submit("/register/form", fields)
    assert response.status_code == 503
    assert "We could not send the email" in response.get_data(as_text=True)
    assert pending_count(app) == 0
    assert "Mailbox unavailable" in caplog.text
    again = browser.submit("/register/form", fields)
    assert again.status_code == 503
    assert pending_count(app) == 0


def test_smtp_down_then_up_lets_the_same_registration_through(
    standalone_app, visit, inbox, smtp_server
):
    """With the SMTP server unreachable nothing is kept, so the same details work later."""
    from tests.support.network import free_port

    app = standalone_app(MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    visitor = visit(app)
    response = visitor.submit("/register/form", registration())
    assert response.status_code == 503
    assert pending_count(app) == 0

    app.extensions["mail"].port = smtp_server.port
    response = visitor.submit("/register/form", registration())
    assert CHECK_EMAIL in response.get_data(as_text=True)
    assert inbox.last_to("nina@example.org")


def test_without_smtp_the_email_goes_to_the_log(standalone_app, visit, caplog):
    """In development without MAIL_SERVER the activation link is written to the log."""
    app = standalone_app(MAIL_SERVER="")
    visit(app).submit("/register/form", registration())
    assert "http://setlist.example/register/activation/" in caplog.text


@pytest.mark.parametrize(
    ("use_tls", "password", "trusted", "delivered"),
    [
        (True, "relay secret", True, True),
        (True, "wrong", True, False),
        (False, "relay secret", True, False),
        (True, "relay secret", False, False),
    ],
    ids=["starttls-and-login", "wrong-password", "no-starttls", "untrusted-certificate"],
)
def test_mail_goes_through_a_relay_that_wants_starttls_and_a_login(
    standalone_app, visit, tmp_path, use_tls, password, trusted, delivered
):
    """STARTTLS then AUTH, as Flask-Mail's settings say; a refused login, a missing
    STARTTLS or a certificate we do not trust (the password would go to an impostor) is a
    503 with nothing kept."""
    relay = SecureSmtpServer(tmp_path, "relay", "relay secret").__enter__()
    try:
        # The relay's throwaway certificate, trusted the way an operator would trust a private CA.
        trust = {"MAIL_CA_FILE": str(tmp_path / "smtp.crt")} if trusted else {}
        app = standalone_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=relay.port, MAIL_TIMEOUT=5,
                             MAIL_USE_TLS=use_tls, MAIL_USERNAME="relay", MAIL_PASSWORD=password,
                             **trust)  # fmt: skip
        response = visit(app).submit("/register/form", registration())
        if delivered:
            assert response.status_code == 200
            assert relay.inbox.last_to("nina@example.org")["Subject"]
            assert pending_count(app) == 1
        else:
            assert response.status_code == 503
            assert relay.inbox.to("nina@example.org") == []
            assert pending_count(app) == 0
        if not trusted:
            assert relay.passwords_seen == []  # the password never left for an impostor
    finally:
        relay.__exit__()


# aiosmtpd only counts STARTTLS as TLS, so it warns about a connection that is TLS throughout.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "untrusted-certificate"])
def test_mail_goes_through_a_relay_speaking_tls_from_the_start(
    standalone_app, visit, tmp_path, trusted
):
    """MAIL_USE_SSL (port 465 style): delivered when the certificate is trusted; otherwise a
    503, nothing kept and the password never sent."""
    relay = SecureSmtpServer(tmp_path, "relay", "relay secret", implicit_tls=True).__enter__()
    try:
        trust = {"MAIL_CA_FILE": str(tmp_path / "smtp.crt")} if trusted else {}
        app = standalone_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=relay.port, MAIL_TIMEOUT=5,
                             MAIL_USE_SSL=True, MAIL_USERNAME="relay",
                             MAIL_PASSWORD="relay secret", **trust)  # fmt: skip
        response = visit(app).submit("/register/form", registration())
        assert response.status_code == (200 if trusted else 503)
        assert pending_count(app) == (1 if trusted else 0)
        assert relay.passwords_seen == (["relay secret"] if trusted else [])
    finally:
        relay.__exit__()

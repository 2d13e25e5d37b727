"""Account emails: rendered in text and HTML, sent over SMTP with a timeout, or logged."""

import logging
import smtplib
from urllib.parse import urljoin

from flask import current_app, render_template, url_for
from flask_mail import Connection, Message

log = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the message."""


class TimedConnection(Connection):
    """Flask-Mail's connection with a socket timeout, so a dead server cannot hang a worker."""

    def configure_host(self) -> smtplib.SMTP:
        """Connect (and log in) like Flask-Mail does, but give up after MAIL_TIMEOUT."""
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(
            self.mail.server, self.mail.port, timeout=current_app.config["MAIL_TIMEOUT"]
        )
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


def external_url(endpoint: str, **values) -> str:
    """An absolute link on CATALOG_EXTERNAL_URL, never on the request's Host header."""
    base = current_app.config["CATALOG_EXTERNAL_URL"].rstrip("/") + "/"
    return urljoin(base, url_for(endpoint, **values).lstrip("/"))


def send_email(recipient: str, subject: str, template: str, **context) -> None:
    """Send email/<template>.txt and .html to one address; raise MailNotSent on failure."""
    message = Message(
        subject=str(subject),
        recipients=[recipient],
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    )
    if not current_app.config["MAIL_SERVER"]:
        # Development without SMTP: the log is the inbox, so links can be clicked.
        log.warning(
            "Email not sent (no MAIL_SERVER); to %s: %s\n%s", recipient, subject, message.body
        )
        return
    try:
        with TimedConnection(current_app.extensions["mail"]) as connection:
            connection.send(message)
    except (smtplib.SMTPException, OSError) as error:
        log.error("Could not send %r to %s: %s", template, recipient, error, exc_info=True)
        raise MailNotSent(str(error)) from error

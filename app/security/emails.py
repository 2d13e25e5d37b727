"""Account emails: rendered in text and HTML, sent over SMTP with a timeout, or logged."""

import logging
import smtplib
import ssl
import statistics
import time
from collections import defaultdict, deque
from urllib.parse import urljoin

from flask import current_app, render_template, url_for
from flask_mail import Connection, Message, sanitize_address, sanitize_addresses

log = logging.getLogger(__name__)
#: How long this process's recent deliveries of each email took; rehearsals last as long.
DELIVERY_SECONDS: defaultdict[str, deque[float]] = defaultdict(lambda: deque(maxlen=50))


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the message."""


class TimedConnection(Connection):
    """Flask-Mail's connection with a socket timeout, so a dead server cannot hang a worker."""

    def configure_host(self) -> smtplib.SMTP:
        """Connect (and log in) like Flask-Mail does, but give up after MAIL_TIMEOUT and
        check the server's certificate and name (smtplib's own default checks neither, so
        anyone on the path could read reset links and the relay's password)."""
        timeout = current_app.config["MAIL_TIMEOUT"]
        tls = ssl.create_default_context(cafile=current_app.config["MAIL_CA_FILE"])
        if self.mail.use_ssl:
            host = smtplib.SMTP_SSL(self.mail.server, self.mail.port, timeout=timeout, context=tls)
        else:
            host = smtplib.SMTP(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls(context=tls)
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


def external_url(endpoint: str, **values) -> str:
    """An absolute link on CATALOG_EXTERNAL_URL, never on the request's Host header."""
    base = current_app.config["CATALOG_EXTERNAL_URL"].rstrip("/") + "/"
    return urljoin(base, url_for(endpoint, **values).lstrip("/"))


def render_email(recipient: str, subject: str, template: str, **context) -> Message:
    """email/<template>.txt and .html as a message to one address."""
    return Message(
        subject=str(subject),
        recipients=[recipient],
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    )


def send_email(recipient: str, subject: str, template: str, **context) -> None:
    """Send email/<template>.txt and .html to one address; raise MailNotSent on failure."""
    message = render_email(recipient, subject, template, **context)
    if not current_app.config["MAIL_SERVER"]:
        # Development without SMTP: the log is the inbox, so links can be clicked.
        log.warning(
            "Email not sent (no MAIL_SERVER); to %s: %s\n%s", recipient, subject, message.body
        )
        return
    started = time.perf_counter()
    try:
        with TimedConnection(current_app.extensions["mail"]) as connection:
            connection.send(message)
    except (smtplib.SMTPException, OSError) as error:
        log.error("Could not send %r to %s: %s", template, recipient, error, exc_info=True)
        raise MailNotSent(str(error)) from error
    DELIVERY_SECONDS[template].append(time.perf_counter() - started)


def rehearse_email(recipient: str, subject: str, template: str, **context) -> None:
    """Do the work of sending an email without delivering it; raise MailNotSent like sending.

    The account forms answer alike whether an address is known; this makes them take as
    long too. It builds the message, connects, names a recipient and resets instead of
    sending, so an unreachable server fails both ways; then it waits out what a delivery
    usually takes beyond that (a real server's DATA can take far longer than a NOOP).
    """
    message = render_email(recipient, subject, template, **context)
    if not current_app.config["MAIL_SERVER"]:
        log.debug("Email rehearsed (no MAIL_SERVER): %s", message.subject)
        return
    started = time.perf_counter()
    try:
        with TimedConnection(current_app.extensions["mail"]) as connection:
            # What Flask-Mail's send does, step by step, up to the text itself.
            message.has_bad_headers()
            sender = sanitize_address(message.sender)
            sanitize_addresses(message.send_to)
            message.as_bytes()
            connection.host.mail(sender)
            connection.host.rcpt(sender)
            # Where sending would say DATA, then transfer the text: two round trips.
            connection.host.noop()
            connection.host.noop()
            connection.host.rset()
    except (smtplib.SMTPException, OSError) as error:
        log.error("Could not reach the mail server for %r: %s", template, error)
        raise MailNotSent(str(error)) from error
    if DELIVERY_SECONDS[template]:
        typical = statistics.median(list(DELIVERY_SECONDS[template]))
        time.sleep(max(0.0, typical - (time.perf_counter() - started)))

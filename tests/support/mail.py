"""A real SMTP server on loopback (aiosmtpd), plain or with STARTTLS/TLS and a login, and
what a test reads in the messages it received (text, HTML, the first link)."""

import ipaddress
import re
import ssl
import threading
import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.support.network import free_port

LINK = re.compile(r"https?://\S+")


class Inbox:
    """What the SMTP server received; addresses starting with "bounce" are refused."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """aiosmtpd hook: refuse "bounce..." recipients like a real server would."""
        if address.startswith("bounce"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """aiosmtpd hook: keep the parsed message."""
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def clear(self) -> None:
        """Forget every message."""
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        """The messages sent to an address, oldest first."""
        with self.lock:
            return [m for m in self.messages if address in m["To"]]

    def last_to(self, address: str, timeout: float = 10) -> EmailMessage:
        """The newest message to an address, waiting a little for it to arrive."""
        deadline = time.monotonic() + timeout
        while not self.to(address):
            if time.monotonic() > deadline:
                raise AssertionError(f"no email reached {address}")
            time.sleep(0.05)
        return self.to(address)[-1]


def text_of(message: EmailMessage) -> str:
    """The plain-text part of a message."""
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    """The HTML part of a message."""
    return message.get_body(preferencelist=("html",)).get_content()


def first_link(message: EmailMessage) -> str:
    """The first link in a message's text part."""
    return LINK.search(text_of(message)).group(0)


class SmtpServer:
    """aiosmtpd on a loopback port, collecting into an Inbox."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def self_signed_context(folder) -> ssl.SSLContext:
    """A server TLS context with a throwaway self-signed certificate for 127.0.0.1
    (written to folder/smtp.crt, for a client that should trust it)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "smtp.crt", folder / "smtp.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


class SecureSmtpServer(SmtpServer):
    """An SMTP server that insists on TLS (STARTTLS, or from the first byte with
    `implicit_tls`, as on port 465) and on logging in, like a real relay."""

    def __init__(self, folder, username: str, password: str, implicit_tls: bool = False) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.passwords_seen: list[str] = []

        def authenticate(server, session, envelope, mechanism, auth_data):
            if isinstance(auth_data, LoginPassword):
                self.passwords_seen.append(auth_data.password.decode())
            ok = isinstance(auth_data, LoginPassword) and (
                auth_data.login.decode(),
                auth_data.password.decode(),
            ) == (username, password)
            return AuthResult(success=ok)

        self.controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            **{"ssl_context" if implicit_tls else "tls_context": self_signed_context(folder)},
            require_starttls=not implicit_tls,
            auth_required=True,
            # aiosmtpd counts only STARTTLS as TLS; a connection that is TLS from the start is.
            auth_require_tls=not implicit_tls,
            authenticator=authenticate,
        )

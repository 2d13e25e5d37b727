"""Real servers on loopback for the tests: SMTP, reCAPTCHA verification, the app itself."""

import contextlib
import ipaddress
import json
import re
import secrets
import socket
import ssl
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import boto3
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from werkzeug.serving import make_server

LINK = re.compile(r"https?://\S+")

#: Stands in for Google's api.js: puts a solved token in the form, as the widget would.
CAPTCHA_SCRIPT = """
document.querySelectorAll('.g-recaptcha').forEach(function (box) {
  var answer = document.createElement('textarea');
  answer.name = 'g-recaptcha-response';
  answer.style.display = 'none';
  answer.value = 'solved-by-test-script';
  box.appendChild(answer);
});
"""


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


class CaptchaServer:
    """A reCAPTCHA verify server: /ok accepts, /fail rejects, /hang never answers."""

    def __init__(self) -> None:
        self.posted: list[dict[str, list[str]]] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                server.posted.append(parse_qs(body))
                if self.path == "/hang":
                    server.release.wait(60)
                    return
                answer = {"success": self.path == "/ok"}
                self.reply("application/json", json.dumps(answer))

            def do_GET(self):
                self.reply("text/javascript", CAPTCHA_SCRIPT)

            def reply(self, content_type: str, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"

    def __enter__(self) -> "CaptchaServer":
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class LiveServer:
    """A Flask app served by a real threaded WSGI server on a loopback port."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


class TcpProxy:
    """A loopback port forwarded to a server, whose line can be cut and mended: a network
    fault between the app and its database, without touching the database itself."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> "TcpProxy":
        """Accept connections and forward them."""
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()
        return self

    def accept(self, listener: socket.socket) -> None:
        """Pair each client with a new connection to the server."""
        while True:
            try:
                client, _address = listener.accept()
                upstream = socket.create_connection(self.target)
            except OSError:
                return  # cut
            with self.lock:
                self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def pump(source: socket.socket, sink: socket.socket) -> None:
        """Copy bytes one way until either side closes."""
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            # shutdown() before close(): a close alone, while the other pump still waits in
            # recv() on that socket, neither wakes it nor sends the FIN, so the server would
            # never learn that the line was cut (its session kept its locks).
            for side in (source, sink):
                with contextlib.suppress(OSError):
                    side.shutdown(socket.SHUT_RDWR)
                side.close()

    def cut(self) -> None:
        """Refuse new connections and break every open one."""
        # shutdown() wakes the thread blocked in accept(); close() alone leaves it listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for connection in self.open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self.open.clear()


class SeaweedFS:
    """A SeaweedFS server (`weed server -s3`) on loopback ports in a temporary folder, with
    one bucket and one random access key: a real S3-compatible object store."""

    BUCKET = "setlist-test"

    def __init__(self, weed: str, folder) -> None:
        self.weed, self.folder = weed, folder
        self.access_key, self.secret_key = secrets.token_hex(10), secrets.token_hex(20)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self) -> "SeaweedFS":
        identities = {
            "identities": [
                {
                    "name": "setlist",
                    "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        config = self.folder / "s3.json"
        config.write_text(json.dumps(identities))
        (self.folder / "data").mkdir()
        ports = {name: free_port() for name in ("master", "volume", "filer")}
        command = [self.weed, "server", f"-dir={self.folder / 'data'}", "-ip=127.0.0.1"]
        command += ["-ip.bind=127.0.0.1", "-master.volumeSizeLimitMB=64", "-volume.max=0"]
        for name, port in ports.items():
            command += [f"-{name}.port={port}", f"-{name}.port.grpc={free_port()}"]
        command += ["-s3", f"-s3.port={self.port}", f"-s3.port.grpc={free_port()}"]
        command += [f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0"]
        command += ["-metricsPort=0"]
        self.log = (self.folder / "weed.log").open("wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_for_bucket()
        return self

    def client(self):
        """A boto3 S3 client with the server's key."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def wait_for_bucket(self, timeout: float = 60) -> None:
        """Wait until the S3 gateway answers, then create the bucket."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited: see {self.folder / 'weed.log'}")
            try:
                self.client().create_bucket(Bucket=self.BUCKET)
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def environment(self) -> dict[str, str]:
        """boto3's standard variables for this server's key (how Setlist gets credentials)."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": "us-east-1",
        }

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class SilentServer:
    """A port that accepts connections and never says a word (a hung mail server).

    It hangs up after `hang_up_after` seconds, so a client with no timeout of its own makes
    a test fail on its time limit instead of hanging the whole run.
    """

    def __init__(self, hang_up_after: float = 15) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.hang_up_after = hang_up_after
        self.held: list[socket.socket] = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        """Take every connection and keep it open, unanswered, until it is time to hang up."""
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.held.append(connection)
            hang_up = threading.Timer(self.hang_up_after, self.hang_up, [connection])
            hang_up.daemon = True
            hang_up.start()

    @staticmethod
    def hang_up(connection: socket.socket) -> None:
        """Close one connection (its client sees the end of the stream)."""
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)
        connection.close()

    def close(self) -> None:
        """Drop the held connections and stop listening."""
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for connection in self.held:
            self.hang_up(connection)


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

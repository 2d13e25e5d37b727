"""deploy/nginx.conf run for real as a non-root nginx in a temporary folder, in front of app
servers on loopback ports; and an HTTPS client for it. Used by the tests and the fault drill."""

import http.client
import re
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

from bench.harness import PROJECT, SessionClient, free_port

CONF = PROJECT / "deploy" / "nginx.conf"
NGINX = Path("/usr/sbin/nginx")
UPSTREAM_SERVER = re.compile(r"^([ \t]*)server 127\.0\.0\.1:\d+ (.*);$", re.MULTILINE)

#: The main context a distribution's nginx.conf gives (Debian's includes conf.d/*.conf in
#: its http block), with every path in the front's own folder so no root is needed.
MAIN = """\
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
worker_processes 2;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    access_log off;
    include {folder}/setlist.conf;
}}
"""


def replace_once(text: str, old: str, new: str) -> str:
    """text with the one occurrence of `old` replaced; fails if there is not exactly one."""
    if text.count(old) != 1:
        raise ValueError(f"{CONF.name} should hold {old!r} exactly once")
    return text.replace(old, new)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """(certificate, key) of a throwaway self-signed certificate for 127.0.0.1 (openssl)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


class NginxFront:
    """nginx with deploy/nginx.conf on loopback ports: `url` (HTTPS), `http_url` (the
    redirect), in front of app servers listening on `upstream_ports`.

    `edit` changes the configuration text before it is rendered (for break checks).
    """

    def __init__(self, upstream_ports: list[int], edit=None, conf: Path = CONF) -> None:
        self.upstream_ports = upstream_ports
        self.folder = Path(tempfile.mkdtemp(prefix="setlist-nginx-"))
        # nginx started by root runs its workers as nobody: they need to reach their
        # temporary folders inside this one.
        self.folder.chmod(0o755)
        self.https_port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.https_port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        self.access_log = self.folder / "access.log"
        self.source = conf.read_text()
        if edit is not None:
            self.source = edit(self.source)
        self.process: subprocess.Popen | None = None

    def render(self) -> str:
        """deploy/nginx.conf with this front's ports, certificate and log in place of the
        values an operator edits."""
        text = self.source
        servers = list(UPSTREAM_SERVER.finditer(text))
        if len(servers) != 2:
            raise ValueError(f"{CONF.name} should list two app servers, not {len(servers)}")
        indent, parameters = servers[0].groups()
        lines = "\n".join(
            f"{indent}server 127.0.0.1:{port} {parameters};" for port in self.upstream_ports
        )
        text = text[: servers[0].start()] + lines + text[servers[-1].end() :]
        cert, key = self_signed_certificate(self.folder)
        for old, new in {
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen 443 ssl;": f"listen 127.0.0.1:{self.https_port} ssl;",
            "return 301 https://$host$request_uri;": (
                f"return 301 https://$host:{self.https_port}$request_uri;"
            ),
            "/etc/ssl/certs/setlist.example.org.pem": str(cert),
            "/etc/ssl/private/setlist.example.org.key": str(key),
            "/var/log/nginx/setlist.access.log": str(self.access_log),
        }.items():
            text = replace_once(text, old, new)
        return text

    def start(self) -> "NginxFront":
        """Check the rendered configuration (nginx -t), start nginx, wait until it answers."""
        if not NGINX.exists():
            raise FileNotFoundError(NGINX)
        (self.folder / "setlist.conf").write_text(self.render())
        main = self.folder / "nginx.conf"
        main.write_text(MAIN.format(folder=self.folder))
        command = [str(NGINX), "-p", str(self.folder), "-c", str(main)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t refused the configuration:\n{checked.stderr}")
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "stderr.log").open("wb"),
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                HttpsClient(self.url).request("GET", "/health/live")
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start:\n{self.errors()}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        """Stop nginx (SIGQUIT: finish what is in progress) and remove its folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "NginxFront":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def errors(self) -> str:
        """nginx's error log."""
        path = self.folder / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def access_lines(self) -> list[dict[str, str]]:
        """The access log's key=value fields (request_id, upstream, upstream_status, time) and
        the status, one dict a request."""
        if not self.access_log.exists():
            return []
        lines = []
        for line in self.access_log.read_text().splitlines():
            fields = dict(re.findall(r"(\w+)=(.*?)(?= \w+=|$)", line))
            fields["status"] = line.split('" ', 1)[1].split()[0]
            lines.append(fields)
        return lines

    def access_line(self, request_id: str, timeout: float = 10) -> dict[str, str]:
        """The access log's line of a request (nginx writes it just after the answer)."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.access_lines():
                if line["request_id"] == request_id:
                    return line
            if time.monotonic() > deadline:
                raise LookupError(f"no access log line for {request_id}")
            time.sleep(0.05)


class HttpsClient(SessionClient):
    """SessionClient over HTTPS to the front (its self-signed certificate not checked).

    Posts carry a same-origin Referer, as a browser's do (Referrer-Policy: same-origin):
    the app's CSRF check wants one on HTTPS.
    """

    CONTEXT = ssl.create_default_context()
    CONTEXT.check_hostname = False
    CONTEXT.verify_mode = ssl.CERT_NONE

    def connection(self) -> http.client.HTTPSConnection:
        """A new connection to the front."""
        return http.client.HTTPSConnection(self.host, self.port, timeout=600, context=self.CONTEXT)

    def headers_for(self, method: str, path: str, headers) -> dict:
        """The session's headers, and a browser's Referer on posts."""
        headers = super().headers_for(method, path, headers)
        if method != "GET":
            headers.setdefault("Referer", self.base + path)
        return headers

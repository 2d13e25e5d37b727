"""Secrets in addresses (share link tokens, password reset and account activation links)
reach no log: deploy/nginx.conf's access log and gunicorn's (gunicorn.conf.py) write them as
<token>, as the app's own request log does. Real nginx in front of a real gunicorn; every
route of the app with a secret argument is requested with a real secret and looked for in
all three logs."""

import http.client
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest

import bench.front
from bench.front import NGINX, HttpsClient, NginxFront
from bench.harness import PROJECT, Gunicorn, Server
from tests.support.databases import require

#: Everything gunicorn can log of a request's address and referrer, in one line.
GREEDY_FORMAT = (
    "%(r)s | %(U)s | %(q)s | %(f)s | %({raw_uri}e)s | %({path_info}e)s | "
    "%({referer}i)s | request_id=%({x-request-id}o)s"
)


@dataclass
class Logged:
    """nginx in front of gunicorn (its access log on, every field) and what they serve."""

    front: NginxFront
    server: Gunicorn
    access_log: object
    token: str
    entry: int
    routes: list[dict]
    #: The servers' environment (a `flask` command run with it reaches their database).
    env: dict

    def wait_for(self, *request_ids: str) -> None:
        """Until nginx and gunicorn have logged these requests (each writes its line just
        after answering)."""
        deadline = time.monotonic() + 10
        for request_id in request_ids:
            self.front.access_line(request_id)
            while request_id not in self.access_log.read_text():
                assert time.monotonic() < deadline, f"gunicorn never logged {request_id}"
                time.sleep(0.05)

    def logs(self) -> dict[str, str]:
        """Every log's text: nginx's access log, gunicorn's, gunicorn's stderr (the app's
        request lines and gunicorn's error log)."""
        return {
            "nginx": self.front.access_log.read_text(),
            "gunicorn access": self.access_log.read_text(),
            "app and gunicorn errors": self.server.output(),
        }


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """A demo catalog with a share link, served by gunicorn (gunicorn.conf.py, access log to
    a file with GREEDY_FORMAT) behind nginx (deploy/nginx.conf)."""
    require(NGINX.exists(), f"{NGINX} is not installed (Debian's nginx package)")
    folder = tmp_path_factory.mktemp("logged")
    env = Server(LOG_LEVEL="INFO").env
    made = subprocess.run(
        [sys.executable, "-m", "tests.operations.secret_links"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    setup = json.loads(made.stdout.strip().splitlines()[-1])
    access_log = folder / "gunicorn-access.log"
    logging_env = {
        **env,
        "GUNICORN_ACCESS_LOG": str(access_log),
        "GUNICORN_ACCESS_LOG_FORMAT": GREEDY_FORMAT,
    }
    server = Gunicorn(logging_env, PROJECT, "--workers", "1", ready_path="/health/live")
    try:
        with NginxFront([server.port]) as front:
            yield Logged(
                front, server, access_log, setup["token"], setup["entry"], setup["routes"], env
            )
    finally:
        server.stop()


def secrets_in(logs: dict[str, str], *secrets: str) -> dict[str, list[str]]:
    """Per log, the lines holding one of the secrets (none, if all is well)."""
    found = {
        name: [line for line in text.splitlines() if any(secret in line for secret in secrets)]
        for name, text in logs.items()
    }
    return {name: lines for name, lines in found.items() if lines}


def test_a_share_links_journey_leaves_only_masked_addresses(logged):
    """A holder opens the page, plays a song in ranges and fetches the next tracks through
    nginx: each request has its line in nginx's and gunicorn's access logs and the app's
    request log, with the address masked; the token is in none of them."""
    visitor = HttpsClient(logged.front.url)
    link, entry = f"/shared/{logged.token}", logged.entry
    referrer = {"Referer": f"{logged.front.url}{link}", "Range": "bytes=0-99"}
    asked = {
        "GET /shared/<token> HTTP/1.1": visitor.request("GET", link),
        f"GET /shared/<token>/stream/{entry} HTTP/1.1": visitor.request(
            "GET", f"{link}/stream/{entry}", headers=referrer
        ),
        "GET /shared/<token>/tracks?page=1 HTTP/1.1": visitor.request(
            "GET", f"{link}/tracks?page=1"
        ),
    }
    assert [status for status, _, _ in asked.values()] == [200, 206, 200]
    ids = {line: headers["X-Request-ID"] for line, (_, headers, _) in asked.items()}
    logged.wait_for(*ids.values())
    logs = logged.logs()
    assert secrets_in(logs, logged.token) == {}
    nginx = logs["nginx"].splitlines()
    gunicorn = logs["gunicorn access"].splitlines()
    for line, request_id in ids.items():
        assert any(f'"{line}"' in text and request_id in text for text in nginx), line
        [masked] = [text for text in gunicorn if text.endswith(f"request_id={request_id}")]
        assert masked.startswith(line + " | /shared/<token>"), masked
    [streamed] = [text for text in gunicorn if text.endswith(ids[list(ids)[1]])]
    assert f"| {logged.front.url}/shared/<token> |" in streamed  # the referrer
    assert "/shared/<token>/stream/<int:entry_id> 206" in logs["app and gunicorn errors"]


def test_every_route_with_a_secret_is_masked_in_every_log(logged):
    """Each of the app's routes with a secret argument (share link, reset, activation, and
    any added later), with a real secret, through nginx: in no log; each masked in nginx's
    and gunicorn's."""
    rules = {route["rule"].split("<")[0] for route in logged.routes}
    assert rules >= {"/shared/", "/reset-password/", "/register/activation/"}, rules
    visitor = HttpsClient(logged.front.url)
    answers = {route["path"]: visitor.request("GET", route["path"]) for route in logged.routes}
    statuses = {path: status for path, (status, _, _) in answers.items()}
    assert set(statuses.values()) <= {200, 206, 404}, statuses
    assert statuses[f"/shared/{logged.token}"] == 200
    assert statuses[f"/shared/{logged.token}/stream/{logged.entry}"] == 200
    logged.wait_for(*(headers["X-Request-ID"] for _, headers, _ in answers.values()))
    logs = logged.logs()
    assert secrets_in(logs, *(route["secret"] for route in logged.routes)) == {}
    for route in logged.routes:
        masked = re.sub(r"<[^>]*>", "<token>", route["rule"], count=1).split("<int:")[0]
        assert masked in logs["nginx"], masked
        assert masked in logs["gunicorn access"], masked


def test_other_spellings_of_a_share_address_are_masked_too(logged):
    """%-escaped letters and doubled slashes reach the same link (the app decodes and
    merges them): nginx and gunicorn mask them as well, and a referrer holding a link."""
    token = logged.token
    odd = [
        f"/%73hared/{token}/stream/{logged.entry}",
        f"//shared//{token}/tracks",
        f"/shared/%{ord(token[0]):02X}{token[1:]}",
    ]
    visitor = HttpsClient(logged.front.url)
    assert visitor.request("GET", odd[0], headers={"Range": "bytes=0-9"})[0] == 206
    for path in odd:
        visitor.request("GET", path)
        direct = http.client.HTTPConnection("127.0.0.1", logged.server.port, timeout=30)
        direct.request("GET", path, headers={"Referer": f"https://elsewhere/shared/{token}"})
        direct.getresponse().read()
        direct.close()
    logged.wait_for(visitor.request("GET", "/health/live")[1]["X-Request-ID"])
    logs = logged.logs()
    # The app's own request line of a 308 (doubled slashes) shows the path it was given:
    # app/logs.py masks by the matched route, and a redirect matches none.
    logs["app and gunicorn errors"] = "\n".join(
        line
        for line in logs["app and gunicorn errors"].splitlines()
        if " app.requests " not in line
    )
    assert secrets_in(logs, token, token[1:]) == {}


def test_a_plain_http_link_reaches_no_log_of_the_host(logged, monkeypatch):
    """A share link typed as http:// is redirected to HTTPS without a line in the host's
    default access log (Debian's nginx.conf has one in its http block) or anywhere else."""
    host_log = "access_log {folder}/host.log;"
    monkeypatch.setattr(bench.front, "MAIN", bench.front.MAIN.replace("access_log off;", host_log))
    with NginxFront([logged.server.port]) as front:
        plain = http.client.HTTPConnection("127.0.0.1", front.http_port, timeout=10)
        plain.request("GET", f"/shared/{logged.token}")
        answer = plain.getresponse()
        answer.read()
        plain.close()
        assert answer.status == 301
        assert answer.getheader("Location").endswith(f"/shared/{logged.token}")
        front.access_line(HttpsClient(front.url).request("GET", "/")[1]["X-Request-ID"])
        host = front.folder / "host.log"
        texts = {
            "host": host.read_text() if host.exists() else "",
            "front": front.access_log.read_text(),
        }
    assert secrets_in(texts, logged.token) == {}
    assert texts["host"] == ""

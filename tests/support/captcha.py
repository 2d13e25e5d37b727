"""A reCAPTCHA verify server on loopback (/ok, /fail, /never), serving the widget's script."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

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

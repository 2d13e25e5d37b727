"""Start Setlist on the development server, over HTTP or HTTPS.

python run.py                                # http://127.0.0.1:8080 (PORT honoured)
python run.py --https adhoc                  # throwaway self-signed certificate
python run.py --cert cert.pem --key key.pem  # your own certificate
"""

import argparse
import ipaddress
import os

from flask.cli import load_dotenv
from werkzeug.serving import WSGIRequestHandler

from app import create_app, warn_about_setup
from app.logs import quiet_development_server


def parse_args() -> argparse.Namespace:
    """Read the server options from the command line."""
    parser = argparse.ArgumentParser(description="Run the Setlist development server.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    parser.add_argument("--config", default=None, help="development (default), production")
    parser.add_argument("--debug", action="store_true", help="debugger and reloader")
    parser.add_argument("--https", choices=["adhoc"], help="serve HTTPS, self-signed")
    parser.add_argument("--cert", help="certificate file (PEM) for HTTPS")
    parser.add_argument("--key", help="private key file (PEM) for HTTPS")
    args = parser.parse_args()
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")
    if args.https and args.cert:
        parser.error("choose either --https adhoc or --cert/--key")
    return args


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler without the `Server` header (it names Werkzeug and Python)
    and without its own line per request (the app logs each one, with its request id)."""

    def send_header(self, keyword: str, value: str) -> None:
        """Send every header but `Server`."""
        if keyword.lower() != "server":
            super().send_header(keyword, value)

    def log_request(self, code="-", size="-") -> None:
        """Leave request lines to the app's request log (one line per request, not two)."""


def is_loopback(host: str) -> bool:
    """True when only this machine can reach the address."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def main() -> None:
    """Build the app and serve it."""
    args = parse_args()
    load_dotenv()
    config_name = args.config or os.environ.get("CATALOG_CONFIG", "development")
    if args.debug and config_name == "production":
        # The debugger runs any Python code typed into an error page.
        raise SystemExit("--debug starts the interactive debugger: never with production.")
    app = create_app(args.config, CATALOG_LOOPBACK_ONLY=is_loopback(args.host))
    if config_name != "production":
        quiet_development_server()
    ssl_context = (args.cert, args.key) if args.cert else args.https
    if "CATALOG_EXTERNAL_URL" not in os.environ and config_name != "production":
        # Emailed links lead to this server, whatever port it was given.
        scheme = "https" if ssl_context else "http"
        host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host  # noqa: S104
        app.config["CATALOG_EXTERNAL_URL"] = f"{scheme}://{host}:{args.port}"
    warn_about_setup(app)
    app.run(
        host=args.host,
        port=args.port,
        debug=args.debug,
        ssl_context=ssl_context,
        request_handler=QuietRequestHandler,
    )


if __name__ == "__main__":
    main()

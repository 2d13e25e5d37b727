"""Response headers that make every page and file safer to serve."""

from flask import Flask, Response

SECURITY_HEADERS = {
    # Uploaded files are untrusted: never let a browser guess them into HTML.
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    """Set the security headers a response does not already carry."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register_security_headers(app: Flask) -> None:
    """Add the security headers to every response."""
    app.after_request(add_security_headers)

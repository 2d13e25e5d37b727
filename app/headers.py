"""Response headers that make every page and file safer to serve."""

import secrets

from flask import Flask, Response, current_app, g, request

SECURITY_HEADERS = {
    # Uploaded files are untrusted: never let a browser guess them into HTML.
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
}
#: The Content-Security-Policy of every page, but for its scripts and frames (see below).
PAGE_POLICY = {
    "default-src": "'self'",
    # FAB's templates and Select2 put style attributes on elements; styles cannot run code.
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'self'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def csp_nonce() -> str:
    """This response's nonce: FAB's templates give it to each inline script they need."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def allow_third_party(*origins: str) -> None:
    """Let this page load scripts and frames from other origins (only the captcha does)."""
    g.setdefault("csp_third_party", set()).update(origins)


def content_security_policy() -> str:
    """The page's policy: scripts from this site or carrying the nonce, plus allowed origins."""
    third_party = sorted(g.get("csp_third_party", ()))
    directives = {
        **PAGE_POLICY,
        "script-src": " ".join(["'self'", f"'nonce-{csp_nonce()}'", *third_party]),
    }
    if third_party:
        directives["frame-src"] = " ".join(["'self'", *third_party])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_security_headers(response: Response) -> Response:
    """Set the security headers a response does not already carry."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
    hsts_seconds = current_app.config["HSTS_SECONDS"]
    if hsts_seconds and request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts_seconds}")
    return response


def register_security_headers(app: Flask) -> None:
    """Add the security headers to every response; give templates the CSP nonce."""
    app.add_template_global(csp_nonce)
    app.after_request(add_security_headers)

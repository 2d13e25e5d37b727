"""A form-filling client (Browser): pages, forms with their CSRF token, the API as a page's
script calls it, login and logout; a registration form to fill in."""

import re
from dataclasses import dataclass

from flask.testing import FlaskClient

from tests.support.apps import PASSWORD

CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


NEW_ACCOUNT_PASSWORD = "violet kettle mountain drum"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_INPUT.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@dataclass
class Browser:
    """Drives a test client the way a person uses the site: through its forms."""

    client: FlaskClient

    def get(self, url: str, **kwargs):
        """GET a page."""
        return self.client.get(url, **kwargs)

    def submit(self, form_url: str, data: dict, post_url: str | None = None, **kwargs):
        """Open a form page, then post it back with its CSRF token and the given fields.

        Extra keyword arguments (headers, base_url) go with both requests.
        """
        page = self.client.get(form_url, **kwargs)
        assert page.status_code == 200, f"{form_url} answered {page.status_code}"
        payload = {"csrf_token": csrf_token(page.get_data(as_text=True)), **data}
        return self.client.post(
            post_url or form_url, data=payload, content_type="multipart/form-data", **kwargs
        )

    def api(self, method: str, url: str, json=None, csrf: bool = True, **kwargs):
        """Call the JSON API as a script on one of the site's pages does: with the session
        cookie and, for writes, the page's CSRF token in X-CSRFToken."""
        headers = dict(kwargs.pop("headers", {}))
        if csrf and method != "GET":
            page = self.client.get("/").get_data(as_text=True)
            headers["X-CSRFToken"] = CSRF_META.search(page).group(1)
        return self.client.open(url, method=method, json=json, headers=headers, **kwargs)

    def login(self, username: str, password: str = PASSWORD) -> bool:
        """Log in through FAB's login form; True when it worked.

        FAB redirects either way: back to the login form on failure.
        """
        response = self.submit("/login/", {"username": username, "password": password})
        return response.status_code == 302 and "/login/" not in response.headers["Location"]

    def logout(self):
        """Log out with the logout page's button (a POST with its CSRF token)."""
        return self.submit("/logout/", {})


def registration_form(**fields) -> dict:
    """A filled-in registration form for a new listener; override any field."""
    return {
        "username": "newlistener",
        "first_name": "Nina",
        "last_name": "Listener",
        "email": "nina@example.org",
        "password": NEW_ACCOUNT_PASSWORD,
        "conf_password": NEW_ACCOUNT_PASSWORD,
        **fields,
    }

"""Bearer tokens for API clients, under the login form's limits, checks and audit log.

A token login is a login like a browser's: it gets a `login_session` row, named in its
tokens as `sid`. A token works only while that row lives, so logging out everywhere, a
password change or reset and a deactivation (which all end a user's logins) end its
tokens too, and no token outlives SESSION_MAX_HOURS. Access tokens last
API_TOKEN_MINUTES; the refresh token gets new ones for the same login.
"""

from flask import current_app, request
from flask_appbuilder.api import expose
from flask_appbuilder.security.api import SecurityApi
from flask_babel import lazy_gettext as _
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    get_jwt,
    verify_jwt_in_request,
)
from flask_jwt_extended import current_user as token_holder
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt.exceptions import PyJWTError

from app.security.audit import audit
from app.security.forms import MAX_LOGIN_NAME
from app.security.lockout import login_account, under_attack
from app.security.passwords import MAX_LENGTH as MAX_PASSWORD_LENGTH
from app.security.sessions import end_login, open_login, user_of_login
from app.web.json_answers import MORE_RESPONSES, NOT_JSON, NOT_VALID, json_error, json_object

REQUIRED = _("This field is required.")
TOO_LONG = _("At most %(max)d characters.")
#: A token login's fields and their longest values (those of the login form).
LOGIN_FIELDS = {"username": MAX_LOGIN_NAME, "password": MAX_PASSWORD_LENGTH}
WRONG_LOGIN = _("Wrong username or password, or the account is not active.")
USE_THE_SITE = _(
    "Many wrong passwords were tried for this account: log in on the site, which asks you "
    "to confirm you are not a robot, before asking for tokens again."
)
LOGIN_CLAIM = "sid"


def bearer_token_sent() -> bool:
    """Whether the request carries a bearer token (it then speaks for itself alone)."""
    return request.headers.get("Authorization", "").startswith("Bearer ")


def token_user(user_model, claims: dict):
    """The active user of a token whose login lives, or None."""
    login_id = claims.get(LOGIN_CLAIM)
    try:
        user_id = int(claims["sub"])
    except (KeyError, TypeError, ValueError):
        return None
    user = user_of_login(user_model, user_id, login_id)
    return user if user is not None and user.is_active else None


def user_from_request(_request):
    """Flask-Login's request loader: the user of a valid bearer access token, else None."""
    if not bearer_token_sent():
        return None
    try:
        verify_jwt_in_request()  # its user lookup is token_user (CatalogSecurityManager)
    except (JWTExtendedException, PyJWTError):
        return None  # anonymous: protected endpoints then answer 401 in JSON
    return token_holder._get_current_object()


def issue_tokens(user, login_id: str, refresh: bool) -> dict:
    """An access token (and a refresh token) for a login."""
    claims = {LOGIN_CLAIM: login_id}
    answer = {
        "access_token": create_access_token(str(user.id), fresh=True, additional_claims=claims),
        "token_type": "Bearer",
        "expires_in": int(current_app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds()),
    }
    if refresh:
        answer["refresh_token"] = create_refresh_token(str(user.id), additional_claims=claims)
    return answer


def login_field_problems(data: dict) -> dict:
    """What is wrong with a token login's username and password, by field (none: {})."""
    problems = {}
    for name, longest in LOGIN_FIELDS.items():
        value = data.get(name)
        if not isinstance(value, str) or not value:
            problems[name] = [REQUIRED]
        elif len(value) > longest:
            problems[name] = [TOO_LONG % {"max": longest}]
    return problems


class TokenLoginApi(SecurityApi):
    """`POST /api/v1/security/login`, `/refresh` and `/logout` for API clients."""

    responses = {**SecurityApi.responses, **MORE_RESPONSES}
    include_route_methods = {"login", "refresh", "logout"}
    # Its login shares the login form's limits (lockout.limit_logins).

    @expose("/login", methods=["POST"])
    def login(self):
        """Tokens for a username (or email) and password.
        ---
        post:
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    username:
                      type: string
                    password:
                      type: string
                    refresh:
                      type: boolean
          responses:
            200:
              description: An access token (and a refresh token)
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            422:
              $ref: '#/components/responses/422'
            429:
              $ref: '#/components/responses/429'
            500:
              $ref: '#/components/responses/500'
        """
        data = json_object()
        if data is None:
            return json_error(400, NOT_JSON)
        refused = login_field_problems(data)
        if refused:
            return json_error(422, NOT_VALID, refused)
        fields = {name: data[name] for name in LOGIN_FIELDS}
        account = login_account(fields["username"])
        if current_app.config["RECAPTCHA_ENABLED"] and under_attack(account):
            audit("token-login", username=fields["username"], outcome="captcha-required")
            return json_error(403, USE_THE_SITE)
        user = self.appbuilder.sm.auth_user_db(fields["username"], fields["password"])
        if user is None:
            return json_error(401, WRONG_LOGIN)
        login_id = open_login(user)
        audit("token-login", user=user.username, outcome="issued")
        return self.response(200, **issue_tokens(user, login_id, data.get("refresh") is not False))

    @expose("/refresh", methods=["POST"])
    def refresh(self):
        """A new access token for the login of a refresh token (sent as the bearer).
        ---
        post:
          responses:
            200:
              description: A new access token
            401:
              $ref: '#/components/responses/401'
        """
        verify_jwt_in_request(refresh=True)
        user = token_user(self.appbuilder.sm.user_model, get_jwt())
        if user is None:
            return json_error(401, WRONG_LOGIN)
        return self.response(200, **issue_tokens(user, get_jwt()[LOGIN_CLAIM], refresh=False))

    @expose("/logout", methods=["POST"])
    def logout(self):
        """End the login of a token (access or refresh): all its tokens stop working.
        ---
        post:
          responses:
            200:
              description: Logged out
            401:
              $ref: '#/components/responses/401'
        """
        verify_jwt_in_request(verify_type=False)  # an access or a refresh token
        end_login(get_jwt()[LOGIN_CLAIM])
        audit("token-logout", user_id=get_jwt()["sub"])
        return self.response(200, message=str(_("Logged out.")))

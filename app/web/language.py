"""The request's language (picked, else the browser's) and the gettext of templates: the
request's catalog, found once, with messages escaped.

Jinja's gettext marks what it returns as safe HTML, because it expects literal text from
the template. FAB's templates also pass it data: `{{ _(error) }}` renders every form
field's error, and errors quote what users typed (an author named `<img onerror=...>`).
So in HTML every message is escaped before Jinja marks it safe; a message that is markup
on purpose is a Markup (built with Markup.format) and passes unchanged.
"""

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import escape


def request_translations():
    """The current language's catalog, found once per request (Flask-Babel looks per string)."""
    if "translations" not in g:
        g.translations = get_translations()
    return g.translations


def escaped(eval_ctx, text):
    """Text escaped for an HTML template, as is for a text one (emails)."""
    return escape(text) if eval_ctx.autoescape else text


@pass_eval_context
def gettext(eval_ctx, message):
    """A message in the request's language."""
    return escaped(eval_ctx, request_translations().ugettext(message))


@pass_eval_context
def ngettext(eval_ctx, singular, plural, n):
    """A message with a count in the request's language."""
    return escaped(eval_ctx, request_translations().ungettext(singular, plural, n))


@pass_eval_context
def pgettext(eval_ctx, context, message):
    """A message with a context in the request's language."""
    return escaped(eval_ctx, request_translations().upgettext(context, message))


@pass_eval_context
def npgettext(eval_ctx, context, singular, plural, n):
    """A message with a context and a count in the request's language."""
    return escaped(eval_ctx, request_translations().unpgettext(context, singular, plural, n))


def install_gettext(app: Flask) -> None:
    """Give the templates these gettext functions (with %(name)s variables escaped too)."""
    app.jinja_env.install_gettext_callables(
        gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext, newstyle=True
    )


def chosen_language() -> str:
    """The request's language: the one the person picked (/lang/<code>, kept in the
    session), else the first of the browser's Accept-Language we speak, else the default.

    FAB's own selector stores the default in every new session, so a browser set to
    Spanish got English for good before anyone chose anything.
    """
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if "_l_" in request.args:  # FAB's API asks for a language this way
        return request.args["_l_"] if request.args["_l_"] in languages else default
    picked = session.get("locale")
    if picked in languages:
        return picked
    g.language_from_browser = True
    return request.accept_languages.best_match(list(languages)) or default


def current_language() -> str:
    """The code of the language this page is in (for the language menu)."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def vary_on_language(response: Response) -> Response:
    """Tell caches a page chosen by Accept-Language differs by that header."""
    if g.get("language_from_browser"):
        # Other hooks (CORS) add their own Vary line; `response.vary` reads only the first
        # and would drop the rest, so every line is folded into one.
        named = [v.strip() for line in response.headers.getlist("Vary") for v in line.split(",")]
        named = list(dict.fromkeys(v for v in [*named, "Accept-Language"] if v))
        response.headers["Vary"] = ", ".join(named)
    return response


def register_language_choice(app: Flask) -> None:
    """Pick each request's language with chosen_language (replacing FAB's selector)."""
    app.extensions["babel"].locale_selector = chosen_language
    app.add_template_global(current_language)
    app.after_request(vary_on_language)

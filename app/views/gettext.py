"""The gettext of templates: the request's catalog, found once, with messages escaped.

Jinja's gettext marks what it returns as safe HTML, because it expects literal text from
the template. FAB's templates also pass it data: `{{ _(error) }}` renders every form
field's error, and errors quote what users typed (an author named `<img onerror=...>`).
So in HTML every message is escaped before Jinja marks it safe; a message that is markup
on purpose is a Markup (built with Markup.format) and passes unchanged.
"""

from flask import Flask, g
from flask_babel import get_translations
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

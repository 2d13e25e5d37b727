"""How the account forms look: a button that says what it does, no empty captcha row.

FAB's form widget labels every button "Save", offers a back arrow (a history step, which on
a public form may lead anywhere), and gives a disabled captcha an empty table row.
"""

from flask import current_app
from flask_appbuilder.widgets import FormWidget
from flask_babel import lazy_gettext as _


class AccountFormWidget(FormWidget):
    """FAB's form table with one submit button labelled by the view."""

    template = "setlist/widgets/account_form.html"


class AccountForm:
    """Mixin for FAB form views (register, resend, forgot, reset, change password)."""

    edit_widget = AccountFormWidget
    #: The button's words: what sending the form does.
    submit_label = _("Send")

    def _get_edit_widget(self, form=None, exclude_cols=None, widgets=None):
        """FAB's widget with our button, leaving out the captcha while it is off."""
        hidden = list(exclude_cols or [])
        if not current_app.config["RECAPTCHA_ENABLED"]:
            hidden.append("recaptcha")
        widgets = super()._get_edit_widget(form=form, exclude_cols=hidden, widgets=widgets)
        widgets["edit"].template_args["submit_label"] = self.submit_label
        return widgets

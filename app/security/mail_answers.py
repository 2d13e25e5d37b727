"""The answers of the account forms that send email: the same for every address."""

from flask_appbuilder.views import PublicFormView
from flask_babel import lazy_gettext as _

from app.security.emails import MailNotSent
from app.security.form_layout import AccountForm
from app.security.forms import EmailForm
from app.web.pages import message_page


def check_your_email(email: str):
    """The one answer to registration, resend and forgotten-password requests."""
    return message_page(
        _("Check your email"),
        _(
            "If %(email)s can be used, a message with the next step is on its way to it. "
            "It may take a few minutes; look in your spam folder too.",
            email=email,
        ),
    )


def email_not_sent():
    """The answer when the SMTP server could not be reached or refused the message."""
    return message_page(
        _("We could not send the email"),
        _("Nothing was saved. Please try again in a few minutes."),
        status=503,
        level="danger",
        back=True,
    )


class EmailRequestView(AccountForm, PublicFormView):
    """A form asking for something by email address, answered alike for every address."""

    form = EmailForm

    def send_to(self, email: str) -> None:
        """Send whatever this address should get (maybe nothing); may raise MailNotSent."""
        raise NotImplementedError

    def form_post(self, form):
        """Send, then answer "check your email" whether or not anything was sent."""
        email = form.email.data.strip()
        try:
            self.send_to(email)
        except MailNotSent:
            return email_not_sent()
        return check_your_email(email)

"""The account pages of the organisations app that Django does not serve as they are: the
password reset, with its e-mail queued and requests limited (organisations.forms)."""

from django.contrib.auth import views as auth_views

from organisations.forms import QueuedPasswordResetForm


class PasswordResetRequest(auth_views.PasswordResetView):
    """Django's password reset, with the e-mail queued and requests limited per address and
    per client (QueuedPasswordResetForm)."""

    form_class = QueuedPasswordResetForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "client_address": self.request.META.get("REMOTE_ADDR", ""),
        }

"""Staff forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Login that says when an account is locked after repeated failures (登录失败锁定)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong user name or password. After repeated failures the account is locked for a while."),
        "locked": _("This account is locked after repeated failed logins until %(until)s. Try again later or ask an administrator."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            until = getattr(self.request, "sanxiang_locked_until", None)
            if until is not None:
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked",
                    params={"until": date_format(timezone.localtime(until), "Y-m-d H:i")},
                ) from None
            raise

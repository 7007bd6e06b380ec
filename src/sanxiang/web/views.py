"""Staff pages (工作台): login, logout, password change, workbench with my to-dos."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from sanxiang.accounts import selectors as accounts
from sanxiang.accounts.constants import CertificateStatus, Role
from sanxiang.cases import selectors_ui
from sanxiang.cases.selectors import urgency
from sanxiang.web.cases_views import DEADLINE_LABELS, PROVISIONAL_HELP
from sanxiang.web.forms import LoginForm
from sanxiang.web.publicity_views import publisher_todos


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    success_url = reverse_lazy("web:password-changed")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "web/password_changed.html"


@login_required
def workbench(request):
    """The workbench (工作台): my to-dos by due date and urgency, reviews, decisions awaiting me."""
    user = request.user
    officer = getattr(user, "officer", None)
    today = timezone.localdate()
    context = {
        "roles": accounts.user_roles_display(user),
        "officer": officer,
        "officer_status": CertificateStatus(officer.status_on(today)) if officer else None,
        "units": accounts.units_visible(user).count(),
        "today": today,
        "bench": (bench := selectors_ui.workbench(viewer=user)),
        "todos": [{"item": d, "label": DEADLINE_LABELS.get(d.name, d.name), "urgency": urgency(d.due_on, today)}
                  for d in bench.deadlines],
        "provisional_help": PROVISIONAL_HELP,
        "any_provisional": any(d.provisional for d in bench.deadlines),
        "is_reviewer": user.has_role(Role.REVIEWER),
        "is_head": user.has_role(Role.AGENCY_HEAD, Role.UNIT_HEAD),
        "can_file": user.has_role(Role.OFFICER, Role.UNIT_HEAD),
        "is_publisher": user.has_role(Role.PUBLISHER),
        "to_publish": publisher_todos(user),
    }
    return render(request, "web/workbench.html", context)

"""Account selectors (查询). `scope_filter` is the one visibility rule every later query uses."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import CertificateStatus, Role, UnitLevel
from sanxiang.accounts.models import Officer, Unit, User
from sanxiang.core.errors import NotFound


def sees_all_units(viewer: User) -> bool:
    """City-level supervisors (and administrators) see every unit."""
    unit = viewer.unit
    if viewer.has_role(Role.ADMIN):
        return True
    return unit is not None and unit.level == UnitLevel.CITY and viewer.has_role(Role.SUPERVISOR)


def scope_q(viewer: User, unit_field: str = "unit") -> Q:
    """The visibility scope (可见范围) as a Q on `unit_field`: own unit and its subtree.

    City-level supervisors see all; a user without a unit sees nothing.
    """
    if sees_all_units(viewer):
        return Q()
    if viewer.unit is None:
        return Q(pk__in=[])
    return Q(**{f"{unit_field}__path__startswith": viewer.unit.path})


def scope_filter(qs: QuerySet, viewer: User, unit_field: str = "unit") -> QuerySet:
    """Restrict a queryset to what the viewer may see."""
    return qs.filter(scope_q(viewer, unit_field))


def units_visible(viewer: User) -> QuerySet[Unit]:
    qs = Unit.objects.all()
    if sees_all_units(viewer):
        return qs
    if viewer.unit is None:
        return qs.none()
    return qs.filter(path__startswith=viewer.unit.path)


def unit_in_scope(viewer: User, code: str) -> Unit:
    """A unit by code if the viewer may see it; 404 otherwise (outside scope = not found)."""
    unit = units_visible(viewer).filter(code=code).first()
    if unit is None:
        raise NotFound("unit_not_found", _("No unit with code %(code)s.") % {"code": code})
    return unit


def unit_is_within(unit: Unit, ancestor: Unit) -> bool:
    """True when `unit` is `ancestor` or lies below it."""
    return unit.path.startswith(ancestor.path)


def officer_list(*, viewer: User, unit: str | None = None, q: str | None = None) -> QuerySet[Officer]:
    """Officers the viewer may see, optionally of one unit subtree or matching a search."""
    qs = scope_filter(Officer.objects.select_related("user", "user__unit"), viewer, "user__unit")
    if unit:
        qs = qs.filter(user__unit__path__startswith=unit_in_scope(viewer, unit).path)
    if q:
        qs = qs.filter(Q(certificate_number__icontains=q) | Q(user__full_name__icontains=q))
    return qs.order_by("user__unit__path", "certificate_number")


def officer_public(*, certificate_number: str) -> Officer:
    """An officer by certificate number for public verification (执法证查询); 404 if unknown."""
    number = (certificate_number or "").strip()
    officer = (Officer.objects.select_related("user", "user__unit")
               .filter(certificate_number__iexact=number).first()) if number else None
    if officer is None:
        raise NotFound("officer_not_found", _("No enforcement certificate with this number."))
    return officer


def officer_public_record(officer: Officer, today: dt.date | None = None) -> dict:
    """What the public may know of an officer: name, unit, status, validity (no user id)."""
    today = today or timezone.localdate()
    unit = officer.user.unit
    status = CertificateStatus(officer.status_on(today))
    return {
        "name": officer.user.full_name,
        "certificate_number": officer.certificate_number,
        "unit": unit.code if unit else None,
        "unit_name": unit.name if unit else None,
        "status": status.value,
        "status_label": str(status.label),
        "valid_until": officer.valid_until,
    }


def user_roles_display(user: User) -> list[str]:
    return [str(Role(r).label) for r in sorted(user.role_codes)]

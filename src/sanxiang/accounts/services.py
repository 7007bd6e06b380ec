"""Account services (账户服务): every change to units, users, officers and tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import CERTIFICATE_NUMBER_PATTERN, CertificateStatus, Role
from sanxiang.accounts.data.units import STANDARD_UNITS
from sanxiang.accounts.models import ApiToken, Officer, Unit, User, UserRole
from sanxiang.core.errors import InvalidInput, NotFound
from sanxiang.records.services import ledger_append

TOKEN_PREFIX = "sx"
SYSTEM = "system"


def actor_ref(user: User | None) -> str:
    """The opaque actor reference the ledger records ("user:7", or "system")."""
    return f"user:{user.pk}" if user is not None and user.pk else SYSTEM


def user_ref(user: User) -> str:
    return f"user:{user.pk}"


@transaction.atomic
def unit_create(
    *, code: str, name: str, kind: str, level: str, region_code: str,
    parent_code: str | None = None, uscc: str = "",
) -> Unit:
    """Create a unit under its parent (or the root when no parent)."""
    parent = Unit.objects.get(code=parent_code) if parent_code else None
    path = f"{parent.path if parent else '/'}{code}/"
    unit = Unit(code=code, name=name, kind=kind, level=level, region_code=region_code,
                parent=parent, path=path, uscc=uscc)
    unit.full_clean()
    unit.save()
    ledger_append(subject=f"unit:{unit.code}", action="unit.created", actor=SYSTEM,
                  payload={"code": code, "name": name, "kind": kind, "level": level,
                           "region_code": region_code, "parent": parent_code})
    return unit


@transaction.atomic
def units_ensure_standard() -> list[Unit]:
    """Create the standard unit tree of API.md where missing (idempotent)."""
    units = []
    for code, parent, kind, level, region, name in STANDARD_UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = unit_create(code=code, name=name, kind=kind, level=level,
                               region_code=region, parent_code=parent)
        units.append(unit)
    return units


def _check_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    if not roles:
        raise InvalidInput("roles_required", _("At least one role is required."), field="roles")
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise InvalidInput(
            "unknown_role", _("Unknown role: %(roles)s. Known roles: %(known)s.")
            % {"roles": ", ".join(unknown), "known": ", ".join(Role.values)},
            field="roles",
        )
    return roles


def _check_certificate_number(number: str) -> str:
    if not re.fullmatch(CERTIFICATE_NUMBER_PATTERN, number or ""):
        raise InvalidInput(
            "invalid_certificate_number",
            _("A certificate number is 6 to 32 ASCII letters and digits."),
            field="certificate_number",
        )
    return number


@transaction.atomic
def user_create(
    *, username: str, unit_code: str, roles: Iterable[str], full_name: str = "",
    password: str | None = None, certificate_number: str | None = None,
    valid_until: dt.date | None = None, valid_from: dt.date | None = None, actor: str = SYSTEM,
) -> User:
    """Create a staff user with roles; with a certificate he is also a certified officer."""
    roles = _check_roles(roles)
    if not username or User.objects.filter(username=username).exists():
        raise InvalidInput("username_taken", _("This user name is already taken."), field="username")
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise InvalidInput("unknown_unit", _("No unit with code %(code)s.") % {"code": unit_code}, field="unit")
    user = User(username=username, full_name=full_name or username, unit=unit,
                is_staff=Role.ADMIN in roles, is_superuser=Role.ADMIN in roles)
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput("weak_password", " ".join(exc.messages), field="password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles])
    ledger_append(subject=user_ref(user), action="user.created", actor=actor,
                  payload={"username": username, "full_name": user.full_name, "unit": unit.code,
                           "roles": sorted(roles)})
    if certificate_number or valid_until:
        officer_certify(user=user, certificate_number=certificate_number or "",
                        valid_until=valid_until, valid_from=valid_from, actor=actor)
    return user


@transaction.atomic
def officer_certify(
    *, user: User, certificate_number: str, valid_until: dt.date | None,
    valid_from: dt.date | None = None, actor: str = SYSTEM,
) -> Officer:
    """Record (or renew) a user's enforcement certificate (执法证)."""
    _check_certificate_number(certificate_number)
    if valid_until is None:
        raise InvalidInput("valid_until_required", _("A certificate needs a validity end date."),
                           field="valid_until")
    if valid_from and valid_from > valid_until:
        raise InvalidInput("invalid_validity", _("A certificate cannot end before it starts."),
                           field="valid_until")
    taken = Officer.objects.filter(certificate_number=certificate_number).exclude(user=user)
    if taken.exists():
        raise InvalidInput("certificate_taken", _("This certificate number belongs to another officer."),
                           field="certificate_number")
    officer, _created = Officer.objects.update_or_create(
        user=user,
        defaults={"certificate_number": certificate_number, "valid_until": valid_until,
                  "valid_from": valid_from, "status": CertificateStatus.ACTIVE},
    )
    ledger_append(subject=user_ref(user), action="officer.certified", actor=actor,
                  payload={"certificate_number": certificate_number, "valid_until": valid_until.isoformat(),
                           "valid_from": valid_from.isoformat() if valid_from else None})
    return officer


@transaction.atomic
def officer_set_status(*, officer: Officer, status: str, actor: str = SYSTEM, reason: str = "") -> Officer:
    """Suspend, revoke or reinstate a certificate (expiry is never set by hand)."""
    if status not in {CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED, CertificateStatus.REVOKED}:
        raise InvalidInput("invalid_status", _("Unknown certificate status."), field="status")
    previous = officer.status
    officer.status = status
    officer.save(update_fields=["status"])
    ledger_append(subject=user_ref(officer.user), action="officer.status_changed", actor=actor,
                  payload={"certificate_number": officer.certificate_number, "from": previous,
                           "to": status, "reason": reason})
    return officer


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue an API token; returns the row and the secret, which is never stored."""
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=_token_digest(raw))
    ledger_append(subject=user_ref(user), action="token.issued", actor=actor_ref(user),
                  payload={"prefix": prefix, "name": name})
    return token, raw


def token_authenticate(raw: str) -> User | None:
    """The active user a Bearer token belongs to, or None (unknown, revoked, expired, locked)."""
    if not raw or not raw.startswith(f"{TOKEN_PREFIX}_"):
        return None
    token = (ApiToken.objects.select_related("user", "user__unit")
             .filter(digest=_token_digest(raw), revoked_at__isnull=True).first())
    now = timezone.now()
    if token is None or (token.expires_at and token.expires_at <= now):
        return None
    user = token.user
    if not user.is_active or user.is_locked(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        ledger_append(subject=user_ref(token.user), action="token.revoked", actor=actor_ref(token.user),
                      payload={"prefix": token.prefix})


def login_failed(*, username: str) -> User | None:
    """Count a failed login; lock the account after LOCKOUT_ATTEMPTS in a row."""
    with transaction.atomic():
        updated = User.objects.filter(username=username).update(failed_logins=F("failed_logins") + 1)
        if not updated:
            return None
        user = User.objects.select_for_update().get(username=username)
        if user.failed_logins >= settings.LOCKOUT_ATTEMPTS:
            user.locked_until = timezone.now() + dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
            user.failed_logins = 0
            user.save(update_fields=["locked_until", "failed_logins"])
            ledger_append(subject=user_ref(user), action="user.locked", actor=SYSTEM,
                          payload={"until": user.locked_until.isoformat(),
                                   "after_failed_logins": settings.LOCKOUT_ATTEMPTS})
        return user


def login_succeeded(*, user: User) -> None:
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)


def user_get(*, username: str) -> User:
    user = User.objects.filter(username=username).select_related("unit").first()
    if user is None:
        raise NotFound("user_not_found", _("No user named %(name)s.") % {"name": username})
    return user

"""Accounts (账户): units, users with roles, officers with certificates, API tokens."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from sanxiang.accounts.constants import (
    CERTIFICATE_NUMBER_PATTERN,
    CertificateStatus,
    Role,
    UnitKind,
    UnitLevel,
)


class Unit(models.Model):
    """An administrative unit (单位): bureau, legal unit, corps, department or team.

    Units form a tree; `path` ("/city/pudong/") makes subtree queries one indexed
    prefix match.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(max_length=400, unique=True, editable=False)
    region_code = models.CharField(
        _("region code (GB/T 2260)"), max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("Six digits."))],
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")  # 单位
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class User(AbstractUser):
    """A staff user (工作人员) of one unit, with one or more roles."""

    full_name = models.CharField(_("full name"), max_length=50)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="users", null=True)
    failed_logins = models.PositiveIntegerField(_("failed logins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """The role codes held (loaded once per request object)."""
        return frozenset(self.roles.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class UserRole(models.Model):
    """A role held by a user (角色)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="accounts_userrole_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class Officer(models.Model):
    """A certified enforcement officer (执法人员) and his enforcement certificate (执法证)."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="officer")
    certificate_number = models.CharField(
        _("certificate number"), max_length=32, unique=True,
        validators=[RegexValidator(CERTIFICATE_NUMBER_PATTERN, _("6 to 32 ASCII letters and digits."))],
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("certificate status"), max_length=10, default=CertificateStatus.ACTIVE,
        choices=[c for c in CertificateStatus.choices if c[0] != CertificateStatus.EXPIRED],
        help_text=_("Expiry is derived from the validity date."),
    )

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["certificate_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_from__lte=models.F("valid_until")),
                name="accounts_officer_validity_order",
                violation_error_message=_("A certificate cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.certificate_number})"

    def status_on(self, day: dt.date) -> str:
        """Public status on a day: revoked/suspended as recorded, else expired or active."""
        if self.status != CertificateStatus.ACTIVE:
            return self.status
        if day > self.valid_until or (self.valid_from and day < self.valid_from):
            return CertificateStatus.EXPIRED
        return CertificateStatus.ACTIVE

    def is_valid_on(self, day: dt.date) -> bool:
        return self.status_on(day) == CertificateStatus.ACTIVE


class ApiToken(models.Model):
    """An API token (接口令牌). Only its SHA-256 digest is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

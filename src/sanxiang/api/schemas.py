"""Shared API schema pieces: requests refuse unknown fields (API.md: 400 `unknown_field`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from sanxiang.core.identifiers import IdentifierError, validate_id_number, validate_uscc


class RequestSchema(Schema):
    """Base for request bodies: extra fields are rejected."""

    model_config = ConfigDict(extra="forbid")


class Page(Schema):
    total: int
    page: int
    page_size: int


class OfficerRef(Schema):
    id: str
    certificate_number: str


class MeOut(Schema):
    id: str
    username: str
    full_name: str
    roles: list[str]
    unit: str | None
    unit_name: str | None
    officer: OfficerRef | None


class OfficerOut(Schema):
    id: str
    name: str
    certificate_number: str
    unit: str
    unit_name: str
    valid_until: dt.date
    status: str


class OfficerPage(Page):
    items: list[OfficerOut]


class PublicOfficerOut(Schema):
    name: str
    certificate_number: str
    unit: str | None
    unit_name: str | None
    status: str
    valid_until: dt.date


class ErrorBody(Schema):
    code: str
    message: str
    details: dict


class ErrorOut(Schema):
    error: ErrorBody


# --------------------------------------------------------------------------- parties

def _identifier(validate, value: str | None) -> str | None:
    """Run an identifier validator; its error becomes a typed 400 naming the field."""
    if value is None or value == "":
        return None
    try:
        return validate(value, **({"today": timezone.localdate()} if validate is validate_id_number else {}))
    except IdentifierError as err:
        message = err.message_zh if (get_language() or "").startswith("zh") else err.message
        raise PydanticCustomError(err.code, message, {"domain": True}) from None


class PartyIn(RequestSchema):
    """A party (当事人): organization, natural person or individual business (个体工商户)."""

    type: Literal["organization", "person", "individual_business"]
    name: str = Field(min_length=1, max_length=200)
    uscc: str | None = Field(None, description="Unified social credit code (GB 32100)")
    legal_representative: str | None = Field(None, max_length=50)
    id_number: str | None = Field(None, description="Resident ID number (GB 11643)")
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=40)

    @field_validator("uscc")
    @classmethod
    def _check_uscc(cls, value):
        return _identifier(validate_uscc, value)

    @field_validator("id_number")
    @classmethod
    def _check_id_number(cls, value):
        return _identifier(validate_id_number, value)

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise PydanticCustomError("field_required", _("A party needs a name."), {"domain": True})
        return value

    @model_validator(mode="after")
    def _needs_identifier(self):
        if self.type in {"organization", "individual_business"} and not self.uscc:
            raise PydanticCustomError(
                "uscc_required", _("An organization or individual business needs its unified social credit code."),
                {"domain": True, "field": "uscc"})
        if self.type == "person" and not self.id_number:
            raise PydanticCustomError(
                "id_number_required", _("A natural person needs a resident ID number."),
                {"domain": True, "field": "id_number"})
        return self


class PartiesIn(RequestSchema):
    parties: list[PartyIn] = Field(min_length=1, max_length=50)


class PartiesOut(Schema):
    parties: list[dict]

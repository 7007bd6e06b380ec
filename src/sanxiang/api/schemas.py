"""Shared API schema pieces: requests refuse unknown fields (API.md: 400 `unknown_field`)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import ConfigDict


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

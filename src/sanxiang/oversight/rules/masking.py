"""What a staff member who is not handling a complaint sees of the complainant (脱敏). Pure.

The handling staff (the assigned handler and the supervisors of the receiving unit) see the
identity in full; everyone else sees it through these masks (RULES.md R3.1, R3.4).
"""

from __future__ import annotations

from sanxiang.core.identifiers import mask_generic, mask_id_number, mask_person_name, mask_phone


def mask_email(value: str | None) -> str:
    """``zhang.san@example.com`` → ``z********@e**********``: first character of each side kept."""
    if not value:
        return ""
    local, _at, domain = value.partition("@")
    masked_local = mask_generic(local, 1, 0) if len(local) > 1 else "*"
    return f"{masked_local}@{mask_generic(domain, 1, 0) if domain else ''}"


def mask_identity(*, name: str, phone: str, id_number: str, email: str) -> dict[str, str]:
    return {
        "name": mask_person_name(name),
        "phone": mask_phone(phone),
        "id_number": mask_id_number(id_number),
        "email": mask_email(email),
    }

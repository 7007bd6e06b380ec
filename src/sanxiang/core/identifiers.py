"""Identifiers and masking (标识码校验与脱敏). Pure Python: imports nothing from Django.

Validation (RULES.md §9):

* Unified social credit code (统一社会信用代码), GB 32100-2015 — R9.2. Both the code's own
  check character (position 18) and the check character of the embedded organization code
  (组织机构代码, GB 11714, position 17 over positions 9–16) are enforced.
* Resident ID number (公民身份号码), GB 11643-1999 — R9.1. ISO 7064 MOD 11-2 check, and the
  embedded date of birth must be a real calendar date between 1900-01-01 and ``today``.
  The address code is *not* checked against GB/T 2260: codes no longer current stay valid.

Normalization (:func:`normalize_code`) is NFKC (full-width → ASCII), strip surrounding
whitespace, uppercase. Internal whitespace or separators are *not* removed: "9135 0100…"
is refused (``*_charset``) rather than silently repaired, so what is stored is what was
checked.

Failures raise :class:`IdentifierError` (a ``ValueError``) with a stable ``code``, an English
``message`` (a msgid: wrapped in :func:`gettext_noop` so ``makemessages`` extracts it;
Django callers translate with ``gettext(err.message)``) and a Chinese ``message_zh``. A
service turns it into ``core.errors.InvalidInput(err.code, err.message, field=...)``.

Masking (RULES.md §3, R3.1 and R3.4) is for public display and exports; maskers never raise
on malformed input and return ``""`` for ``None``/empty.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

__all__ = [
    "COMPOUND_SURNAMES",
    "ID_CHECK_CHARS",
    "ID_WEIGHTS",
    "MESSAGES",
    "ORG_CODE_WEIGHTS",
    "USCC_CHARSET",
    "USCC_WEIGHTS",
    "IdentifierError",
    "gettext_noop",
    "id_check_char",
    "id_number_sex",
    "is_valid_id_number",
    "is_valid_uscc",
    "mask_bank_account",
    "mask_generic",
    "mask_id_number",
    "mask_person_name",
    "mask_phone",
    "normalize_code",
    "org_code_check_char",
    "uscc_check_char",
    "validate_id_number",
    "validate_uscc",
]


def gettext_noop(message: str) -> str:
    """Mark a msgid for extraction without importing Django (same name as Django's)."""
    return message


# --------------------------------------------------------------------------- errors

#: code → (English msgid, Chinese text). Codes are stable API; texts may be reworded.
MESSAGES: dict[str, tuple[str, str]] = {
    "uscc_length": (
        gettext_noop("A unified social credit code has 18 characters."),
        "统一社会信用代码应为18位。",
    ),
    "uscc_charset": (
        gettext_noop(
            "A unified social credit code may contain only digits and the capital letters "
            "A–Y except I, O, S and V."
        ),
        "统一社会信用代码只能由数字和大写字母组成（不使用I、O、S、V、Z）。",
    ),
    "uscc_check": (
        gettext_noop("The check character of the unified social credit code is wrong."),
        "统一社会信用代码校验码不正确。",
    ),
    "uscc_org_check": (
        gettext_noop(
            "The check character of the organization code inside the unified social credit "
            "code is wrong."
        ),
        "统一社会信用代码中组织机构代码的校验码不正确。",
    ),
    "id_length": (
        gettext_noop(
            "A resident ID number has 18 characters; old 15-digit numbers are not accepted."
        ),
        "公民身份号码应为18位（不接受15位旧号码）。",
    ),
    "id_charset": (
        gettext_noop("A resident ID number has 17 digits followed by a digit or X."),
        "公民身份号码应为17位数字加1位数字或X。",
    ),
    "id_birth_date": (
        gettext_noop("The date of birth in the resident ID number is not valid."),
        "公民身份号码中的出生日期无效。",
    ),
    "id_check": (
        gettext_noop("The check character of the resident ID number is wrong."),
        "公民身份号码校验码不正确。",
    ),
}


class IdentifierError(ValueError):
    """An identifier failed validation.

    ``code`` is one of :data:`MESSAGES`; ``message`` (English msgid) and ``message_zh``
    default to the texts registered for the code.
    """

    def __init__(self, code: str, message: str | None = None, *, message_zh: str | None = None):
        default_en, default_zh = MESSAGES.get(code, (code, code))
        self.code = code
        self.message = message if message is not None else default_en
        self.message_zh = message_zh if message_zh is not None else default_zh
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"IdentifierError({self.code!r}, {self.message!r})"


# ---------------------------------------------------------------------- normalization


def normalize_code(text: str) -> str:
    """NFKC (full-width → ASCII), strip surrounding whitespace, uppercase.

    Internal whitespace, hyphens etc. are kept, so validation refuses them. Raises
    ``TypeError`` for non-strings.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    return unicodedata.normalize("NFKC", text).strip().upper()


# ------------------------------------------------------- GB 32100-2015 (USCC), R9.2

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 chars: no I, O, Z, S, V
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, …, 28

#: GB 11714 organization-code weights over the 8 body characters (USCC positions 9–16).
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _gb11714_value(ch: str) -> int:
    """GB 11714 character value: digits 0–9, letters by alphabet position A=10 … Z=35.

    Not the USCC charset index: there J is 18 (I is skipped), here J is 19.
    """
    if "0" <= ch <= "9":
        return ord(ch) - ord("0")
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    raise IdentifierError("uscc_charset")


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character for an 8-character organization-code body.

    ``c = 11 − (Σ vᵢ·wᵢ mod 11)``; 10 → ``X``, 11 → ``0``.
    """
    body = normalize_code(first8)
    if len(body) != 8:
        raise IdentifierError("uscc_length", "An organization code body has 8 characters.")
    total = sum(_gb11714_value(ch) * w for ch, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _uscc_check(first17: str) -> str:
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    c = 31 - total % 31
    return USCC_CHARSET[0 if c == 31 else c]


def uscc_check_char(first17: str) -> str:
    """Check character (position 18) for the first 17 characters of a USCC.

    ``c = 31 − (Σ vᵢ·3ⁱ mod 31)``, 31 → 0, output ``USCC_CHARSET[c]``. Does not verify the
    embedded organization code; use :func:`org_code_check_char` to build position 17.
    """
    head = normalize_code(first17)
    if any(ch not in _USCC_VALUE for ch in head):
        raise IdentifierError("uscc_charset")
    if len(head) != 17:
        raise IdentifierError("uscc_length", "Give the first 17 characters of the code.")
    return _uscc_check(head)


def validate_uscc(text: str) -> str:
    """Return the normalized USCC or raise :class:`IdentifierError`.

    Checks, in order: ``uscc_charset`` (any character outside :data:`USCC_CHARSET`,
    including an internal space), ``uscc_length`` (not 18), ``uscc_check`` (position 18),
    ``uscc_org_check`` (position 17, GB 11714 over positions 9–16). Registration-authority,
    organization-type and division codes (positions 1–8) are not checked against tables.
    """
    code = normalize_code(text)
    if any(ch not in _USCC_VALUE for ch in code):
        raise IdentifierError("uscc_charset")
    if len(code) != 18:
        raise IdentifierError("uscc_length")
    if _uscc_check(code[:17]) != code[17]:
        raise IdentifierError("uscc_check")
    if org_code_check_char(code[8:16]) != code[16]:
        raise IdentifierError("uscc_org_check")
    return code


def is_valid_uscc(text: object) -> bool:
    """True if :func:`validate_uscc` accepts ``text``; False for non-strings."""
    if not isinstance(text, str):
        return False
    try:
        validate_uscc(text)
    except IdentifierError:
        return False
    return True


# ------------------------------------------- GB 11643-1999 (resident ID number), R9.1

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"  # indexed by Σ mod 11 (ISO 7064 MOD 11-2)
_DIGITS = frozenset("0123456789")
_ID_MIN_BIRTH = date(1900, 1, 1)


def _id_check(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_check_char(first17: str) -> str:
    """Check character (position 18) for the first 17 digits of a resident ID number."""
    head = normalize_code(first17)
    if any(ch not in _DIGITS for ch in head):
        raise IdentifierError("id_charset")
    if len(head) != 17:
        raise IdentifierError("id_length", "Give the first 17 digits of the ID number.")
    return _id_check(head)


def validate_id_number(text: str, *, today: date | None = None) -> str:
    """Return the normalized ID number (``x`` → ``X``) or raise :class:`IdentifierError`.

    Checks, in order: ``id_charset`` (a character other than a digit or X), ``id_length``
    (not 18 — old 15-digit numbers are refused: they carry no check character and every
    holder has been reissued an 18-digit number), ``id_charset`` (X before position 18),
    ``id_birth_date`` (positions 7–14 not a real date, before 1900-01-01 or after ``today``),
    ``id_check``. ``today`` defaults to :meth:`date.today` (server-local); Django callers
    should pass ``timezone.localdate()``.
    """
    number = normalize_code(text)
    if any(ch not in _DIGITS and ch != "X" for ch in number):
        raise IdentifierError("id_charset")
    if len(number) != 18:
        raise IdentifierError("id_length")
    if "X" in number[:17]:
        raise IdentifierError("id_charset")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentifierError("id_birth_date") from None
    if born < _ID_MIN_BIRTH or born > (today or date.today()):
        raise IdentifierError("id_birth_date")
    if _id_check(number[:17]) != number[17]:
        raise IdentifierError("id_check")
    return number


def is_valid_id_number(text: object, *, today: date | None = None) -> bool:
    """True if :func:`validate_id_number` accepts ``text``; False for non-strings."""
    if not isinstance(text, str):
        return False
    try:
        validate_id_number(text, today=today)
    except IdentifierError:
        return False
    return True


def id_number_sex(number: str) -> str:
    """``"male"`` or ``"female"`` from the 17th digit (odd = male); validates first."""
    valid = validate_id_number(number)
    return "male" if int(valid[16]) % 2 else "female"


# --------------------------------------------------------------- masking, R3.1/R3.4


def mask_generic(
    value: str | None, keep_start: int = 0, keep_end: int = 0, *, mask_char: str = "*"
) -> str:
    """Keep ``keep_start`` leading and ``keep_end`` trailing characters, mask the rest.

    Length is preserved. If nothing would be masked (``keep_start + keep_end >= len``) the
    whole value is masked, so a masker never reveals a value in full. No normalization.
    """
    if keep_start < 0 or keep_end < 0:
        raise ValueError("keep_start and keep_end must be >= 0")
    if not value:
        return ""
    n = len(value)
    if keep_start + keep_end >= n:
        return mask_char * n
    return value[:keep_start] + mask_char * (n - keep_start - keep_end) + value[n - keep_end :]


def mask_id_number(value: str | None) -> str:
    """Mask the date of birth (R3.1): ``310101********1234``.

    18 characters: first 6 (address) + 8 ``*`` + last 4. 15 digits (old numbers): first
    6 + 6 ``*`` + last 3. Any other length: only the last 4 are kept. Never validates.
    """
    if not value:
        return ""
    v = normalize_code(value)
    if len(v) == 18:
        return mask_generic(v, 6, 4)
    if len(v) == 15:
        return mask_generic(v, 6, 3)
    return mask_generic(v, 0, 4)


_PHONE_SEPARATORS = re.compile(r"[\s\-()]")
_PHONE_EXTENSION = re.compile(r"^(?P<main>.+?)(?:转|分机|EXT\.?|#|-)(?P<ext>\d{1,6})$")
_COUNTRY_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=1\d{10}$)")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# 010 and 02x are 3-digit area codes, every other 0xxx is 4 digits; local numbers 7–8.
_LANDLINE = re.compile(r"(?P<area>0[12]\d|0[3-9]\d{2})?(?P<local>\d{7,8})")


def mask_phone(value: str | None) -> str:
    """Mask a phone number (R3.1).

    Mobile (optionally ``+86``/``0086``/``86``, which is dropped): ``138****5678``.
    Landline: area code and last 2 digits kept, ``021-******78``; an extension (``-123``,
    ``转123``) is masked entirely. Separators (spaces, hyphens, brackets) are normalized
    away. Anything else: only the last 2 characters are kept.
    """
    if not value:
        return ""
    v = normalize_code(value)
    compact = _PHONE_SEPARATORS.sub("", v)
    mobile = _COUNTRY_PREFIX.sub("", compact)
    if _MOBILE.fullmatch(mobile):
        return mask_generic(mobile, 3, 4)
    if m := _LANDLINE.fullmatch(compact):
        return _mask_landline(m["area"], m["local"], None)
    if (e := _PHONE_EXTENSION.match(v)) and (
        m := _LANDLINE.fullmatch(_PHONE_SEPARATORS.sub("", e["main"]))
    ):
        return _mask_landline(m["area"], m["local"], e["ext"])
    return mask_generic(v, 0, 2)


def _mask_landline(area: str | None, local: str, ext: str | None) -> str:
    masked = mask_generic(local, 0, 2)
    out = f"{area}-{masked}" if area else masked
    return f"{out}-{'*' * len(ext)}" if ext else out


def mask_bank_account(value: str | None) -> str:
    """Keep only the last 4 characters (R3.1): ``***************1234``.

    Spaces and hyphens used for grouping are removed first (else a group would survive).
    """
    if not value:
        return ""
    return mask_generic(_PHONE_SEPARATORS.sub("", normalize_code(value)), 0, 4)


#: Compound surnames (复姓) recognized by :func:`mask_person_name`; simplified and common
#: traditional forms. 单于 is left out on purpose: 单 is a common single surname.
COMPOUND_SURNAMES = frozenset(
    """
    欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木
    西门 南宫 万俟 闻人 澹台 公冶 宗政 濮阳 淳于 太叔 申屠 仲孙 赫连 呼延 百里 东郭 司空
    司寇 左丘 拓跋 第五 独孤 公羊 谷梁 梁丘 段干 闾丘 亓官 羊舌 微生 公良 乐正 巫马 子车
    颛孙 东门 公西 夹谷 宰父 鲜于 乌孙
    歐陽 司馬 諸葛 東方 尉遲 公孫 長孫 軒轅 鍾離 鮮于 聞人 東郭 獨孤
    """.split()  # noqa: SIM905 — a word list reads better than 70 quoted literals
)


def _is_cjk(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK ")


def mask_person_name(name: str | None, pattern: str = "{surname}某") -> str:
    """Mask a natural person's name to surname + 某 (R3.4): 张三 → 张某, 欧阳修文 → 欧阳某.

    * Chinese names: a compound surname from :data:`COMPOUND_SURNAMES` is kept whole when
      the name has at least 3 characters (a 2-character name is always surname + 1 given
      character, so 欧阳 → 欧某); otherwise the first character. A 1-character name is
      taken as the surname (张 → 张某). Names with a separator dot (阿沛·阿旺晋美) keep their
      first character, like any other Chinese name.
    * Other names (Latin script etc.): the first letter or digit, uppercased (John Smith →
      J某); none at all → pattern with an empty surname (某).
    * ``None``/empty/whitespace → ``""``.

    ``pattern`` is configurable (e.g. ``"{surname}某某"``); only the ``{surname}``
    placeholder is substituted (plain replace, never ``str.format`` — patterns come from
    configuration).
    """
    if not name:
        return ""
    n = unicodedata.normalize("NFKC", name).strip()
    if not n:
        return ""
    if _is_cjk(n[0]):
        surname = n[:2] if len(n) >= 3 and n[:2] in COMPOUND_SURNAMES else n[0]
    else:
        surname = next((ch.upper() for ch in n if ch.isalnum()), "")
    return pattern.replace("{surname}", surname)

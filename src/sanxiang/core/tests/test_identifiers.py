"""Tests for sanxiang.core.identifiers — RULES.md §9 (R9.1, R9.2) and §3 (R3.1, R3.4).

Known answers: the four USCC samples and 11010519491231002X are the ones RULES.md R9.1/R9.2
record as verified against GB 32100-2015 / GB 11643-1999.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.core.identifiers import (
    COMPOUND_SURNAMES,
    ID_WEIGHTS,
    MESSAGES,
    USCC_CHARSET,
    USCC_WEIGHTS,
    IdentifierError,
    id_check_char,
    id_number_sex,
    is_valid_id_number,
    is_valid_uscc,
    mask_bank_account,
    mask_generic,
    mask_id_number,
    mask_person_name,
    mask_phone,
    normalize_code,
    org_code_check_char,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
)

USCC_SAMPLES = [
    "91350100M000100Y43",
    "91110000600037341L",
    "91310000717854505W",
    "12100000400000624D",
]
ID_SAMPLE = "11010519491231002X"
TODAY = date(2026, 1, 1)


def _with_char(code: str, pos: int, ch: str) -> str:
    return code[:pos] + ch + code[pos + 1 :]


def _other_char(alphabet: str, ch: str) -> str:
    return next(c for c in alphabet if c != ch)


def _raises(func, text, code, **kwargs):
    with pytest.raises(IdentifierError) as exc:
        func(text, **kwargs)
    assert exc.value.code == code
    return exc.value


# ------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43", id="NFKC-fullwidth"
        ),
        pytest.param("  91350100m000100y43\t\n", "91350100M000100Y43", id="strip-upper"),
        pytest.param(
            "\u300091350100M000100Y43\u3000", "91350100M000100Y43", id="strip-ideographic-space"
        ),
        pytest.param("9135 0100", "9135 0100", id="internal-space-kept"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalize_code(text, expected):
    assert normalize_code(text) == expected


def test_normalize_code_refuses_non_str():
    with pytest.raises(TypeError):
        normalize_code(None)


# ------------------------------------------------------------- GB 32100-2015, R9.2


def test_uscc_weights_are_powers_of_three_mod_31():
    """R9.2: weights 3^i mod 31."""
    assert list(USCC_WEIGHTS) == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert len(USCC_CHARSET) == 31 and not set("IOZSV") & set(USCC_CHARSET)


@pytest.mark.parametrize("code", [pytest.param(c, id=f"GB32100-valid-{c}") for c in USCC_SAMPLES])
def test_uscc_samples_valid(code):
    assert validate_uscc(code) == code
    assert is_valid_uscc(code)
    assert uscc_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("91350100m000100y43", "91350100M000100Y43", id="GB32100-lowercase"),
        pytest.param(
            "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43", id="GB32100-fullwidth"
        ),
        pytest.param(
            "９１１１００００６０００３７３４１ｌ",
            "91110000600037341L",
            id="GB32100-fullwidth-lower",
        ),
        pytest.param(
            "  91310000717854505W  ", "91310000717854505W", id="GB32100-surrounding-space"
        ),
        pytest.param(
            "\u300012100000400000624D\n", "12100000400000624D", id="GB32100-ideographic-space"
        ),
    ],
)
def test_uscc_normalized_forms_accepted(text, expected):
    assert validate_uscc(text) == expected
    assert is_valid_uscc(text)


@pytest.mark.parametrize(
    "text, code",
    [
        pytest.param("", "uscc_length", id="GB32100-length-empty"),
        pytest.param("91350100M000100Y4", "uscc_length", id="GB32100-length-17"),
        pytest.param("91350100M000100Y433", "uscc_length", id="GB32100-length-19"),
        pytest.param("350100M000100Y4", "uscc_length", id="GB32100-length-15"),
        pytest.param("9135 0100M000100Y43", "uscc_charset", id="GB32100-internal-space"),
        pytest.param("91350100-M000100Y43", "uscc_charset", id="GB32100-hyphen"),
        pytest.param("91350100M000100Y4\u200b3", "uscc_charset", id="GB32100-zero-width-space"),
        *[
            pytest.param(
                _with_char("91350100M000100Y43", 8, ch), "uscc_charset", id=f"GB32100-charset-{ch}"
            )
            for ch in "IOZSV"
        ],
        pytest.param("91350100M000100Y4O", "uscc_charset", id="GB32100-charset-O-as-check"),
        pytest.param("91350100M000100Y4４", "uscc_check", id="GB32100-check-fullwidth-wrong"),
        *[
            pytest.param(
                c[:17] + _other_char(USCC_CHARSET, c[17]), "uscc_check", id=f"GB32100-check-{c}"
            )
            for c in USCC_SAMPLES
        ],
    ],
)
def test_uscc_invalid(text, code):
    err = _raises(validate_uscc, text, code)
    assert err.message == MESSAGES[code][0]
    assert not is_valid_uscc(text)


def _break_org_check(code: str) -> str:
    """Change the embedded org check char (position 17) and recompute position 18."""
    head = code[:16] + _other_char("0123456789X", code[16])
    return head + uscc_check_char(head)


@pytest.mark.parametrize(
    "code", [pytest.param(_break_org_check(c), id=f"GB11714-org-check-{c}") for c in USCC_SAMPLES]
)
def test_uscc_embedded_org_check_enforced(code):
    """R9.2: the main check passes but the GB 11714 check char of chars 9–17 is wrong."""
    assert uscc_check_char(code[:17]) == code[17]
    _raises(validate_uscc, code, "uscc_org_check")


@pytest.mark.parametrize(
    "body, check",
    [
        pytest.param("M000100Y", "4", id="GB11714-letters-M22-Y34"),
        pytest.param("60003734", "1", id="GB11714-digits-600037341"),
        pytest.param("71785450", "5", id="GB11714-digits-717854505"),
        pytest.param("40000062", "4", id="GB11714-digits-400000624"),
    ],
)
def test_org_code_check_char(body, check):
    """GB 11714: letters by alphabet position (A=10 … Z=35), not by USCC charset index."""
    assert org_code_check_char(body) == check


def test_org_code_letter_values_are_not_uscc_indices():
    """GB 11714 letter values are alphabet positions (J=19), not USCC charset indices (J=18).

    The recorded samples do not tell the two apart (M000100Y gives 4 either way), so pin it:
    J0000000 → 3·19 = 57, 57 mod 11 = 2, 11 − 2 = 9; with the index 18: 54 mod 11 = 10 → 1.
    """
    assert org_code_check_char("J0000000") == "9"
    first17 = "91310000" + "J0000000" + "9"
    assert validate_uscc(first17 + uscc_check_char(first17)).startswith(first17)
    naive17 = "91310000" + "J0000000" + "1"
    _raises(validate_uscc, naive17 + uscc_check_char(naive17), "uscc_org_check")


def test_org_code_check_char_ten_is_x_eleven_is_zero():
    """R9.2 / GB 11714: c = 11 − (Σ mod 11); c == 10 → X, c == 11 → 0."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)

    def body_with_remainder(r):
        return next(
            b
            for b in (f"{i:08d}" for i in range(1000))
            if sum(int(ch) * w for ch, w in zip(b, weights, strict=True)) % 11 == r
        )

    assert org_code_check_char(body_with_remainder(1)) == "X"
    assert org_code_check_char(body_with_remainder(0)) == "0"


@pytest.mark.parametrize(
    "func, arg, code",
    [
        pytest.param(uscc_check_char, "91350100M000100Y", "uscc_length", id="GB32100-helper-16"),
        pytest.param(uscc_check_char, "91350100M000100Y43", "uscc_length", id="GB32100-helper-18"),
        pytest.param(uscc_check_char, "91350100I000100Y4", "uscc_charset", id="GB32100-helper-I"),
        pytest.param(org_code_check_char, "M000100", "uscc_length", id="GB11714-helper-7"),
        pytest.param(org_code_check_char, "M00-100Y", "uscc_charset", id="GB11714-helper-hyphen"),
    ],
)
def test_uscc_helpers_refuse_bad_input(func, arg, code):
    _raises(func, arg, code)


def test_uscc_check_char_normalizes():
    assert uscc_check_char("９１３５０１００ｍ０００１００ｙ４") == "3"


# -------------------------------------------------------------- GB 11643-1999, R9.1


def test_id_sample_valid():
    """R9.1: verified sample 11010519491231002X."""
    assert validate_id_number(ID_SAMPLE) == ID_SAMPLE
    assert is_valid_id_number(ID_SAMPLE)
    assert id_check_char(ID_SAMPLE[:17]) == "X"
    assert len(ID_WEIGHTS) == 17


def _id(head17: str) -> str:
    return head17 + id_check_char(head17)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("11010519491231002x", ID_SAMPLE, id="GB11643-lowercase-x"),
        pytest.param("１１０１０５１９４９１２３１００２Ｘ", ID_SAMPLE, id="GB11643-fullwidth"),
        pytest.param(
            "１１０１０５１９４９１２３１００２ｘ", ID_SAMPLE, id="GB11643-fullwidth-lower-x"
        ),
        pytest.param(" 11010519491231002X\u3000", ID_SAMPLE, id="GB11643-surrounding-space"),
        pytest.param(
            _id("31010820000229001"), _id("31010820000229001"), id="GB11643-leap-day-2000"
        ),
        pytest.param(
            _id("31023019000101001"), _id("31023019000101001"), id="GB11643-min-1900-old-region"
        ),
        pytest.param(
            _id("99999920260101001"),
            _id("99999920260101001"),
            id="GB11643-born-today-unknown-region",
        ),
    ],
)
def test_id_normalized_forms_accepted(text, expected):
    assert validate_id_number(text, today=TODAY) == expected
    assert is_valid_id_number(text, today=TODAY)


@pytest.mark.parametrize(
    "text, code",
    [
        pytest.param("", "id_length", id="GB11643-length-empty"),
        pytest.param("110105491231002", "id_length", id="GB11643-length-15-old-number"),
        pytest.param("11010519491231002", "id_length", id="GB11643-length-17"),
        pytest.param("11010519491231002X0", "id_length", id="GB11643-length-19"),
        pytest.param("1101051949 1231002X", "id_charset", id="GB11643-internal-space"),
        pytest.param("11010519491231002Y", "id_charset", id="GB11643-letter-Y"),
        pytest.param("1101051949123100X2", "id_charset", id="GB11643-X-not-last"),
        pytest.param("11010519491231002\u0663", "id_charset", id="GB11643-arabic-indic-digit"),
        pytest.param("110105194912310020", "id_check", id="GB11643-check-wrong-digit"),
        pytest.param("110105194912310120", "id_check", id="GB11643-check-seq-changed"),
        pytest.param(_id("11010519990230001"), "id_birth_date", id="GB11643-birth-19990230"),
        pytest.param(
            _id("11010519000229001"), "id_birth_date", id="GB11643-birth-19000229-not-leap"
        ),
        pytest.param(_id("11010519991301001"), "id_birth_date", id="GB11643-birth-month-13"),
        pytest.param(_id("11010519990100001"), "id_birth_date", id="GB11643-birth-day-00"),
        pytest.param(_id("11010518991231001"), "id_birth_date", id="GB11643-birth-before-1900"),
        pytest.param(_id("11010520260102001"), "id_birth_date", id="GB11643-birth-future"),
    ],
)
def test_id_invalid(text, code):
    err = _raises(validate_id_number, text, code, today=TODAY)
    assert err.message_zh == MESSAGES[code][1]
    assert not is_valid_id_number(text, today=TODAY)


def test_id_future_relative_to_today_parameter():
    number = _id("11010520300101001")
    assert not is_valid_id_number(number, today=TODAY)
    assert validate_id_number(number, today=date(2030, 1, 1)) == number


@pytest.mark.parametrize(
    "number, sex",
    [
        pytest.param(ID_SAMPLE, "female", id="GB11643-seq-002-female"),
        pytest.param(_id("11010519491231001"), "male", id="GB11643-seq-001-male"),
        pytest.param(_id("11010519491231019"), "male", id="GB11643-seq-019-male"),
        pytest.param(_id("11010519491231010"), "female", id="GB11643-seq-010-female"),
    ],
)
def test_id_number_sex(number, sex):
    assert id_number_sex(number) == sex


def test_id_number_sex_validates():
    _raises(id_number_sex, "110105194912310020", "id_check")


@pytest.mark.parametrize(
    "arg, code",
    [
        pytest.param("1101051949123100", "id_length", id="GB11643-helper-16"),
        pytest.param(ID_SAMPLE, "id_charset", id="GB11643-helper-18-with-X"),
        pytest.param("110105194912310021", "id_length", id="GB11643-helper-18"),
        pytest.param("1101051949123100A", "id_charset", id="GB11643-helper-letter"),
    ],
)
def test_id_check_char_refuses_bad_input(arg, code):
    _raises(id_check_char, arg, code)


@pytest.mark.parametrize("value", [None, 18, b"11010519491231002X"])
def test_is_valid_refuses_non_str(value):
    assert not is_valid_id_number(value)
    assert not is_valid_uscc(value)


# ------------------------------------------------------------------ properties


@st.composite
def id_numbers(draw):
    region = draw(st.text("0123456789", min_size=6, max_size=6))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.text("0123456789", min_size=3, max_size=3))
    head = f"{region}{born:%Y%m%d}{seq}"
    return head + id_check_char(head)


@given(number=id_numbers(), data=st.data())
def test_id_property_valid_and_single_substitution_fails(number, data):
    """GB 11643 / ISO 7064 MOD 11-2 detects every single-character substitution."""
    assert validate_id_number(number, today=TODAY) == number
    pos = data.draw(st.integers(0, 17), label="pos")
    allowed = "0123456789X" if pos == 17 else "0123456789"
    ch = data.draw(st.sampled_from([c for c in allowed if c != number[pos]]), label="ch")
    assert not is_valid_id_number(_with_char(number, pos, ch), today=TODAY)


@st.composite
def usccs(draw):
    head = draw(st.text(USCC_CHARSET, min_size=8, max_size=8))
    body = draw(st.text(USCC_CHARSET, min_size=8, max_size=8))
    first17 = head + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


@given(code=usccs(), data=st.data())
def test_uscc_property_valid_and_single_substitution_fails(code, data):
    """GB 32100 MOD 31 with weights 3^i detects every single-character substitution."""
    assert validate_uscc(code) == code
    assert validate_uscc(code.lower()) == code
    pos = data.draw(st.integers(0, 17), label="pos")
    ch = data.draw(st.sampled_from([c for c in USCC_CHARSET if c != code[pos]]), label="ch")
    with pytest.raises(IdentifierError) as exc:
        validate_uscc(_with_char(code, pos, ch))
    assert exc.value.code == "uscc_check"


# ------------------------------------------------------------------------- errors


def test_identifier_error_shape():
    err = IdentifierError("uscc_check")
    assert isinstance(err, ValueError)
    assert (err.code, err.message, err.message_zh) == ("uscc_check", *MESSAGES["uscc_check"])
    assert str(err) == err.message
    custom = IdentifierError("id_length", "Custom.", message_zh="自定义。")
    assert (custom.message, custom.message_zh, str(custom)) == ("Custom.", "自定义。", "Custom.")


def test_every_code_has_english_and_chinese_message():
    assert set(MESSAGES) == {
        "uscc_length", "uscc_charset", "uscc_check", "uscc_org_check",
        "id_length", "id_charset", "id_birth_date", "id_check",
    }  # fmt: skip
    for en, zh in MESSAGES.values():
        assert en.endswith(".")
        assert zh.endswith("。")


# ------------------------------------------------------------------------ masking


@pytest.mark.parametrize(
    "name, expected",
    [
        pytest.param("张三", "张某", id="R3.4-two-chars"),
        pytest.param("王小明", "王某", id="R3.4-three-chars"),
        pytest.param("欧阳修文", "欧阳某", id="R3.4-compound-ouyang"),
        pytest.param("诸葛亮", "诸葛某", id="R3.4-compound-zhuge"),
        pytest.param("司马光", "司马某", id="R3.4-compound-sima"),
        pytest.param("上官婉儿", "上官某", id="R3.4-compound-shangguan"),
        pytest.param("歐陽娜娜", "歐陽某", id="R3.4-compound-traditional"),
        pytest.param("欧阳", "欧某", id="R3.4-two-chars-never-compound"),
        pytest.param("单于红", "单某", id="R3.4-shan-not-chanyu"),
        pytest.param("张", "张某", id="R3.4-one-char"),
        pytest.param("  李四 ", "李某", id="R3.4-stripped"),
        pytest.param("阿沛·阿旺晋美", "阿某", id="R3.4-dot-name"),
        pytest.param("John Smith", "J某", id="R3.4-latin"),
        pytest.param("ｊｏｈｎ", "J某", id="R3.4-fullwidth-latin"),
        pytest.param("", "", id="R3.4-empty"),
        pytest.param("   ", "", id="R3.4-blank"),
        pytest.param(None, "", id="R3.4-none"),
    ],
)
def test_mask_person_name(name, expected):
    assert mask_person_name(name) == expected


@pytest.mark.parametrize(
    "pattern, expected",
    [
        pytest.param("{surname}某某", "张某某", id="R3.4-pattern-double"),
        pytest.param("{surname}**", "张**", id="R3.4-pattern-stars"),
        pytest.param("某某", "某某", id="R3.4-pattern-no-surname"),
        pytest.param(
            "{surname.__class__}{0}", "{surname.__class__}{0}", id="R3.4-pattern-not-format"
        ),
    ],
)
def test_mask_person_name_pattern(pattern, expected):
    assert mask_person_name("张三", pattern=pattern) == expected


def test_compound_surnames_are_two_characters():
    assert all(len(s) == 2 for s in COMPOUND_SURNAMES)
    assert {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
            "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木"} <= COMPOUND_SURNAMES  # fmt: skip


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("310101199001011234", "310101********1234", id="R3.1-id-birth-masked"),
        pytest.param(ID_SAMPLE, "110105********002X", id="R3.1-id-X"),
        pytest.param("11010519491231002x", "110105********002X", id="R3.1-id-lower-x"),
        pytest.param(
            "１１０１０５１９４９１２３１００２Ｘ", "110105********002X", id="R3.1-id-fullwidth"
        ),
        pytest.param("110105491231002", "110105******002", id="R3.1-id-15-digit"),
        pytest.param("1234567890", "******7890", id="R3.1-id-other-length"),
        pytest.param("123", "***", id="R3.1-id-short"),
        pytest.param("", "", id="R3.1-id-empty"),
        pytest.param(None, "", id="R3.1-id-none"),
    ],
)
def test_mask_id_number(value, expected):
    assert mask_id_number(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("13812345678", "138****5678", id="R3.1-mobile"),
        pytest.param("138 1234 5678", "138****5678", id="R3.1-mobile-spaced"),
        pytest.param("138-1234-5678", "138****5678", id="R3.1-mobile-hyphens"),
        pytest.param("+86 138 1234 5678", "138****5678", id="R3.1-mobile-plus86"),
        pytest.param("008613812345678", "138****5678", id="R3.1-mobile-0086"),
        pytest.param("１３８１２３４５６７８", "138****5678", id="R3.1-mobile-fullwidth"),
        pytest.param("021-12345678", "021-******78", id="R3.1-landline-shanghai"),
        pytest.param("02112345678", "021-******78", id="R3.1-landline-no-separator"),
        pytest.param("(021)1234-5678", "021-******78", id="R3.1-landline-brackets"),
        pytest.param("（021）12345678", "021-******78", id="R3.1-landline-fullwidth-brackets"),
        pytest.param("010-87654321", "010-******21", id="R3.1-landline-beijing"),
        pytest.param("0571-8888888", "0571-*****88", id="R3.1-landline-4-digit-area-7-local"),
        pytest.param("021-12345678-123", "021-******78-***", id="R3.1-landline-extension"),
        pytest.param("021-12345678转123", "021-******78-***", id="R3.1-landline-zhuan"),
        pytest.param("64321234", "******34", id="R3.1-landline-local-only"),
        pytest.param("12369", "***69", id="R3.1-other-short"),
        pytest.param("+44 20 7946 0958", "**************58", id="R3.1-other-foreign"),
        pytest.param("", "", id="R3.1-phone-empty"),
        pytest.param(None, "", id="R3.1-phone-none"),
    ],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("6222021234567890", "************7890", id="R3.1-bank"),
        pytest.param("6222 0212 3456 7890", "************7890", id="R3.1-bank-grouped"),
        pytest.param("6222-0212-3456-7890", "************7890", id="R3.1-bank-hyphens"),
        pytest.param("1234", "****", id="R3.1-bank-never-in-full"),
        pytest.param("", "", id="R3.1-bank-empty"),
        pytest.param(None, "", id="R3.1-bank-none"),
    ],
)
def test_mask_bank_account(value, expected):
    assert mask_bank_account(value) == expected


@pytest.mark.parametrize(
    "value, start, end, expected",
    [
        pytest.param("abcdefgh", 2, 2, "ab****gh", id="generic-both"),
        pytest.param("abcdefgh", 0, 0, "********", id="generic-none-kept"),
        pytest.param("abcdefgh", 0, 3, "*****fgh", id="generic-end-only"),
        pytest.param("abcdefgh", 3, 0, "abc*****", id="generic-start-only"),
        pytest.param("abcd", 2, 2, "****", id="generic-never-in-full"),
        pytest.param("张三丰", 1, 0, "张**", id="generic-cjk"),
        pytest.param("", 1, 1, "", id="generic-empty"),
        pytest.param(None, 1, 1, "", id="generic-none"),
    ],
)
def test_mask_generic(value, start, end, expected):
    assert mask_generic(value, start, end) == expected


def test_mask_generic_mask_char_and_negative():
    assert mask_generic("abcdef", 1, 1, mask_char="#") == "a####f"
    with pytest.raises(ValueError):
        mask_generic("abc", -1, 0)

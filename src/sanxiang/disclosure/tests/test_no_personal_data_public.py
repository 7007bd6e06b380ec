"""Acceptance: personal data of natural persons never reaches a public surface (RULES.md R3.1–R3.4).

A decision against a natural person whose facts contain his ID number (spelled with spaces),
mobile number, home address, bank card and a third person's name is published; none of these
strings appears in the public API (list, search, detail), the 双公示 export (CSV and JSONL) or
any public log leaf. For an organisation the name and credit code are published.
"""

import io
import json

from django.core.management import call_command

from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicLogLeaf
from sanxiang.disclosure.tests.helpers import (
    ADULT_ID,
    ORG_NAME,
    PUBLIC,
    WITNESS,
    decide_case,
    item_of,
    org_party,
    person_party,
)

PHONE = "13800138000"
HOME = "上海市黄浦区某路8弄3号501室"


def luhn_complete(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits + "0")):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


CARD = luhn_complete("622202100200300400")  # 19 digits, Luhn-valid


def _spaced(number: str) -> str:
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def _public_surfaces(client, public_id: str) -> str:
    """Everything the public can read about decisions, as one text."""
    parts = [
        client.get(f"{PUBLIC}/{public_id}").content.decode(),
        client.get(PUBLIC).content.decode(),
        client.get(PUBLIC, {"q": "李"}).content.decode(),
        client.get(f"{PUBLIC}/{public_id}/proof").content.decode(),
    ]
    for fmt in ("csv", "jsonl"):
        out = io.StringIO()
        call_command("disclosure", "export", "--kind", "penalty", "--format", fmt, stdout=out)
        parts.append(out.getvalue())
    parts += [bytes(leaf).decode() if isinstance(leaf, bytes | memoryview) else str(leaf)
              for leaf in PublicLogLeaf.objects.values_list("leaf", flat=True)]
    return "\n".join(parts)


def test_natural_persons_data_appears_on_no_public_surface(db, client, people):
    facts = (f"当事人李四（公民身份号码{_spaced(ADULT_ID)}，手机{PHONE}，住{HOME}）在其经营场所露天焚烧废弃物，"
             f"违法所得经其银行卡{CARD}收取，现场由{WITNESS}指认。")
    case, _decision = decide_case(people, parties=[person_party()], facts=facts, title="李四露天焚烧废弃物案",
                                  fine="2000.00", conclusion="罚款人民币贰仟元整。")
    item = services.publication_publish(item_id=item_of(case).pk, actor=people["publisher"])
    text = _public_surfaces(client, item.public_id)
    for secret in (ADULT_ID, _spaced(ADULT_ID), PHONE, HOME, CARD, WITNESS, "李四"):
        assert secret not in text, secret
    for fragment in (ADULT_ID[6:14], CARD[-8:], PHONE[3:]):  # partial numbers of 6+ digits
        assert fragment not in text, fragment
    record = json.loads(client.get(f"{PUBLIC}/{item.public_id}").content)["record"]
    assert "李某" in json.dumps(record, ensure_ascii=False)


def test_organisation_name_and_credit_code_are_published(db, client, people):
    case, _decision = decide_case(people, parties=[org_party()])
    item = services.publication_publish(item_id=item_of(case).pk, actor=people["publisher"])
    text = _public_surfaces(client, item.public_id)
    assert ORG_NAME in text
    assert org_party().uscc in text

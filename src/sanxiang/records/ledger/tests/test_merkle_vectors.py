"""Negative (and positive) proof vectors, read from `vectors/*.json`.

The files are written by `scripts/make-merkle-vectors.py` from its own recursive RFC 6962
implementation (checked there against the published reference values), not from
`merkle.py`; each case is `{"desc", "inputs", "want_error"}`, hashes in hex.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanxiang.records.ledger.merkle import (
    ProofError,
    root_from_inclusion_proof,
    verify_consistency,
    verify_inclusion,
)
from sanxiang.records.ledger.tests import reference

VECTORS = Path(__file__).parent / "vectors"


def _cases(name: str) -> list:
    data = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    assert data["hasher"] == "sha256"
    return [pytest.param(case["inputs"], case["want_error"], id=case["desc"]) for case in data["cases"]]


def _hashes(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


@pytest.mark.parametrize("inputs, want_error", _cases("inclusion.json"))
def test_inclusion_vector(inputs, want_error):
    args = (bytes.fromhex(inputs["leaf_hash"]), inputs["index"], inputs["tree_size"],
            _hashes(inputs["proof"]), bytes.fromhex(inputs["root"]))
    if want_error:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)
        assert root_from_inclusion_proof(*args[:4]) == args[4]


@pytest.mark.parametrize("inputs, want_error", _cases("consistency.json"))
def test_consistency_vector(inputs, want_error):
    args = (inputs["first_size"], inputs["second_size"], bytes.fromhex(inputs["first_root"]),
            bytes.fromhex(inputs["second_root"]), _hashes(inputs["proof"]))
    if want_error:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def test_vectors_hold_mostly_failures():
    for name in ("inclusion.json", "consistency.json"):
        cases = json.loads((VECTORS / name).read_text(encoding="utf-8"))["cases"]
        assert sum(case["want_error"] for case in cases) > len(cases) / 2, name


def test_vector_files_are_what_the_script_writes():
    """Regenerate with `python scripts/make-merkle-vectors.py` after changing the script."""
    script = reference.load()
    for name, data in script.build().items():
        assert (VECTORS / name).read_text(encoding="utf-8") == script.dump(data), name

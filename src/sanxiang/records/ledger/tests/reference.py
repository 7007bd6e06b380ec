"""The independent RFC 6962 implementation inside `scripts/make-merkle-vectors.py`.

Tests compare `merkle.py` against it (it is written from the recursive definitions of
RFC 6962 §2.1, `merkle.py` from RFC 9162's iterative algorithms). Skips when the script is
not beside the source tree (e.g. an installed package).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[5] / "scripts" / "make-merkle-vectors.py"


@functools.cache
def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_merkle_vectors", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load() -> ModuleType:
    if not SCRIPT.exists():
        pytest.skip(f"{SCRIPT} is not there (not a source checkout)")
    return _load()

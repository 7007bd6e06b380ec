"""An outsider's client and verifier for the public transparency log (API.md "Public API").

Written as someone outside the project would write it: HTTP through `urllib`, JSON and base64
from the standard library, and every RFC 6962 computation done by third-party libraries:

* **pymerkle** (PyPI `pymerkle`, GPL-3.0-or-later, fmerg/pymerkle): leaf hashes, the tree
  hash of the downloaded leaves (its `InmemoryTree`) and inclusion-proof verification
  (`verify_inclusion`).
* **tlog-scales** (PyPI `tlog-scales`, Apache-2.0, florolf/tlog-scales): inclusion and
  consistency verification, a literal transcription of RFC 9162 §2.1.3.2 / §2.1.4.2 (the
  same proofs as RFC 6962 §2.1.1 / §2.1.2).
* **PyNaCl** (libsodium): the Ed25519 signature of the tree head.

Nothing here imports `sanxiang` (nor `cryptography`, which the project signs with);
`test_the_outsider_imports_nothing_of_the_project` keeps it that way. The adapters below only
move the API's hex strings into the libraries' proof objects; no hash is computed here.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request

import nacl.signing
from pymerkle import InclusionProof as PymerkleInclusionProof
from pymerkle import InmemoryTree
from pymerkle import verify_inclusion as pymerkle_verify_inclusion
from pymerkle.core import _inclusion_path_layout
from pymerkle.hasher import MerkleHasher
from tlog_scales.tiles import leaf_hash as tlog_leaf_hash
from tlog_scales.tlog import ConsistencyProof as TlogConsistencyProof
from tlog_scales.tlog import InclusionProof as TlogInclusionProof

LOG = "/api/public/v1/log"
PAGE = 1000  # API.md: at most 1000 entries per call

# --------------------------------------------------------------------------- HTTP


def get_json(base_url: str, path: str, **params: object) -> dict:
    url = base_url.rstrip("/") + path
    if params:
        url += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200:
            raise AssertionError(f"GET {url}: HTTP {response.status}")
        return json.load(response)


def fetch_head(base_url: str) -> dict:
    """`GET log/head`: `{"tree_size", "root_hash", "timestamp", "signature", "public_key", "algorithm"}`."""
    return get_json(base_url, f"{LOG}/head")


def fetch_leaves(base_url: str, tree_size: int) -> list[bytes]:
    """`GET log/entries` in pages: the exact bytes of leaves 0 … tree_size - 1."""
    leaves: list[bytes] = []
    for start in range(0, tree_size, PAGE):
        end = min(start + PAGE, tree_size) - 1
        entries = get_json(base_url, f"{LOG}/entries", start=start, end=end)["entries"]
        if [e["index"] for e in entries] != list(range(start, end + 1)):
            raise AssertionError(f"entries {start}..{end}: got indices {[e['index'] for e in entries]}")
        leaves += [base64.b64decode(e["leaf"], validate=True) for e in entries]
    return leaves


def fetch_consistency(base_url: str, first: int, second: int) -> list[bytes]:
    """`GET log/consistency`: the RFC 6962 consistency proof, as bytes."""
    proof = get_json(base_url, f"{LOG}/consistency", first=first, second=second)["proof"]
    return [bytes.fromhex(h) for h in proof]


# --------------------------------------------------------------------------- the signed head


def head_message(head: dict) -> bytes:
    """What API.md says the signature covers: UTF-8 `"{tree_size}\\n{root_hash}\\n{timestamp}\\n"`."""
    return f"{head['tree_size']}\n{head['root_hash']}\n{head['timestamp']}\n".encode()


def verify_head(head: dict, pinned_public_key: bytes) -> None:
    """PyNaCl checks the Ed25519 signature with the key the verifier pinned beforehand.

    Raises `nacl.exceptions.BadSignatureError` on a bad signature, `AssertionError` when the
    head names another algorithm or key.
    """
    if head.get("algorithm") != "ed25519":
        raise AssertionError(f"unexpected algorithm {head.get('algorithm')!r}")
    if base64.b64decode(head["public_key"], validate=True) != pinned_public_key:
        raise AssertionError("the head names a key other than the pinned one")
    signature = base64.b64decode(head["signature"], validate=True)
    nacl.signing.VerifyKey(pinned_public_key).verify(head_message(head), signature)


# --------------------------------------------------------------------------- pymerkle


def pymerkle_tree(leaves: list[bytes]) -> InmemoryTree:
    """pymerkle's RFC 6962 tree (SHA-256, 0x00/0x01 prefixes: its default "security" mode)."""
    tree = InmemoryTree(algorithm="sha256")
    for leaf in leaves:
        tree.append_entry(leaf)
    return tree


def pymerkle_root(leaves: list[bytes], tree_size: int | None = None) -> bytes:
    """MTH of the first `tree_size` leaves (all by default), computed by pymerkle."""
    return pymerkle_tree(leaves).get_root(tree_size)


def pymerkle_leaf_hash(leaf: bytes) -> bytes:
    return MerkleHasher("sha256").hash_buff(leaf)


def pymerkle_check_inclusion(leaf: bytes, index: int, tree_size: int, audit_path: list[bytes],
                             root: bytes) -> None:
    """pymerkle verifies an RFC 6962 audit path; raises `pymerkle.InvalidProof`.

    Adapter: pymerkle's proof carries the leaf hash first, then the RFC 6962 audit path
    (siblings bottom-up, identical to RFC 6962 §2.1.1 PATH), with 1-based leaf indices and
    a `rule` of left/right bits. The rule is a function of (index, size) alone, taken from
    pymerkle's own `_inclusion_path_layout` (the function its `verify` recomputes and
    compares against, so a wrong one cannot slip through); pymerkle then checks the path
    length, the digest sizes, the base hash and the root.
    """
    rule, _ranges = _inclusion_path_layout(index + 1, tree_size)
    base = pymerkle_leaf_hash(leaf)
    proof = PymerkleInclusionProof("sha256", True, tree_size, index + 1, rule, [base, *audit_path])
    pymerkle_verify_inclusion(base, root, proof, index=index + 1, size=tree_size, algorithm="sha256")


# --------------------------------------------------------------------------- tlog-scales


def tlog_check_inclusion(leaf: bytes, index: int, tree_size: int, audit_path: list[bytes],
                         root: bytes) -> None:
    """tlog-scales verifies the audit path (RFC 9162 §2.1.3.2); raises `InclusionProofInvalid`."""
    TlogInclusionProof(index, tree_size, list(audit_path)).check(tlog_leaf_hash(leaf), root)


def tlog_check_consistency(first: int, second: int, proof: list[bytes], first_root: bytes,
                           second_root: bytes) -> None:
    """tlog-scales verifies a consistency proof (RFC 9162 §2.1.4.2); raises `ConsistencyProofInvalid`."""
    TlogConsistencyProof(first, second, list(proof)).check(first_root, second_root)

#!/usr/bin/env python3
"""Write the Merkle proof test vectors of `sanxiang.records.ledger` (RFC 6962 §2.1).

    python scripts/make-merkle-vectors.py          # (re)write the JSON files
    python scripts/make-merkle-vectors.py --check  # exit 1 if they are out of date

Writes `src/sanxiang/records/ledger/tests/vectors/{inclusion,consistency}.json`: valid
proofs and corrupted ones (wrong index or size, wrong leaf or root, a flipped bit, a hash
added, removed or swapped), each `{"desc", "inputs", "want_error"}`.

Independence: nothing here imports the module under test. Proofs and roots come from the
recursive definitions of RFC 6962 §2.1 (MTH, PATH, PROOF/SUBPROOF) over the whole leaf
list, and `want_error` from verifiers that rebuild the tree shape recursively from those
same definitions (not the bit arithmetic of RFC 9162 that `merkle.py` uses). Before
writing, the roots and proofs of the 8 reference leaves are checked against the values
published with the transparency-dev/merkle reference implementation (testonly/constants.go,
proof/verify_test.go), a second, independent RFC 6962 implementation.

Stdlib only; deterministic (no randomness, no clock).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "src" / "sanxiang" / "records" / "ledger" / "tests" / "vectors"

# The leaf inputs of the RFC 6962 reference tests (transparency-dev/merkle, testonly).
REFERENCE_LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
)]
# Their roots for sizes 1..8, as published with that implementation.
REFERENCE_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# (leaf index, tree size) -> audit path, and (m, n) -> consistency proof, as published.
REFERENCE_INCLUSION = {
    (0, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (5, 8): ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
    (2, 3): ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    (1, 5): ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
}
REFERENCE_CONSISTENCY = {
    (1, 1): [],
    (1, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
    (2, 5): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
    (6, 7): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}

# A second, larger tree: 37 leaves "sanxiang-vector-<i>" (ASCII), so that proofs cross
# several incomplete right edges.
BIG_LEAVES = [f"sanxiang-vector-{i}".encode() for i in range(37)]

EMPTY = hashlib.sha256(b"").digest()
SOME_HASH = hashlib.sha256(b"sanxiang: some other hash").digest()


# ----------------------------------------------------------- RFC 6962 §2.1, recursively


def leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) over leaf *data*."""
    if not leaves:
        return EMPTY
    if len(leaves) == 1:
        return leaf(leaves[0])
    k = split(len(leaves))
    return node(mth(leaves[:k]), mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n])."""
    if len(leaves) == 1:
        return []
    k = split(len(leaves))
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b)."""
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = split(n)
    if m <= k:
        return subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def proof(m: int, leaves: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]); empty for m = 0 (nothing to prove) and m = n."""
    return [] if m == 0 else subproof(m, leaves, True)


def _hashes_ok(*hashes: bytes) -> bool:
    return all(len(h) == 32 for h in hashes)


def inclusion_ok(leaf_hash: bytes, index: int, size: int, audit: list[bytes], root: bytes) -> bool:
    """Does `audit` prove `leaf_hash` at `index` under `root`? The tree shape is rebuilt
    from PATH's recursion, consuming the path from its top (last) element."""
    if not (_hashes_ok(leaf_hash, root, *audit) and 0 <= index < size):
        return False

    def rebuild(index: int, size: int, rest: list[bytes]) -> bytes | None:
        if size == 1:
            return None if rest else leaf_hash
        if not rest:
            return None
        k = split(size)
        if index < k:
            below = rebuild(index, k, rest[:-1])
            return None if below is None else node(below, rest[-1])
        below = rebuild(index - k, size - k, rest[:-1])
        return None if below is None else node(rest[-1], below)

    return rebuild(index, size, list(audit)) == root


def consistency_ok(m: int, n: int, first: bytes, second: bytes, cons: list[bytes]) -> bool:
    """Does `cons` prove the tree (n, second) extends (m, first)? Both roots are rebuilt
    from SUBPROOF's recursion. Size 0 is extended by every tree, with the empty root."""
    if not (_hashes_ok(first, second, *cons) and 0 <= m <= n):
        return False
    if m == 0:
        return not cons and first == EMPTY and (n > 0 or second == EMPTY)
    if m == n:
        return not cons and first == second

    def rebuild(m: int, n: int, b: bool, rest: list[bytes]) -> tuple[bytes, bytes] | None:
        if m == n:
            if b:
                return None if rest else (first, first)
            return (rest[0], rest[0]) if len(rest) == 1 else None
        if not rest:
            return None
        k = split(n)
        if m <= k:
            below = rebuild(m, k, b, rest[:-1])
            return None if below is None else (below[0], node(below[1], rest[-1]))
        below = rebuild(m - k, n - k, False, rest[:-1])
        if below is None:
            return None
        return node(rest[-1], below[0]), node(rest[-1], below[1])

    return rebuild(m, n, True, list(cons)) == (first, second)


# ----------------------------------------------------------- cross-check, then cases


def cross_check() -> None:
    """Fail loudly unless this file's RFC 6962 agrees with the published reference values."""
    leaves = REFERENCE_LEAVES
    for size, want in REFERENCE_ROOTS.items():
        assert mth(leaves[:size]).hex() == want, f"root of size {size}"
    for (index, size), want in REFERENCE_INCLUSION.items():
        assert [h.hex() for h in path(index, leaves[:size])] == want, f"path {index}/{size}"
    for (m, n), want in REFERENCE_CONSISTENCY.items():
        assert [h.hex() for h in proof(m, leaves[:n])] == want, f"proof {m}/{n}"
    assert mth([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def _flip(h: bytes, bit: int) -> bytes:
    return bytes([h[0] ^ (1 << bit)]) + h[1:]


def inclusion_case(desc: str, leaf_hash: bytes, index: int, size: int, audit: list[bytes],
                   root: bytes) -> dict:
    return {
        "desc": desc,
        "inputs": {"leaf_hash": leaf_hash.hex(), "index": index, "tree_size": size,
                   "proof": [h.hex() for h in audit], "root": root.hex()},
        "want_error": not inclusion_ok(leaf_hash, index, size, audit, root),
    }


def consistency_case(desc: str, m: int, n: int, first: bytes, second: bytes,
                     cons: list[bytes]) -> dict:
    return {
        "desc": desc,
        "inputs": {"first_size": m, "second_size": n, "first_root": first.hex(),
                   "second_root": second.hex(), "proof": [h.hex() for h in cons]},
        "want_error": not consistency_ok(m, n, first, second, cons),
    }


def _note_accepted(case: dict) -> dict:
    """A changed size can keep the proof's shape (e.g. leaf 1 of 3 vs of 4): the proof then
    still leads to the given root and verifies. Proofs bind leaf and root; the size is
    bound by the signed tree head. Say so in the case instead of hiding it."""
    if not case["want_error"]:
        case["desc"] += " (accepted: same proof shape; the signed tree head binds the size)"
    return case


def inclusion_corruptions(name: str, leaves: list[bytes], index: int, size: int) -> list[dict]:
    lh, audit, root = leaf(leaves[index]), path(index, leaves[:size]), mth(leaves[:size])
    p = f"{name} leaf {index} of {size}"
    out = [
        inclusion_case(f"{p}: index - 1", lh, index - 1, size, audit, root),
        inclusion_case(f"{p}: index + 1", lh, index + 1, size, audit, root),
        inclusion_case(f"{p}: index ^ 2", lh, index ^ 2, size, audit, root),
        inclusion_case(f"{p}: tree_size * 2", lh, index, size * 2, audit, root),
        inclusion_case(f"{p}: tree_size // 2", lh, index, size // 2, audit, root),
        inclusion_case(f"{p}: tree_size + 1", lh, index, size + 1, audit, root),
        inclusion_case(f"{p}: wrong leaf (not a hash)", b"WrongLeaf", index, size, audit, root),
        inclusion_case(f"{p}: leaf data instead of its hash",
                       hashlib.sha256(leaves[index]).digest(), index, size, audit, root),
        inclusion_case(f"{p}: empty-tree root", lh, index, size, audit, EMPTY),
        inclusion_case(f"{p}: some other root", lh, index, size, audit, SOME_HASH),
        inclusion_case(f"{p}: trailing empty string", lh, index, size, [*audit, b""], root),
        inclusion_case(f"{p}: trailing root", lh, index, size, [*audit, root], root),
        inclusion_case(f"{p}: preceding empty string", lh, index, size, [b"", *audit], root),
        inclusion_case(f"{p}: preceding root", lh, index, size, [root, *audit], root),
        inclusion_case(f"{p}: root flipped bit 0", lh, index, size, audit, _flip(root, 0)),
        inclusion_case(f"{p}: leaf flipped bit 7", _flip(lh, 7), index, size, audit, root),
    ]
    for i in range(len(audit)):
        bad = [*audit]
        bad[i] = _flip(bad[i], 3)
        out.append(inclusion_case(f"{p}: proof[{i}] flipped bit 3", lh, index, size, bad, root))
    if audit:
        out.append(inclusion_case(f"{p}: last hash removed", lh, index, size, audit[:-1], root))
    if len(audit) > 1:
        out.append(inclusion_case(f"{p}: hash inserted", lh, index, size,
                                  [audit[0], SOME_HASH, *audit[1:]], root))
        out.append(inclusion_case(f"{p}: first two swapped", lh, index, size,
                                  [audit[1], audit[0], *audit[2:]], root))
    return [_note_accepted(case) for case in out]


def consistency_corruptions(name: str, leaves: list[bytes], m: int, n: int) -> list[dict]:
    r1, r2, cons = mth(leaves[:m]), mth(leaves[:n]), proof(m, leaves[:n])
    p = f"{name} {m} -> {n}"
    out = [
        consistency_case(f"{p}: first_size - 1", m - 1, n, r1, r2, cons),
        consistency_case(f"{p}: first_size + 1", m + 1, n, r1, r2, cons),
        consistency_case(f"{p}: first_size ^ 2", m ^ 2, n, r1, r2, cons),
        consistency_case(f"{p}: second_size * 2", m, n * 2, r1, r2, cons),
        consistency_case(f"{p}: second_size // 2", m, n // 2, r1, r2, cons),
        consistency_case(f"{p}: second_size + 1", m, n + 1, r1, r2, cons),
        consistency_case(f"{p}: first root not a hash", m, n, b"WrongRoot", r2, cons),
        consistency_case(f"{p}: second root not a hash", m, n, r1, b"WrongRoot", cons),
        consistency_case(f"{p}: first root flipped bit 0", m, n, _flip(r1, 0), r2, cons),
        consistency_case(f"{p}: second root flipped bit 0", m, n, r1, _flip(r2, 0), cons),
        consistency_case(f"{p}: roots swapped", m, n, r2, r1, cons),
        consistency_case(f"{p}: sizes swapped", n, m, r1, r2, cons),
        consistency_case(f"{p}: empty proof", m, n, r1, r2, []),
        consistency_case(f"{p}: trailing empty string", m, n, r1, r2, [*cons, b""]),
        consistency_case(f"{p}: trailing first root", m, n, r1, r2, [*cons, r1]),
        consistency_case(f"{p}: trailing second root", m, n, r1, r2, [*cons, r2]),
        consistency_case(f"{p}: preceding empty string", m, n, r1, r2, [b"", *cons]),
        consistency_case(f"{p}: preceding first root", m, n, r1, r2, [r1, *cons]),
        consistency_case(f"{p}: preceding second root", m, n, r1, r2, [r2, *cons]),
        consistency_case(f"{p}: proof[0] repeated", m, n, r1, r2, [cons[0], *cons]),
        consistency_case(f"{p}: last hash removed", m, n, r1, r2, cons[:-1]),
    ]
    for i in range(len(cons)):
        bad = [*cons]
        bad[i] = _flip(bad[i], 4)
        out.append(consistency_case(f"{p}: proof[{i}] flipped bit 4", m, n, r1, r2, bad))
    if len(cons) > 1:
        out.append(consistency_case(f"{p}: first two swapped", m, n, r1, r2,
                                    [cons[1], cons[0], *cons[2:]]))
    return [_note_accepted(case) for case in out]


def inclusion_vectors() -> list[dict]:
    ref, big = REFERENCE_LEAVES, BIG_LEAVES
    cases = []
    for size in range(1, 9):
        for index in range(size):
            cases.append(inclusion_case(f"rfc6962 leaf {index} of {size}: valid", leaf(ref[index]),
                                        index, size, path(index, ref[:size]), mth(ref[:size])))
    for index, size in [(0, 37), (1, 37), (17, 37), (31, 37), (32, 37), (35, 37), (36, 37),
                        (0, 32), (31, 32), (24, 25)]:
        cases.append(inclusion_case(f"big leaf {index} of {size}: valid", leaf(big[index]),
                                    index, size, path(index, big[:size]), mth(big[:size])))
    for index, size in [(0, 1), (0, 2), (1, 3), (2, 3), (1, 5), (4, 5), (0, 8), (5, 8), (7, 8)]:
        cases += inclusion_corruptions("rfc6962", ref, index, size)
    for index, size in [(0, 37), (17, 37), (36, 37), (31, 32), (24, 25)]:
        cases += inclusion_corruptions("big", big, index, size)
    # Degenerate inputs (from the reference verifier's probes).
    lh0 = leaf(ref[0])
    for index, size in [(0, 0), (1, 0), (1, 1), (2, 1), (-1, 1)]:
        cases.append(inclusion_case(f"index {index}, tree size {size}, empty proof",
                                    lh0, index, size, [], lh0))
    cases.append(inclusion_case("single leaf: empty leaf hash", b"", 0, 1, [], lh0))
    cases.append(inclusion_case("single leaf: empty root", lh0, 0, 1, [], b""))
    cases.append(inclusion_case("single leaf: leaf is root", lh0, 0, 1, [], lh0))
    return cases


def consistency_vectors() -> list[dict]:
    ref, big = REFERENCE_LEAVES, BIG_LEAVES
    cases = []
    for n in range(0, 9):
        for m in range(0, n + 1):
            cases.append(consistency_case(f"rfc6962 {m} -> {n}: valid", m, n, mth(ref[:m]),
                                          mth(ref[:n]), proof(m, ref[:n])))
    for m, n in [(1, 37), (13, 37), (16, 37), (32, 37), (33, 37), (36, 37), (31, 32), (7, 25)]:
        cases.append(consistency_case(f"big {m} -> {n}: valid", m, n, mth(big[:m]),
                                      mth(big[:n]), proof(m, big[:n])))
    for m, n in [(1, 2), (1, 8), (2, 5), (3, 7), (4, 8), (6, 7), (6, 8), (7, 8)]:
        cases += consistency_corruptions("rfc6962", ref, m, n)
    for m, n in [(13, 37), (32, 37), (36, 37), (7, 25)]:
        cases += consistency_corruptions("big", big, m, n)
    # Degenerate inputs (from the reference verifier's probes).
    r1, r3 = mth(ref[:1]), mth(ref[:3])
    cases += [
        consistency_case("0 -> 0: empty roots, empty proof", 0, 0, EMPTY, EMPTY, []),
        consistency_case("0 -> 3: empty root, empty proof", 0, 3, EMPTY, r3, []),
        consistency_case("0 -> 3: non-empty first root", 0, 3, r1, r3, []),
        consistency_case("0 -> 3: proof not empty", 0, 3, EMPTY, r3, [EMPTY]),
        consistency_case("0 -> 0: different roots", 0, 0, EMPTY, r1, []),
        consistency_case("1 -> 1: different roots", 1, 1, r1, r3, []),
        consistency_case("1 -> 1: equal roots, proof not empty", 1, 1, r1, r1, [EMPTY]),
        consistency_case("1 -> 0: time travel", 1, 0, r1, EMPTY, []),
        consistency_case("3 -> 1: time travel", 3, 1, r3, r1, []),
        consistency_case("-1 -> 3: negative size", -1, 3, r1, r3, []),
        consistency_case("1 -> 3: empty proof", 1, 3, r1, r3, []),
    ]
    return cases


def build() -> dict[str, dict]:
    cross_check()
    header = {
        "generator": "scripts/make-merkle-vectors.py",
        "hasher": "sha256",
        "spec": "RFC 6962 §2.1 (leaf 0x00, node 0x01); hashes are hex; proofs leaf level first",
    }
    return {
        "inclusion.json": {**header, "cases": inclusion_vectors()},
        "consistency.json": {**header, "cases": consistency_vectors()},
    }


def dump(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=VECTORS, help="output folder")
    args = parser.parse_args(argv)
    stale = []
    for name, data in build().items():
        target = args.out / name
        text = dump(data)
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        bad = sum(case["want_error"] for case in data["cases"])
        print(f"{target}: {len(data['cases'])} cases, {bad} with want_error")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run scripts/make-merkle-vectors.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

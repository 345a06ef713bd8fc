"""Canonical JSON: the vectors `core` publishes (both suites read the same file), and properties."""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradai_client import CanonicalJsonError, StrictJsonError, canonical_json, content_hash, parse_strict_json
from tradai_client.canonical import sha256_hex

VECTORS_FILE = Path(__file__).resolve().parents[3] / "packages" / "core" / "test" / "vectors" / "canonical-json.json"
VECTORS = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))["vectors"]
CANONICAL = [v for v in VECTORS if "canonical" in v]
REFUSED = [v for v in VECTORS if "refused" in v]


def test_the_shared_file_has_vectors_of_both_kinds() -> None:
    assert len(CANONICAL) >= 15
    assert len(REFUSED) >= 5
    names = " ".join(v["name"] for v in CANONICAL)
    for topic in ("float", "non-ASCII", "nesting"):
        assert topic in names


@pytest.mark.parametrize("vector", CANONICAL, ids=[v["name"] for v in CANONICAL])
def test_hashes_like_core(vector: dict[str, str]) -> None:
    value = parse_strict_json(vector["input"])
    assert canonical_json(value) == vector["canonical"]
    assert content_hash(value) == vector["sha256"]
    assert sha256_hex(vector["canonical"]) == vector["sha256"]


@pytest.mark.parametrize("vector", REFUSED, ids=[v["name"] for v in REFUSED])
def test_refuses_like_core(vector: dict[str, str]) -> None:
    with pytest.raises(StrictJsonError) as refused:
        parse_strict_json(vector["input"])
    assert vector["refused"] in str(refused.value)
    assert refused.value.kind == "meaning"


def test_refuses_values_with_no_json_form() -> None:
    for bad in (math.nan, math.inf, {1: "a"}, {"s": {1, 2}}, "x\ud800", 2**53 + 1):
        with pytest.raises(CanonicalJsonError):
            canonical_json(bad)
    with pytest.raises(StrictJsonError) as syntax:
        parse_strict_json("{")
    assert syntax.value.kind == "syntax"
    with pytest.raises(StrictJsonError):
        parse_strict_json('{"n": NaN}')


def test_bool_is_not_a_number_and_tuples_are_arrays() -> None:
    assert canonical_json({"a": True, "b": 1, "c": (1, 2.0)}) == '{"a":true,"b":1,"c":[1,2]}'


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(2**53), 2**53)
    | st.text(st.characters(exclude_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, derandomize=True)
@given(json_values)
def test_canonical_text_is_a_fixed_point(value: object) -> None:
    """Parsing the canonical text and writing it again gives the same text (and so the same hash)."""
    text = canonical_json(value)
    again = parse_strict_json(text)
    assert canonical_json(again) == text
    assert content_hash(again) == content_hash(value)


@settings(max_examples=2000, derandomize=True)
@given(st.integers(0, 2**64 - 1))
def test_every_double_reads_back_exactly(bits: int) -> None:
    """Each finite double's text parses back to the same double (shortest round-trip, ECMAScript layout)."""
    (x,) = struct.unpack(">d", bits.to_bytes(8, "big"))
    if not math.isfinite(x):
        return
    text = canonical_json(x)
    assert float(text) == x or (x == 0 and text == "0")
    assert "e" not in text or ("e+" in text or "e-" in text)  # ECMAScript always signs the exponent

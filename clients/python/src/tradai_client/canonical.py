"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) and content hashes.

The platform hashes every config as SHA-256 of its canonical JSON: object keys sorted by UTF-16
code units, no whitespace, numbers in ECMAScript's shortest round-trip form, strings escaped as
``JSON.stringify`` does. A worker checks each config it receives against that hash, so this module
must agree with the server byte for byte; the test vectors in ``packages/core/test/vectors`` prove it.

``parse_strict_json`` refuses what has no single canonical meaning, as the server does: duplicate
keys, numbers a double cannot hold as written, ``__proto__``/``constructor``/``prototype`` keys,
lone UTF-16 surrogates and nesting deeper than 32 levels.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from decimal import Decimal
from typing import Any

__all__ = [
    "CanonicalJsonError",
    "StrictJsonError",
    "canonical_json",
    "content_hash",
    "parse_strict_json",
    "sha256_hex",
]

MAX_JSON_DEPTH = 32
FORBIDDEN_KEYS = frozenset({"__proto__", "constructor", "prototype"})
_MAX_EXACT = 2**53
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class CanonicalJsonError(ValueError):
    """The value has no canonical JSON form (NaN, an inexact integer, a lone surrogate, a set, ...)."""


class StrictJsonError(ValueError):
    """JSON text refused: ``kind`` is ``syntax`` (not JSON) or ``meaning`` (no single canonical meaning)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _number(value: float | int) -> str:
    """ECMAScript's Number::toString: the shortest digits that read back as the same double."""
    if isinstance(value, int):
        if abs(value) > _MAX_EXACT and float(value) != value:
            raise CanonicalJsonError(f"{value} cannot be held exactly by a double (beyond 2^53)")
        value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise CanonicalJsonError(f"{value} has no JSON form")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr() gives the shortest round-trip digits (David Gay); Decimal splits them from the exponent.
    digits_tuple, exponent = Decimal(repr(abs(value))).as_tuple()[1:]
    digits = "".join(map(str, digits_tuple)).rstrip("0") or "0"
    stripped = len("".join(map(str, digits_tuple))) - len(digits)
    k = len(digits)
    n = int(exponent) + stripped + k  # value = 0.digits * 10^n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def _string(value: str) -> str:
    if _LONE_SURROGATE.search(value):
        raise CanonicalJsonError(f"{value!r} contains a lone UTF-16 surrogate, which is not Unicode text")
    # Same escapes as JSON.stringify: \b \f \n \r \t \" \\ and \u00xx for other control characters.
    return json.dumps(value, ensure_ascii=False)


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be")


def _write(value: Any, out: list[str], depth: int) -> None:
    if depth > MAX_JSON_DEPTH + 1:
        raise CanonicalJsonError(f"nesting deeper than {MAX_JSON_DEPTH} levels")
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, (int, float)):
        out.append(_number(value))
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out, depth + 1)
        out.append("]")
    elif isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise CanonicalJsonError(f"object keys must be strings, not {type(key).__name__} ({key!r})")
        out.append("{")
        for i, key in enumerate(sorted(value, key=_utf16_key)):
            if i:
                out.append(",")
            out.append(_string(key))
            out.append(":")
            _write(value[key], out, depth + 1)
        out.append("}")
    else:
        raise CanonicalJsonError(f"a {type(value).__name__} has no JSON form")


def canonical_json(value: Any) -> str:
    """The RFC 8785 text of ``value``: ``canonical_json({"b": 1, "a": [1.0, "x"]}) == '{"a":[1,"x"],"b":1}'``."""
    out: list[str] = []
    _write(value, out, 0)
    return "".join(out)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(value: Any) -> str:
    """SHA-256 (lowercase hex) of the canonical JSON of ``value``: a config's ``resolved_hash``."""
    return sha256_hex(canonical_json(value))


# --- strict parsing -------------------------------------------------------------------------


def _digits_of(text: str) -> tuple[bool, str, int] | None:
    """(negative, significant digits, n) with value = 0.digits * 10^n; None for text that is not a JSON number."""
    match = re.fullmatch(r"(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?", text)
    if not match:
        return None
    sign, int_part, frac_part, exp = match.group(1), match.group(2), match.group(3) or "", match.group(4) or "0"
    all_digits = int_part + frac_part
    first = next((i for i, c in enumerate(all_digits) if c != "0"), -1)
    if first == -1:
        return (False, "", 0)
    digits = all_digits[first:].rstrip("0")
    return (sign == "-", digits, len(int_part) - first + int(exp))


def _round_trips(text: str) -> bool:
    """Whether the number as written is exactly the double it parses to (1.0, 1e2, 0.1 do; 2^53+1 does not)."""
    value = float(text)
    if math.isinf(value):
        return False
    written = _digits_of(text)
    read = _digits_of(_number(value).replace("e+", "e"))
    if written is None or read is None:
        return False
    if written[1] == "":
        return read[1] == ""
    return written == read


def _max_nesting(text: str) -> int:
    """How deep objects and arrays nest in the text, counted without parsing (brackets in strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def parse_strict_json(text: str) -> Any:
    """Parses JSON text, refusing what the server refuses (see the module docstring).

    Raises StrictJsonError naming the offending path.
    """

    def reject(message: str) -> None:
        raise StrictJsonError("meaning", message)

    def number(raw: str) -> float | int:
        if not _round_trips(raw):
            reject(f"the number {raw} cannot be held exactly by a double")
        value = float(raw)
        return int(value) if value.is_integer() and re.fullmatch(r"-?\d+", raw) else value

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                reject(f"duplicate key {key!r}")
            if key in FORBIDDEN_KEYS:
                reject(f"the key {key!r} is not allowed")
            if _LONE_SURROGATE.search(key):
                reject(f"the key {key!r} contains a lone UTF-16 surrogate, which is not Unicode text")
            result[key] = value
        return result

    def constant(name: str) -> Any:
        raise StrictJsonError("syntax", f"{name} is not JSON")

    nesting = _max_nesting(text)
    if nesting > MAX_JSON_DEPTH:
        # Counted before parsing, so a megabyte of "[[[[" cannot exhaust the parser's stack.
        reject(f"nesting deeper than {MAX_JSON_DEPTH} levels ({nesting})")

    try:
        value = json.loads(
            text, object_pairs_hook=pairs, parse_float=number, parse_int=number, parse_constant=constant
        )
    except json.JSONDecodeError as error:
        raise StrictJsonError("syntax", str(error)) from None

    def check(node: Any, depth: int, path: str) -> None:
        if isinstance(node, str) and _LONE_SURROGATE.search(node):
            reject(f"{path or '(root)'}: contains a lone UTF-16 surrogate, which is not Unicode text")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                check(item, depth + 1, f"{path}[{i}]")
        elif isinstance(node, dict):
            for key, item in node.items():
                check(item, depth + 1, f"{path}.{key}" if path else key)

    check(value, 0, "")
    return value

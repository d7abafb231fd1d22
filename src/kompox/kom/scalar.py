"""KOM scalar conventions (kom.md §2.2): how YAML values land in typed fields.

Upstream decodes KOM through YAML 1.1 → JSON → typed structs, so string-typed
fields accept booleans and numbers and receive the text Go would print, while
integer and boolean fields accept only numbers and booleans.
"""

from __future__ import annotations

import math
import struct
from typing import Any

_MAX_SAFE_INT = 2**53


def go_type_name(value: Any) -> str:
    """The Go type a JSON-decoded ``value`` has upstream (for error messages)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return type(value).__name__


def json_kind(value: Any) -> str:
    """The JSON kind of ``value`` (``string``, ``number``, ``bool``, ``object``, ``array``, ``null``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


def _to_float32(value: float) -> float:
    result: float = struct.unpack("f", struct.pack("f", value))[0]
    return result


def format_float32(value: float) -> str:
    """Go ``strconv.FormatFloat(v, 'g', -1, 32)``: shortest text of ``v`` as a 32-bit float."""
    if math.isnan(value):
        return "NaN"
    try:
        f32 = _to_float32(value)
    except OverflowError:
        f32 = math.inf if value > 0 else -math.inf
    if math.isinf(f32):
        return "+Inf" if f32 > 0 else "-Inf"
    if f32 == 0:
        return "-0" if math.copysign(1.0, f32) < 0 else "0"
    text = ""
    for precision in range(9):
        text = f"{abs(f32):.{precision}e}"
        if _to_float32(float(text)) == abs(f32):
            break
    mantissa, _, exponent = text.partition("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    exp = int(exponent)
    sign = "-" if f32 < 0 else ""
    if exp < -4 or exp >= 6:
        frac = f".{digits[1:]}" if len(digits) > 1 else ""
        exp_sign = "-" if exp < 0 else "+"
        return f"{sign}{digits[0]}{frac}e{exp_sign}{abs(exp):02d}"
    point = exp + 1  # digits before the decimal point
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def scalar_to_string(value: Any) -> str | None:
    """Text a KOM string field receives for a scalar; ``None`` if ``value`` is not a scalar.

    Booleans give ``true``/``false``; integers and integral floats give decimal
    digits (after the float64 round trip); other floats give the shortest
    32-bit representation (``3.14`` → ``3.14``, ``1.23456789`` → ``1.2345679``).
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) <= _MAX_SAFE_INT else str(int(float(value)))
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return format_float32(value)
    return None


def json_number(value: Any) -> Any:
    """Values of ``any`` fields as upstream sees them: every number is a float64."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        return {k: json_number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_number(v) for v in value]
    return value

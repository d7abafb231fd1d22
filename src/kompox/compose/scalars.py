"""Go's default formatting of YAML/JSON scalars (converter.md §3.2.5, §13.1.1)."""

from __future__ import annotations

import math
from typing import Any


def go_format_float(value: float) -> str:
    """Format a float like Go's ``%v`` / ``strconv.FormatFloat(f, 'g', -1, 64)``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    digits, exponent = _shortest_digits(abs(value))
    if exponent < -4 or exponent >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        exp_sign = "-" if exponent < 0 else "+"
        return f"{sign}{body}e{exp_sign}{abs(exponent):02d}"
    if exponent >= 0:
        whole = digits[: exponent + 1].ljust(exponent + 1, "0")
        frac = digits[exponent + 1 :]
        return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"
    return f"{sign}0.{'0' * (-exponent - 1)}{digits}"


def _shortest_digits(value: float) -> tuple[str, int]:
    """(significant digits without leading/trailing zeros, decimal exponent of the first digit)."""
    text = repr(value)
    mantissa, _, exp_text = text.partition("e")
    exponent = int(exp_text) if exp_text else 0
    whole, _, frac = mantissa.partition(".")
    all_digits = whole + frac
    point = len(whole)
    stripped = all_digits.lstrip("0")
    leading = len(all_digits) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    return digits, exponent + point - leading - 1


def go_format_scalar(value: Any) -> str:
    """A scalar as compose-go turns it into a string (bool ``true``/``false``, ints as digits)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_format_float(value)
    return str(value)

"""Kubernetes resource quantities (``10Gi``, ``500Mi``, ``1e3``) as exact integers.

Only what volume sizes need: parse the quantity text exactly and return the
integer number of bytes, or explain why that is impossible.
"""

from __future__ import annotations

import re
from fractions import Fraction

QUANTITY_REGEX = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT = f"quantities must match the regular expression '{QUANTITY_REGEX}'"
ERR_SUFFIX = "unable to parse quantity's suffix"

_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_SHAPE = re.compile(QUANTITY_REGEX)
_EXPONENT = re.compile(r"^[eE][-+]?[0-9]+$")
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 10**3),
    "": Fraction(1),
    "k": Fraction(10**3),
    "M": Fraction(10**6),
    "G": Fraction(10**9),
    "T": Fraction(10**12),
    "P": Fraction(10**15),
    "E": Fraction(10**18),
}
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


class QuantityError(ValueError):
    """The text is not a quantity; ``str()`` is the apimachinery message."""


def parse_quantity(text: str) -> Fraction:
    """The exact value of a Kubernetes quantity string."""
    match = _SHAPE.match(text)
    if not text or match is None:
        raise QuantityError(ERR_FORMAT)
    number, suffix = match.group(1), match.group(2)
    if not _NUMBER.match(number):
        raise QuantityError(ERR_FORMAT)
    value = Fraction(number.lstrip("+")) if number not in ("+", "-") else Fraction(0)
    if suffix in _BINARY:
        return value * _BINARY[suffix]
    if suffix in _DECIMAL:
        return value * _DECIMAL[suffix]
    if _EXPONENT.match(suffix):
        return value * Fraction(10) ** int(suffix[1:])
    raise QuantityError(ERR_SUFFIX)


def quantity_to_int64(text: str) -> int | None:
    """The quantity as an int64, or ``None`` when it is not an exact int64 (too large, fractional)."""
    value = parse_quantity(text)
    if value.denominator != 1 or not INT64_MIN <= value.numerator <= INT64_MAX:
        return None
    return value.numerator

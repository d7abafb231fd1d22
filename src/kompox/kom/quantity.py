"""Kubernetes resource quantities (``10Gi``, ``500Mi``, ``1e3``) as exact integers.

Only what volume sizes need: parse the quantity text exactly and return the
integer number of bytes, or explain why that is impossible.
"""

from __future__ import annotations

import re

QUANTITY_REGEX = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT = f"quantities must match the regular expression '{QUANTITY_REGEX}'"
ERR_SUFFIX = "unable to parse quantity's suffix"

_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_SHAPE = re.compile(QUANTITY_REGEX)
_EXPONENT = r"^[eE][-+]?[0-9]+$"  # compiled on first use (re's cache): rare in real sizes
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}  # powers of ten
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


class QuantityError(ValueError):
    """The text is not a quantity; ``str()`` is the apimachinery message."""


def parse_quantity(text: str) -> tuple[int, int]:
    """The exact value of a Kubernetes quantity string as ``(numerator, denominator)``.

    Plain integers, no :mod:`fractions`: the denominator is a power of ten
    (not reduced), from the decimal digits and a negative decimal exponent.
    """
    match = _SHAPE.match(text)
    if not text or match is None:
        raise QuantityError(ERR_FORMAT)
    number, suffix = match.group(1), match.group(2)
    if not _NUMBER.match(number):
        raise QuantityError(ERR_FORMAT)
    whole, _, decimals = number.lstrip("+").partition(".")
    numerator, denominator = int(whole + decimals), 10 ** len(decimals)  # "-.5" -> int("-5"), 10
    if suffix in _BINARY:
        return numerator * _BINARY[suffix], denominator
    if suffix in _DECIMAL:
        power = _DECIMAL[suffix]
    elif re.match(_EXPONENT, suffix):
        power = int(suffix[1:])
    else:
        raise QuantityError(ERR_SUFFIX)
    return (numerator * 10**power, denominator) if power >= 0 else (numerator, denominator * 10**-power)


def quantity_to_int64(text: str) -> int | None:
    """The quantity as an int64, or ``None`` when it is not an exact int64 (too large, fractional)."""
    numerator, denominator = parse_quantity(text)
    if numerator % denominator:
        return None
    value = numerator // denominator
    return value if INT64_MIN <= value <= INT64_MAX else None

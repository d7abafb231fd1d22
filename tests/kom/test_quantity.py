"""kom.quantity in plain integers, checked against an exact Fraction reference on many shapes."""

from __future__ import annotations

import itertools
import re
from fractions import Fraction

import pytest

from kompox.kom.quantity import ERR_FORMAT, ERR_SUFFIX, QuantityError, parse_quantity, quantity_to_int64

_MULTIPLIER = {
    **{s: Fraction(2) ** (10 * i) for i, s in enumerate(["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"], start=1)},
    **{s: Fraction(10) ** p for s, p in zip("num", (-9, -6, -3), strict=True)},
    "": Fraction(1),
    **{s: Fraction(10) ** p for s, p in zip("kMGTPE", (3, 6, 9, 12, 15, 18), strict=True)},
}


def reference(text: str) -> Fraction:
    """The value as apimachinery defines it, with Fraction arithmetic (no shared code with the module)."""
    found = re.fullmatch(r"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)", text)
    if found is None:
        raise QuantityError(ERR_FORMAT)
    number, suffix = found.groups()
    if suffix in _MULTIPLIER:
        return Fraction(number) * _MULTIPLIER[suffix]
    exponent = re.fullmatch(r"[eE]([-+]?[0-9]+)", suffix)
    if exponent is None:
        raise QuantityError(ERR_SUFFIX)
    return Fraction(number) * Fraction(10) ** int(exponent.group(1))


NUMBERS = ["0", "1", "-1", "+7", "1.5", "-0.25", ".5", "-.5", "1.", "007", "123456789", "0.000000001", "9.999"]
SUFFIXES = ["", *_MULTIPLIER, "e3", "E-2", "e+4", "e0", "e-9"]


@pytest.mark.parametrize(("number", "suffix"), list(itertools.product(NUMBERS, SUFFIXES)))
def test_exact_value_matches_the_fraction_reference(number: str, suffix: str) -> None:
    numerator, denominator = parse_quantity(number + suffix)
    assert Fraction(numerator, denominator) == reference(number + suffix)
    expected = reference(number + suffix)
    in_range = expected.denominator == 1 and -(2**63) <= expected.numerator <= 2**63 - 1
    assert quantity_to_int64(number + suffix) == (expected.numerator if in_range else None)


@pytest.mark.parametrize(
    ("text", "value"),
    [("8Ei", None), ("7Ei", 7 * 2**60), ("9223372036854775807", 2**63 - 1), ("9223372036854775808", None),
     ("-9223372036854775808", -(2**63)), ("1500m", None), ("2000m", 2), ("1.5Gi", 1610612736), ("1e3", 1000)],
)
def test_int64_bounds_and_fractions(text: str, value: int | None) -> None:
    assert quantity_to_int64(text) == value


@pytest.mark.parametrize(("text", "message"), [("", ERR_FORMAT), ("Gi", ERR_FORMAT), ("1..2", ERR_FORMAT),
                                                ("-", ERR_FORMAT), ("10Mk", ERR_SUFFIX), ("1e", ERR_SUFFIX)])
def test_refused_texts(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert str(info.value) == message

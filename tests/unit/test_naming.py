"""Naming primitives against upstream's golden values, plus invariants (hypothesis)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompox.domain.errors import ValidationError
from kompox.domain.naming import (
    Hashes,
    base36,
    dns1123_label_errors,
    new_compact_id,
    new_hashes,
    short_hash,
    validate_optional_resource_name,
    validate_resource_name,
    volume_resource_name,
)

# (workspace, provider, cluster, app) -> (provider, cluster, app_id) hashes: drivers.md §11.2
GOLDEN_HASHES = [
    (("aks-e2e-gitea-20250925-060355", "aks1", "cluster1", "app1"), ("50vf7y", "62mpgv", "13o40q")),
    (("ws1", "aks1", "cluster1", "app1"), ("b3wold", "3c7zij", "5z5nb0")),
    (("(nil)", "aks1", "cluster1", "app1"), ("2mpt46", "5oq2qb", "1qgf3u")),
]

# converter.md §2.6: (ws, prv, cls, app) -> (spHASH, idHASH, inHASH, namespace)
GOLDEN_FAMILY = [
    (("ws1", "prv1", "cls1", "app1"), ("32kff1", "k9x84f", "bgewya", "k4x-32kff1-app1-k9x84f")),
    (
        ("aks-e2e-gitea-20250925-060355", "aks1", "cluster1", "app1"),
        ("50vf7y", "13o40q", "2aopo7", "k4x-50vf7y-app1-13o40q"),
    ),
    (("ops", "aks1", "cluster1", "app1"), ("1nedct", "4d94cw", "5ymxt7", "k4x-1nedct-app1-4d94cw")),
    (("testsvc", "testprv", "testcls", "testapp"), ("5nnlzo", "13d2e0", "414u37", "k4x-5nnlzo-testapp-13d2e0")),
    (("svc", "prv", "cls1", "app"), ("1bm4l7", "2vcd40", "6cdiau", "k4x-1bm4l7-app-2vcd40")),
    (("svc", "prv", "cls2", "app"), ("1bm4l7", "2vcd40", "4e3ao9", "k4x-1bm4l7-app-2vcd40")),
]


@pytest.mark.parametrize(("names", "expected"), GOLDEN_HASHES)
def test_hashes_match_upstream(names: tuple[str, str, str, str], expected: tuple[str, str, str]) -> None:
    h = new_hashes(*names)
    assert (h.provider, h.cluster, h.app_id) == expected


@pytest.mark.parametrize(("names", "expected"), GOLDEN_FAMILY)
def test_hash_family_and_namespace_match_upstream(
    names: tuple[str, str, str, str], expected: tuple[str, str, str, str]
) -> None:
    h = new_hashes(*names)
    assert (h.provider, h.app_id, h.app_instance, h.namespace) == expected


def test_other_ws1_values() -> None:
    h = new_hashes("ws1", "aks1", "cluster1", "app1")
    assert (h.workspace, h.app_instance, h.namespace) == ("4p79t1", "4rjotd", "k4x-b3wold-app1-5z5nb0")


def test_short_hash_is_big_endian_and_unpadded() -> None:
    assert short_hash("ops:aks1") == "1nedct"  # little-endian reading would give 4kuv15
    assert short_hash("ws1:prv1:app1") == "k9x84f"  # a 49-digit digest: no zero padding to 50


def test_volume_resource_name_matches_upstream() -> None:
    hashes = new_hashes("ws1", "aks1", "", "app1")
    handle = (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/k4x-b3wold_app_app1_5z5nb0"
        "/providers/Microsoft.Compute/disks/k4x-b3wold_disk_db_d1_5z5nb0"
    )
    assert volume_resource_name(hashes, "db", handle) == "k4x-b3wold-db-5z5nb0-3cw96p"
    upper = handle.replace("k4x-b3wold_app_app1_5z5nb0", "K4X-B3WOLD_APP_APP1_5Z5NB0")
    assert volume_resource_name(hashes, "db", upper).endswith("-58o2v6")


def test_converter_pv_name_example() -> None:
    hashes = new_hashes("ops", "aks1", "cluster1", "app1")
    assert volume_resource_name(hashes, "default", "disk-handle-default") == "k4x-1nedct-default-4d94cw-1nilil"


def test_compact_id_example() -> None:
    assert new_compact_id(1735689600, bytes([0x12, 0x34, 0x56])) == "0spduo00pkk6"


def test_compact_id_rejects_out_of_range_time() -> None:
    with pytest.raises(ValueError, match="out of range"):
        new_compact_id(-1)
    with pytest.raises(ValueError, match="out of range"):
        new_compact_id(36**7)


@given(st.text(max_size=200), st.integers(min_value=1, max_value=40))
def test_short_hash_alphabet_length_and_stability(text: str, n: int) -> None:
    value = short_hash(text, n)
    assert len(value) == n
    assert re.fullmatch(r"[0-9a-z]+", value)
    assert value == short_hash(text, n)


@given(st.integers(min_value=0, max_value=2**256))
def test_base36_round_trips(value: int) -> None:
    assert int(base36(value), 36) == value


@given(st.integers(min_value=0, max_value=36**7 - 1), st.binary(min_size=3, max_size=3))
def test_compact_id_shape_and_order(seconds: int, rnd: bytes) -> None:
    cid = new_compact_id(seconds, rnd)
    assert len(cid) == 12 and re.fullmatch(r"[0-9a-z]{12}", cid)
    assert cid[7] in "0123456789"  # 3 random bytes < 36**5 / 3.6: first random digit is numeric
    later = new_compact_id(min(seconds + 1, 36**7 - 1), rnd)
    assert later >= cid
    validate_resource_name("disk", cid)  # generated names are always valid disk names


@given(st.text(alphabet="abc-0.", min_size=1, max_size=4), st.text(alphabet="xyz", max_size=3))
def test_hashes_are_pure_functions(a: str, b: str) -> None:
    first: Hashes = new_hashes(a, b, a, b)
    assert first == new_hashes(a, b, a, b)
    assert first.namespace == f"k4x-{first.provider}-{b}-{first.app_id}"


@pytest.mark.parametrize(
    ("kind", "name", "fragment"),
    [
        ("volume", "", "volume name must not be empty"),
        ("volume", "a" * 17, "volume name exceeds 16 characters"),
        ("disk", "d" * 25, "disk name exceeds 24 characters"),
        ("snapshot", "s" * 25, "snapshot name exceeds 24 characters"),
        ("disk", "Bad_Name", "invalid disk name"),
        ("snapshot", "-x", "invalid snapshot name"),
        ("volume", "a.b", "must not contain dots"),
    ],
)
def test_invalid_names_name_the_broken_limit(kind: str, name: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(fragment)):
        validate_resource_name(kind, name)


@pytest.mark.parametrize(("kind", "name"), [("volume", "a" * 16), ("disk", "d" * 24), ("snapshot", "0spduo00pkk6")])
def test_names_at_the_limit_are_valid(kind: str, name: str) -> None:
    validate_resource_name(kind, name)


def test_empty_disk_name_means_generate() -> None:
    validate_optional_resource_name("disk", "")
    with pytest.raises(ValidationError):
        validate_optional_resource_name("disk", "UPPER")


def test_dns1123_messages_follow_apimachinery() -> None:
    assert dns1123_label_errors("ok-1") == []
    assert dns1123_label_errors("x" * 64) == ["must be no more than 63 characters"]
    assert dns1123_label_errors("a.b") == ["must not contain dots"]
    assert "RFC 1123 label" in dns1123_label_errors("A")[0]


@given(st.from_regex(r"[a-z0-9]([-a-z0-9]{0,14}[a-z0-9])?", fullmatch=True))
def test_any_valid_label_within_limit_passes(name: str) -> None:
    validate_resource_name("volume", name)

"""Spec-file and flag parsing of ``cluster nodepool create|update`` (unset stays unset)."""

from __future__ import annotations

import pytest

from kompox.cli.nodepool_io import PoolFlags, SpecError, apply_flags, pool_json, spec_from_mapping
from kompox.domain.model import NodePool, NodePoolAutoscaling


def test_spec_keys_types_and_unset_values() -> None:
    pool, warnings = spec_from_mapping(
        {
            "name": "np1",
            "Mode": "user",  # Go field names (list output) read back
            "INSTANCETYPE": "Standard_D4s_v5",
            "zones": [1, "japaneast-2"],  # YAML ints become zone strings
            "labels": {"tier": 1, "on": True},
            "osDiskSizeGiB": "64",
            "priority": "",  # empty string = unset
            "osDiskType": None,  # null = unset
            "autoscaling": {"Enabled": True, "min": 1, "max": 3},
            "Status": {"ProvisioningState": "Succeeded"},  # read-only: ignored silently
            "extra": 1,
        },
        file="np.yml",
    )
    assert pool == NodePool(
        name="np1",
        mode="user",
        instance_type="Standard_D4s_v5",
        zones=["1", "japaneast-2"],
        labels={"tier": "1", "on": "true"},
        os_disk_size_gib=64,
        autoscaling=NodePoolAutoscaling(enabled=True, min=1, max=3),
    )
    assert pool.priority is None and pool.os_disk_type is None and pool.status is None
    assert warnings == ["np.yml: unknown key 'extra' ignored"]


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ({"zones": "japaneast-1"}, "zones"),
        ({"labels": ["a"]}, "labels"),
        ({"osDiskSizeGiB": 1.5}, "osDiskSizeGiB"),
        ({"autoscaling": {"enabled": "yes"}}, "autoscaling.enabled"),
        ({"autoscaling": {"maximum": 3}}, "autoscaling.maximum"),
        ({"mode": {"a": 1}}, "mode"),
    ],
)
def test_spec_type_errors_name_file_and_key(raw: dict[str, object], where: str) -> None:
    with pytest.raises(SpecError) as exc:
        spec_from_mapping({"name": "np1", **raw}, file="np.yml")
    assert str(exc.value).startswith(f"np.yml: {where}: ")


def test_flags_override_file_values() -> None:
    base = NodePool(name="np1", labels={"a": "1"}, zones=["1"], autoscaling=NodePoolAutoscaling(True, 1, 3))
    pool = apply_flags(base, PoolFlags(labels=["b=2", "a=9"], zones=["2,3"], max=5))
    assert pool.labels == {"a": "9", "b": "2"} and pool.zones == ["2", "3"]
    assert pool.autoscaling == NodePoolAutoscaling(enabled=True, min=1, max=5)  # min kept from the file


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (PoolFlags(), None),
        (PoolFlags(desired=2), NodePoolAutoscaling(enabled=False, desired=2)),
        (PoolFlags(autoscaling=False), NodePoolAutoscaling(enabled=False)),
        (PoolFlags(min=0, max=3), NodePoolAutoscaling(enabled=True, min=0, max=3)),
        (PoolFlags(autoscaling=True, min=1, max=2), NodePoolAutoscaling(enabled=True, min=1, max=2)),
    ],
)
def test_autoscaling_flags(flags: PoolFlags, expected: NodePoolAutoscaling | None) -> None:
    assert apply_flags(NodePool(name="np1"), flags).autoscaling == expected


@pytest.mark.parametrize(
    "flags",
    [
        PoolFlags(autoscaling=True, max=3),  # min missing: never silently 0
        PoolFlags(autoscaling=True, min=1, max=3, desired=2),
        PoolFlags(autoscaling=False, min=1),
        PoolFlags(labels=["novalue"]),
    ],
)
def test_contradictory_flags_are_refused(flags: PoolFlags) -> None:
    with pytest.raises(SpecError):
        apply_flags(NodePool(name="np1"), flags)


def test_json_keeps_unset_as_null() -> None:
    doc = pool_json(NodePool(name="np1", labels={"b": "2", "a": "1"}))
    assert doc["Zones"] is None and doc["Autoscaling"] is None and doc["Status"] is None
    assert list(doc["Labels"]) == ["a", "b"] and doc["Extensions"] == {}

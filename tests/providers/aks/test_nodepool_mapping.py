"""Agent pool ⇄ NodePool mapping, zone normalisation and AKS validation (driver-aks.md §15.1–15.3, §20.5)."""

from __future__ import annotations

from typing import Any

import pytest
from azure.mgmt.containerservice import models

from kompox.domain.errors import DriverValidationError
from kompox.domain.model import NodePool, NodePoolAutoscaling, NodePoolStatus
from kompox.providers.aks.nodepool_mapping import (
    agent_pool_to_node_pool,
    check_aks_pool,
    create_body,
    immutable_changes,
    merge_update,
    zone_to_aks,
    zone_to_kompox,
)

LOC = "japaneast"


@pytest.mark.parametrize(
    ("aks", "kompox"), [("1", "japaneast-1"), ("japaneast-1", "japaneast-1"), ("3", "japaneast-3")]
)
def test_zone_to_kompox(aks: str, kompox: str) -> None:
    assert zone_to_kompox(aks, LOC) == kompox


@pytest.mark.parametrize(("kompox", "aks"), [("japaneast-1", "1"), ("eastus2-3", "3"), ("3", "3")])
def test_zone_to_aks(kompox: str, aks: str) -> None:
    assert zone_to_aks(kompox) == aks


def _ap(body: dict[str, Any]) -> Any:
    return models.AgentPool(body)


GOLDEN_SYSTEM = {
    "name": "system",
    "properties": {
        "mode": "System",
        "vmSize": "Standard_D2s_v3",
        "osDiskType": "Managed",
        "osDiskSizeGB": 128,
        "scaleSetPriority": "Regular",
        "availabilityZones": ["1", "2"],
        "enableAutoScaling": True,
        "minCount": 1,
        "maxCount": 3,
        "count": 2,
        "provisioningState": "Succeeded",
        "nodeLabels": {"kompox.dev/node-pool": "system"},
    },
}


def test_agent_pool_to_node_pool_golden_autoscaled() -> None:
    pool = agent_pool_to_node_pool(_ap(GOLDEN_SYSTEM), LOC)
    assert pool == NodePool(
        name="system",
        provider_name="system",
        mode="system",
        labels={"kompox.dev/node-pool": "system"},
        zones=["japaneast-1", "japaneast-2"],
        instance_type="Standard_D2s_v3",
        os_disk_type="Managed",
        os_disk_size_gib=128,
        priority="regular",
        autoscaling=NodePoolAutoscaling(enabled=True, min=1, max=3, desired=None),
        status=NodePoolStatus(provisioning_state="Succeeded", current_node_count=2),
        extensions={},
    )


def test_agent_pool_to_node_pool_golden_fixed_size() -> None:
    pool = agent_pool_to_node_pool(
        _ap({"name": "user", "properties": {"mode": "User", "enableAutoScaling": False, "count": 5}}), LOC
    )
    assert pool.autoscaling == NodePoolAutoscaling(enabled=False, min=0, max=0, desired=5)
    assert pool.mode == "user"
    # absent provider fields stay unset (None), never zero values
    assert pool.zones is None and pool.labels is None and pool.priority is None and pool.os_disk_size_gib is None


def test_create_body_maps_every_set_field() -> None:
    pool = NodePool(
        name="spot1",
        mode="user",
        labels={"team": "a", "kompox.dev/node-pool": "ignored"},
        zones=["japaneast-2", "3"],
        instance_type="Standard_D4s_v5",
        os_disk_type="ephemeral",
        os_disk_size_gib=64,
        priority="spot",
        autoscaling=NodePoolAutoscaling(enabled=True, min=0, max=4, desired=7),
    )
    assert create_body(pool, LOC).as_dict() == {
        "properties": {
            "mode": "User",
            "vmSize": "Standard_D4s_v5",
            "osDiskType": "Ephemeral",
            "osDiskSizeGB": 64,
            "scaleSetPriority": "Spot",
            "availabilityZones": ["2", "3"],
            # two zones: no pool-level node-zone label (the nodes get theirs from their topology label)
            "nodeLabels": {"team": "a", "kompox.dev/node-pool": "spot1"},
            "enableAutoScaling": True,
            "minCount": 0,
            "maxCount": 4,
            "count": 1,  # desired is ignored while autoscaling; the initial size lies in [min, max]
        }
    }


def test_create_body_node_zone_label_is_the_normalised_zone() -> None:
    """Seed 003: zone normalisation is the driver's; both spellings of zone 1 label the pool ``japaneast-1``
    (upstream copies the value as written, so ``zones: ["1"]`` gave ``1`` and ``japaneast-1`` gave ``japaneast-1``)."""
    for zones in (["japaneast-1"], ["1"]):
        labels = create_body(NodePool(name="np1", zones=zones), LOC).as_dict()["properties"]["nodeLabels"]
        assert labels["kompox.dev/node-zone"] == "japaneast-1"


def test_a_multi_zone_pool_gets_no_pool_level_zone_label_and_refuses_one() -> None:
    """AKS node labels are per pool: "the first zone" would mislabel the nodes of the other zones
    (upstream does that).  The nodes get their own label from topology.kubernetes.io/zone instead."""
    labels = create_body(NodePool(name="np1", zones=["1", "japaneast-2"]), LOC).as_dict()["properties"]["nodeLabels"]
    assert labels == {"kompox.dev/node-pool": "np1"}
    with pytest.raises(DriverValidationError) as exc:
        check_aks_pool(NodePool(name="np1", zones=["1", "2"], labels={"kompox.dev/node-zone": "1"}), LOC)
    assert exc.value.message == (
        "validation error: pool.Labels kompox.dev/node-zone must not be set on a pool with several zones: each "
        "node gets its own zone label from topology.kubernetes.io/zone (cluster install / app deploy label the nodes)"
    )
    check_aks_pool(NodePool(name="np1", zones=["1"], labels={"kompox.dev/node-zone": "1"}), LOC)  # one zone: fine


def test_merge_update_of_a_multi_zone_pool_adds_no_zone_label_and_refuses_a_new_one() -> None:
    multi = _ap({"name": "np1", "properties": {"availabilityZones": ["1", "2"]}})
    merge_update(multi, NodePool(name="np1", labels={"x": "y"}), LOC)
    assert multi.node_labels == {"kompox.dev/node-pool": "np1", "x": "y"}
    with pytest.raises(DriverValidationError, match=r"must not be set on a pool with several zones"):
        merge_update(multi, NodePool(name="np1", labels={"kompox.dev/node-zone": "japaneast-1"}), LOC)
    assert multi.node_labels == {"kompox.dev/node-pool": "np1", "x": "y"}  # untouched by the refused update
    # a pool upstream labelled with its first zone keeps it, and re-sending that value is no change
    legacy = _ap(
        {"name": "np2", "properties": {"availabilityZones": ["1", "2"], "nodeLabels": {"kompox.dev/node-zone": "1"}}}
    )
    merge_update(legacy, NodePool(name="np2", labels={"kompox.dev/node-zone": "1"}), LOC)
    assert legacy.node_labels == {"kompox.dev/node-zone": "1", "kompox.dev/node-pool": "np2"}


def test_create_body_sends_only_what_is_set() -> None:
    body = create_body(NodePool(name="np1", autoscaling=NodePoolAutoscaling(enabled=False, desired=3)), LOC).as_dict()
    assert body == {
        "properties": {"nodeLabels": {"kompox.dev/node-pool": "np1"}, "enableAutoScaling": False, "count": 3}
    }
    assert create_body(NodePool(name="np2"), LOC).as_dict() == {
        "properties": {"nodeLabels": {"kompox.dev/node-pool": "np2"}}
    }


@pytest.mark.parametrize(
    ("pool", "message"),
    [
        (NodePool(name="system", mode="user"), "Mode is immutable (current system, requested user)"),
        (
            NodePool(name="system", instance_type="Standard_D4s_v3"),
            "InstanceType is immutable (current Standard_D2s_v3, requested Standard_D4s_v3)",
        ),
        (
            NodePool(name="system", os_disk_type="Ephemeral"),
            "OSDiskType is immutable (current Managed, requested Ephemeral)",
        ),
        (NodePool(name="system", os_disk_size_gib=256), "OSDiskSizeGiB is immutable (current 128, requested 256)"),
        (NodePool(name="system", priority="spot"), "Priority is immutable (current regular, requested spot)"),
        (
            NodePool(name="system", zones=["1"]),
            "Zones are immutable (current japaneast-1,japaneast-2, requested japaneast-1)",
        ),
        (NodePool(name="system", labels={"a": "b"}), None),
    ],
)
def test_immutable_changes_each_alone(pool: NodePool, message: str | None) -> None:
    """driver-aks.md §20.5: each field alone against the golden system pool; labels alone pass."""
    assert immutable_changes(pool, _ap(GOLDEN_SYSTEM), LOC) == ([message] if message else [])


def test_immutable_comparison_is_normalised_and_labels_are_mutable() -> None:
    existing = _ap(GOLDEN_SYSTEM)
    same = NodePool(
        name="system",
        mode="System",
        instance_type="standard_d2s_v3",
        os_disk_type="managed",
        os_disk_size_gib=128,
        priority="Regular",
        zones=["japaneast-2", "1"],
        labels={"a": "b"},
        autoscaling=NodePoolAutoscaling(enabled=True, min=1, max=9),
    )
    assert immutable_changes(same, existing, LOC) == []
    several = NodePool(name="system", mode="user", priority="spot")
    assert immutable_changes(several, existing, LOC) == [
        "Mode is immutable (current system, requested user)",
        "Priority is immutable (current regular, requested spot)",
    ]
    # setting zones on a pool without zones is a change too (upstream silently ignored it)
    regional = _ap({"name": "r", "properties": {"mode": "User"}})
    assert immutable_changes(NodePool(name="r", zones=["1"]), regional, LOC) == [
        "Zones are immutable (current , requested japaneast-1)"
    ]


def test_merge_update_keeps_scheduling_labels_and_sets_missing_ones() -> None:
    template_pool = _ap(
        {
            "name": "npuser1",
            "properties": {
                "availabilityZones": ["1"],
                "nodeLabels": {"kompox.dev/node-pool": "user", "kompox.dev/node-zone": "1"},
            },
        }
    )
    merge_update(template_pool, NodePool(name="npuser1", labels={"x": "y"}), LOC)
    assert template_pool.node_labels == {"kompox.dev/node-pool": "user", "kompox.dev/node-zone": "1", "x": "y"}
    bare = _ap({"name": "np1", "properties": {"availabilityZones": ["2"]}})
    merge_update(bare, NodePool(name="np1"), LOC)
    assert bare.node_labels == {"kompox.dev/node-pool": "np1", "kompox.dev/node-zone": "japaneast-2"}


def test_merge_update_autoscaling() -> None:
    ap = _ap({"name": "np1", "properties": {"enableAutoScaling": True, "minCount": 1, "maxCount": 3, "count": 2}})
    merge_update(ap, NodePool(name="np1", autoscaling=NodePoolAutoscaling(enabled=False, desired=5)), LOC)
    props = ap.as_dict()["properties"]
    assert props["enableAutoScaling"] is False and props["count"] == 5
    assert "minCount" not in props and "maxCount" not in props
    merge_update(ap, NodePool(name="np1", autoscaling=NodePoolAutoscaling(enabled=True, min=1, max=3)), LOC)
    props = ap.as_dict()["properties"]
    assert (props["enableAutoScaling"], props["minCount"], props["maxCount"], props["count"]) == (True, 1, 3, 3)


@pytest.mark.parametrize(
    ("pool", "fragment"),
    [
        (NodePool(name="Np1"), "pool.Name 'Np1' is not a valid AKS agent pool name"),
        (NodePool(name="np-1"), "not a valid AKS agent pool name"),
        (NodePool(name="abcdefghijklm"), "not a valid AKS agent pool name"),
        (NodePool(name="np1", provider_name="other"), "pool.ProviderName must equal pool.Name"),
        (NodePool(name="np1", os_disk_type="Premium_LRS"), "pool.OSDiskType must be one of Managed, Ephemeral"),
        (NodePool(name="np1", os_disk_size_gib=4096), "pool.OSDiskSizeGiB must be at most 2048"),
        (NodePool(name="np1", zones=["westus2-1"]), "is not in the cluster's location japaneast"),
        (NodePool(name="np1", zones=["a"]), "pool.Zones[0] 'a' is not an availability zone"),
        (NodePool(name="np1", mode="system", priority="spot"), "spot is not allowed for a system pool"),
        (
            NodePool(name="np1", mode="system", autoscaling=NodePoolAutoscaling(enabled=True, min=0, max=2)),
            "pool.Autoscaling.Min must be at least 1 for a system pool",
        ),
        (NodePool(name="np1", extensions={"maxPods": 50}), "pool.Extensions are not supported by the AKS driver"),
        (NodePool(name="np1", mode="User2"), "pool.Mode must be one of system, user (got 'User2')"),
    ],
)
def test_check_aks_pool_rejects(pool: NodePool, fragment: str) -> None:
    with pytest.raises(DriverValidationError) as exc:
        check_aks_pool(pool, LOC)
    assert str(exc.value).startswith("validation error: ")
    assert fragment in str(exc.value)


def test_check_aks_pool_accepts_both_cases_and_zone_forms() -> None:
    pool = NodePool(name="np1", mode="User", priority="Spot", os_disk_type="ephemeral", zones=["1", "japaneast-2"])
    assert check_aks_pool(pool, LOC) == "np1"

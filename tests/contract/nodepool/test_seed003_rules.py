"""Seed 003 (NodePool driver contract): one test per rule, run against every harness.

A harness without the node-pool capability (K3s) must answer every rule with
the typed "not implemented" error from each method the rule exercises, and
never with a validation error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from kompox.domain.errors import (
    CapabilityNotImplementedError,
    DriverValidationError,
    NotSupportedError,
    ValidationError,
)
from kompox.domain.model import LABEL_NODE_POOL, LABEL_NODE_ZONE, NodePool, NodePoolAutoscaling, NodePoolStatus
from kompox.domain.options import (
    NodePoolCreateOptions,
    NodePoolDeleteOptions,
    NodePoolListOptions,
    NodePoolUpdateOptions,
)

from .harness import LOCATION, NodePoolHarness, SeedPool


def _new_pool(name: str = "np1", **kw: Any) -> NodePool:
    base: dict[str, Any] = {
        "mode": "user",
        "instance_type": "Standard_D4s_v5",
        "autoscaling": NodePoolAutoscaling(enabled=True, min=1, max=3),
    }
    base.update(kw)
    return NodePool(name=name, **base)


def _not_capable(h: NodePoolHarness, *calls: Callable[[], object]) -> bool:
    """For a harness without the capability: every call raises the typed not-implemented error."""
    if h.capable:
        return False
    for call in calls:
        with pytest.raises(CapabilityNotImplementedError) as exc:
            call()
        assert not isinstance(exc.value, ValidationError)
    return True


def _four(h: NodePoolHarness, pool: NodePool) -> list[Callable[[], object]]:
    d, c = h.driver, h.cluster
    return [
        lambda: d.node_pool_list(c),
        lambda: d.node_pool_create(c, pool),
        lambda: d.node_pool_update(c, pool),
        lambda: d.node_pool_delete(c, pool.name or ""),
    ]


def test_provider_without_capability_raises_not_implemented(harness: NodePoolHarness) -> None:
    """Capability boundary: no node-pool support → typed not-implemented from all four methods, any input."""
    h = harness
    if h.capable:
        # the capable driver answers the same calls without the capability error
        assert isinstance(h.driver.node_pool_list(h.cluster), list)
        return
    for pool in (_new_pool(), NodePool(), _new_pool(mode="bogus")):  # even invalid input: capability first
        for call in _four(h, pool):
            with pytest.raises(CapabilityNotImplementedError) as exc:
                call()
            err = exc.value
            assert isinstance(err, NotSupportedError) and not isinstance(err, ValidationError)
            assert err.method.startswith("NodePool") and err.provider == h.name
            assert str(err) == f"{err.method} is not implemented for {h.name} provider"


def test_one_dto_for_list_create_and_update(harness: NodePoolHarness) -> None:
    """A single NodePool DTO is the input of create/update and the output of list/create/update."""
    h = harness
    if _not_capable(h, *_four(h, _new_pool())):
        return
    created = h.driver.node_pool_create(h.cluster, _new_pool())
    listed = h.driver.node_pool_list(h.cluster)
    updated = h.driver.node_pool_update(h.cluster, NodePool(name="np1", labels={"tier": "web"}))
    assert all(type(p) is NodePool for p in (created, updated, *listed))
    assert [p.name for p in listed] == ["np1"]
    assert created.instance_type == listed[0].instance_type == updated.instance_type == "Standard_D4s_v5"


def test_unset_fields_differ_from_zero_values(harness: NodePoolHarness) -> None:
    """Every field is optional: None (unset) is kept apart from "", [], {} and 0."""
    h = harness
    if _not_capable(h, *_four(h, _new_pool())):
        return
    assert all(getattr(NodePool(), f.name) is None for f in dataclasses.fields(NodePool) if f.name != "extensions")
    created = h.driver.node_pool_create(h.cluster, _new_pool(zones=None, labels=None))
    assert created.zones is None  # a pool without zones reports "unset", not []
    # an empty label map on update is "set, nothing to add"; the pool keeps its labels
    updated = h.driver.node_pool_update(h.cluster, NodePool(name="np1", labels={}))
    assert updated.labels == created.labels
    # a zero fixed size is a value (scale to zero), not "unset"
    scaled = h.driver.node_pool_update(
        h.cluster, NodePool(name="np1", autoscaling=NodePoolAutoscaling(enabled=False, desired=0))
    )
    assert scaled.autoscaling is not None and scaled.autoscaling.desired == 0


def test_update_applies_only_set_fields(harness: NodePoolHarness) -> None:
    """Update is a patch: fields left None keep their current values."""
    h = harness
    if _not_capable(h, lambda: h.driver.node_pool_update(h.cluster, NodePool(name="np1"))):
        return
    h.seed(SeedPool("np1", labels={"team": "a"}))
    before = h.driver.node_pool_list(h.cluster, NodePoolListOptions(name="np1"))[0]
    after = h.driver.node_pool_update(h.cluster, NodePool(name="np1", labels={"tier": "web"}))
    assert after.labels is not None and after.labels["team"] == "a" and after.labels["tier"] == "web"
    for name in ("mode", "zones", "instance_type", "os_disk_type", "os_disk_size_gib", "priority", "autoscaling"):
        assert getattr(after, name) == getattr(before, name), name
    resized = h.driver.node_pool_update(
        h.cluster, NodePool(name="np1", autoscaling=NodePoolAutoscaling(enabled=True, min=2, max=5))
    )
    assert resized.autoscaling == NodePoolAutoscaling(enabled=True, min=2, max=5)
    assert resized.labels == after.labels and resized.zones == before.zones


def test_status_is_read_only(harness: NodePoolHarness) -> None:
    """Status is filled by results; a status passed in is neither sent nor echoed."""
    h = harness
    fake_status = NodePoolStatus(provisioning_state="Bogus", current_node_count=99, extensions={"x": 1})
    pool = _new_pool(status=fake_status)
    if _not_capable(h, lambda: h.driver.node_pool_create(h.cluster, pool)):
        return
    created = h.driver.node_pool_create(h.cluster, pool)
    assert created.status is not None
    assert created.status.provisioning_state == "Succeeded" and created.status.current_node_count == 1
    updated = h.driver.node_pool_update(h.cluster, NodePool(name="np1", status=fake_status))
    assert updated.status is not None and updated.status.current_node_count == 1
    assert pool.status is fake_status  # the caller's DTO is not modified


def test_get_is_list_with_name_filter(harness: NodePoolHarness) -> None:
    """There is no Get: list with an exact-name filter returns zero or one pool."""
    h = harness
    if _not_capable(h, lambda: h.driver.node_pool_list(h.cluster, NodePoolListOptions(name="np1"))):
        return
    for name in ("np1", "np10", "np2"):
        h.seed(SeedPool(name))
    assert [p.name for p in h.driver.node_pool_list(h.cluster)] == ["np1", "np10", "np2"]
    assert [p.name for p in h.driver.node_pool_list(h.cluster, NodePoolListOptions(name="np1"))] == ["np1"]
    assert h.driver.node_pool_list(h.cluster, NodePoolListOptions(name="np")) == []
    assert not hasattr(h.driver, "node_pool_get")


def test_create_validates_required_fields(harness: NodePoolHarness) -> None:
    """Create enforces its required field (the name) itself, before any request."""
    h = harness
    if _not_capable(h, lambda: h.driver.node_pool_create(h.cluster, NodePool(mode="user"))):
        return
    for pool in (NodePool(mode="user"), NodePool(name="", mode="user"), NodePool(name="  ")):
        with pytest.raises(DriverValidationError) as exc:
            h.driver.node_pool_create(h.cluster, pool)
        assert str(exc.value) == "validation error: pool.Name is required"
    assert h.requests() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mode": "primary"}, "pool.Mode"),
        ({"priority": "lowest"}, "pool.Priority"),
        ({"os_disk_type": "Premium"}, "pool.OSDiskType"),
        ({"os_disk_size_gib": -1}, "pool.OSDiskSizeGiB"),
        ({"autoscaling": NodePoolAutoscaling(enabled=True, min=4, max=2)}, "pool.Autoscaling.Min"),
        ({"autoscaling": NodePoolAutoscaling(enabled=True, min=0, max=0)}, "pool.Autoscaling.Max"),
        ({"autoscaling": NodePoolAutoscaling(enabled=False, desired=-1)}, "pool.Autoscaling.Desired"),
        ({"zones": [""]}, "pool.Zones[0]"),
        ({"instance_type": ""}, "pool.InstanceType"),
    ],
)
def test_invalid_value_is_validation_error(harness: NodePoolHarness, change: dict[str, Any], field: str) -> None:
    """A provider with the capability rejects invalid values as validation errors naming the field."""
    h = harness
    pool = _new_pool(**change)
    if _not_capable(
        h,
        lambda: h.driver.node_pool_create(h.cluster, pool),
        lambda: h.driver.node_pool_update(h.cluster, pool),
    ):
        return
    for call in (h.driver.node_pool_create, h.driver.node_pool_update):
        with pytest.raises(DriverValidationError) as exc:
            call(h.cluster, pool)
        assert str(exc.value).startswith("validation error: ")
        assert field in str(exc.value)
        assert not isinstance(exc.value, NotSupportedError)
    assert h.requests() == 0  # validated before touching the cloud


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mode": "system"}, "Mode"),
        ({"instance_type": "Standard_D8s_v5"}, "InstanceType"),
        ({"os_disk_type": "Ephemeral"}, "OSDiskType"),
        ({"os_disk_size_gib": 256}, "OSDiskSizeGiB"),
        ({"priority": "spot"}, "Priority"),
        ({"zones": [f"{LOCATION}-3"]}, "Zones"),
    ],
)
def test_update_of_immutable_field_is_validation_error(
    harness: NodePoolHarness, change: dict[str, Any], field: str
) -> None:
    """Changing an immutable field on update is a validation error naming it; nothing is written."""
    h = harness
    pool = NodePool(name="np1", **change)
    if _not_capable(h, lambda: h.driver.node_pool_update(h.cluster, pool)):
        return
    h.seed(SeedPool("np1"))
    with pytest.raises(DriverValidationError) as exc:
        h.driver.node_pool_update(h.cluster, pool)
    message = str(exc.value)
    assert message.startswith("validation error: cannot modify immutable fields: ")
    assert f"{field} is immutable" in message or f"{field} are immutable" in message
    assert h.writes() == 0


def test_unchanged_immutable_fields_are_accepted_on_update(harness: NodePoolHarness) -> None:
    """Re-sending the current value of an immutable field is not a change (compared normalised)."""
    h = harness
    same = NodePool(
        name="np1",
        mode="User",
        instance_type="Standard_D2s_v3",
        os_disk_type="Managed",
        os_disk_size_gib=128,
        priority="Regular",
        zones=["2", f"{LOCATION}-1"],
    )
    if _not_capable(h, lambda: h.driver.node_pool_update(h.cluster, same)):
        return
    h.seed(SeedPool("np1", zones=["1", "2"]))
    result = h.driver.node_pool_update(h.cluster, same)
    assert result.zones == [f"{LOCATION}-1", f"{LOCATION}-2"]


def test_vendor_vocabulary_stays_in_the_driver(harness: NodePoolHarness) -> None:
    """The DTO speaks Kompox (InstanceType, priority regular/spot); the driver translates."""
    h = harness
    pool = _new_pool(instance_type="Standard_E4s_v5", priority="spot")
    if _not_capable(h, lambda: h.driver.node_pool_create(h.cluster, pool)):
        return
    names = {f.name for f in dataclasses.fields(NodePool)}
    assert not names & {"vm_size", "vmSize", "agent_pool", "node_group", "scale_set_priority"}
    created = h.driver.node_pool_create(h.cluster, pool)
    assert created.instance_type == "Standard_E4s_v5" and created.priority == "spot"
    assert h.instance_type_wire("np1") == ["Standard_E4s_v5"]


def test_scheduling_labels_are_set(harness: NodePoolHarness) -> None:
    """Pools carry kompox.dev/node-pool and, with zones, kompox.dev/node-zone (the scheduling contract)."""
    h = harness
    pool = _new_pool(zones=[f"{LOCATION}-2"], labels={"team": "a"})
    if _not_capable(h, lambda: h.driver.node_pool_create(h.cluster, pool)):
        return
    created = h.driver.node_pool_create(h.cluster, pool)
    assert created.labels == {"team": "a", LABEL_NODE_POOL: "np1", LABEL_NODE_ZONE: f"{LOCATION}-2"}
    plain = h.driver.node_pool_create(h.cluster, _new_pool("np2"))
    assert plain.labels == {LABEL_NODE_POOL: "np2"}
    # an update never rewrites existing scheduling labels (apps select them)
    h.seed(SeedPool("npuser1", zones=["1"], labels={LABEL_NODE_POOL: "user", LABEL_NODE_ZONE: "1"}))
    updated = h.driver.node_pool_update(h.cluster, NodePool(name="npuser1", zones=["1"], labels={"x": "y"}))
    assert updated.labels == {LABEL_NODE_POOL: "user", LABEL_NODE_ZONE: "1", "x": "y"}


def test_zones_are_normalised_by_the_driver(harness: NodePoolHarness) -> None:
    """Kompox zone form and provider form are both accepted; results use the Kompox form."""
    h = harness
    if _not_capable(h, lambda: h.driver.node_pool_create(h.cluster, _new_pool(zones=["1"]))):
        return
    a = h.driver.node_pool_create(h.cluster, _new_pool("npa", zones=[f"{LOCATION}-1", f"{LOCATION}-3"]))
    b = h.driver.node_pool_create(h.cluster, _new_pool("npb", zones=["1", "3"]))
    assert a.zones == b.zones == [f"{LOCATION}-1", f"{LOCATION}-3"]
    with pytest.raises(DriverValidationError, match=r"pool.Zones\[0\]"):
        h.driver.node_pool_create(h.cluster, _new_pool("npc", zones=["westus2-1"]))


def test_delete_of_missing_pool_is_success(harness: NodePoolHarness) -> None:
    """Delete is idempotent: a pool that does not exist (any more) is success."""
    h = harness
    if _not_capable(h, lambda: h.driver.node_pool_delete(h.cluster, "np1")):
        return
    h.seed(SeedPool("np1"))
    h.driver.node_pool_delete(h.cluster, "np1")
    assert h.driver.node_pool_list(h.cluster, NodePoolListOptions(name="np1")) == []
    h.driver.node_pool_delete(h.cluster, "np1")
    h.driver.node_pool_delete(h.cluster, "never")


def test_writes_wait_for_the_long_running_operation(harness: NodePoolHarness) -> None:
    """Create, update and delete return only after the provider's operation finished."""
    h = harness
    if _not_capable(h, *_four(h, _new_pool())[1:]):
        return
    created = h.driver.node_pool_create(h.cluster, _new_pool())
    assert created.status is not None and created.status.provisioning_state == "Succeeded"
    after_create = h.polls()
    assert after_create >= 3  # two "in progress" answers, then the final one
    updated = h.driver.node_pool_update(h.cluster, NodePool(name="np1", labels={"a": "b"}))
    assert updated.status is not None and updated.status.provisioning_state == "Succeeded"
    after_update = h.polls()
    assert after_update >= after_create + 3
    h.driver.node_pool_delete(h.cluster, "np1")
    assert h.polls() >= after_update + 3
    assert h.driver.node_pool_list(h.cluster) == []


def test_options_are_accepted_and_force_is_refused(harness: NodePoolHarness) -> None:
    """Every option type is accepted; ``force`` is refused before any request (issue #18: never ignored)."""
    h = harness
    d, c, pool = h.driver, h.cluster, _new_pool()
    calls: list[Callable[[], object]] = [
        lambda: d.node_pool_create(c, pool, NodePoolCreateOptions(force=True)),
        lambda: d.node_pool_update(c, NodePool(name="np1"), NodePoolUpdateOptions(force=True)),
        lambda: d.node_pool_delete(c, "np1", NodePoolDeleteOptions(force=True)),
    ]
    if _not_capable(h, *calls):
        return
    for call in calls:
        with pytest.raises(DriverValidationError, match="force is not supported") as caught:
            call()
        assert caught.value.field == "--force"
    assert d.node_pool_list(c, NodePoolListOptions()) == []
    d.node_pool_create(c, pool, NodePoolCreateOptions())
    d.node_pool_update(c, NodePool(name="np1"), NodePoolUpdateOptions())
    d.node_pool_delete(c, "np1", NodePoolDeleteOptions())
    assert d.node_pool_list(c) == []

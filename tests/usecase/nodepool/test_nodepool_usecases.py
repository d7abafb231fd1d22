"""Node-pool use cases (kube-and-ops.md §12.2) with a recording port, and through the real port adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from kompox.domain.errors import (
    CapabilityNotImplementedError,
    DriverError,
    DriverValidationError,
    NotFoundError,
    ProviderAPIError,
    ValidationError,
)
from kompox.domain.model import Cluster, NodePool, Provider, Workspace
from kompox.domain.options import (
    NodePoolCreateOptions,
    NodePoolDeleteOptions,
    NodePoolListOptions,
    NodePoolUpdateOptions,
)
from kompox.store.inmem import InMemoryRepository
from kompox.usecase.nodepool import NodePoolUseCases

CLUSTER = Cluster(id="/ws/w1/prv/p1/cls/c1", name="c1", provider_id="/ws/w1/prv/p1")


@dataclass
class RecordingPort:
    calls: list[tuple[str, Any, Any, Any]] = field(default_factory=list)
    fail: Exception | None = None

    def _record(self, op: str, cluster: Cluster, arg: Any, opts: Any) -> None:
        self.calls.append((op, cluster.name, arg, opts))
        if self.fail is not None:
            raise self.fail

    def node_pool_list(self, cluster: Cluster, opts: NodePoolListOptions | None = None) -> list[NodePool]:
        self._record("list", cluster, None, opts)
        return [NodePool(name="np1")]

    def node_pool_create(self, cluster: Cluster, pool: NodePool, opts: NodePoolCreateOptions | None = None) -> NodePool:
        self._record("create", cluster, pool, opts)
        return pool

    def node_pool_update(self, cluster: Cluster, pool: NodePool, opts: NodePoolUpdateOptions | None = None) -> NodePool:
        self._record("update", cluster, pool, opts)
        return pool

    def node_pool_delete(self, cluster: Cluster, pool_name: str, opts: NodePoolDeleteOptions | None = None) -> None:
        self._record("delete", cluster, pool_name, opts)


@pytest.fixture
def port() -> RecordingPort:
    return RecordingPort()


@pytest.fixture
def uc(port: RecordingPort) -> NodePoolUseCases:
    return NodePoolUseCases(clusters=InMemoryRepository("cluster", [CLUSTER]), pools=port)


def test_each_use_case_makes_one_port_call_with_its_options(uc: NodePoolUseCases, port: RecordingPort) -> None:
    assert uc.list(CLUSTER.id, "np1") == [NodePool(name="np1")]
    pool = NodePool(name="np1", mode="user")
    assert uc.create(CLUSTER.id, pool, force=True) is pool
    assert uc.update(CLUSTER.id, pool) is pool
    uc.delete(CLUSTER.id, "np1", force=True)
    assert port.calls == [
        ("list", "c1", None, NodePoolListOptions(name="np1")),
        ("create", "c1", pool, NodePoolCreateOptions(force=True)),
        ("update", "c1", pool, NodePoolUpdateOptions(force=False)),
        ("delete", "c1", "np1", NodePoolDeleteOptions(force=True)),
    ]


def test_cluster_id_is_required_and_must_exist(uc: NodePoolUseCases, port: RecordingPort) -> None:
    with pytest.raises(ValidationError, match=r"^cluster ID is required$"):
        uc.list("")
    with pytest.raises(NotFoundError, match=r"^cluster not found: /ws/w1/prv/p1/cls/zz$"):
        uc.create("/ws/w1/prv/p1/cls/zz", NodePool(name="np1"))
    assert port.calls == []


@pytest.mark.parametrize("name", [None, "", "  "])
def test_pool_name_is_required_before_the_port(uc: NodePoolUseCases, port: RecordingPort, name: str | None) -> None:
    for call in (
        lambda: uc.create(CLUSTER.id, NodePool(name=name)),
        lambda: uc.update(CLUSTER.id, NodePool(name=name)),
        lambda: uc.delete(CLUSTER.id, name or ""),
    ):
        with pytest.raises(ValidationError, match=r"^node pool name is required$"):
            call()
    assert port.calls == []


@pytest.mark.parametrize(
    "error",
    [
        CapabilityNotImplementedError("NodePoolCreate", "k3s"),
        DriverValidationError("pool.Mode must be one of system, user (got 'x')"),
        ProviderAPIError("begin create agent pool: QuotaExceeded: no quota", status_code=409),
    ],
)
def test_typed_port_errors_pass_through(uc: NodePoolUseCases, port: RecordingPort, error: Exception) -> None:
    port.fail = error
    with pytest.raises(type(error)) as exc:
        uc.create(CLUSTER.id, NodePool(name="np1"))
    assert exc.value is error


def test_untyped_port_errors_are_wrapped(uc: NodePoolUseCases, port: RecordingPort) -> None:
    port.fail = RuntimeError("boom")
    with pytest.raises(DriverError, match=r"^failed to delete node pool: boom$"):
        uc.delete(CLUSTER.id, "np1")


def test_through_the_k3s_driver_node_pools_are_not_implemented() -> None:
    from kompox.providers.registry import new_driver

    workspace = Workspace(id="/ws/w1", name="w1")
    provider = Provider(id="/ws/w1/prv/p1", name="p1", driver="k3s", workspace_id="/ws/w1")
    uc = NodePoolUseCases(
        clusters=InMemoryRepository("cluster", [CLUSTER]),
        pools=new_driver(workspace, provider),
    )
    with pytest.raises(CapabilityNotImplementedError, match=r"^NodePoolList is not implemented for k3s provider$"):
        uc.list(CLUSTER.id)

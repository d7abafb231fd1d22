"""Node-pool use cases: list, create, update, delete (kube-and-ops.md §12.2, seed 003).

Each use case checks its input, fetches the cluster from the repository and
makes one :class:`NodePoolPort` call.  Typed errors from the port pass through
unchanged (their category decides the exit code, and a driver's
``validation error: …`` text stays at the start of the message); anything
else is wrapped as ``failed to <op> node pool: <cause>``.

The comparison of an app's requested pools/zones with the cluster's pools
for ``app validate`` is :mod:`kompox.usecase.node_scheduling`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from kompox.domain.errors import DriverError, KompoxError, NotFoundError, ValidationError
from kompox.domain.model import Cluster, NodePool
from kompox.domain.options import (
    NodePoolCreateOptions,
    NodePoolDeleteOptions,
    NodePoolListOptions,
    NodePoolUpdateOptions,
)
from kompox.domain.ports import ClusterRepository, NodePoolPort

T = TypeVar("T")


@dataclass(frozen=True)
class NodePoolUseCases:
    clusters: ClusterRepository
    pools: NodePoolPort

    def _cluster(self, cluster_id: str) -> Cluster:
        if not cluster_id:
            raise ValidationError("cluster ID is required")
        try:
            return self.clusters.get(cluster_id)
        except NotFoundError as err:
            raise NotFoundError(f"cluster not found: {cluster_id}") from err

    def list(self, cluster_id: str, name: str = "") -> list[NodePool]:
        """All pools of the cluster, or the one named ``name`` (exact match; ``[]`` when absent)."""
        cluster = self._cluster(cluster_id)
        return _call("list", lambda: self.pools.node_pool_list(cluster, NodePoolListOptions(name=name)))

    def create(self, cluster_id: str, pool: NodePool, *, force: bool = False) -> NodePool:
        cluster = self._cluster(cluster_id)
        _require_name(pool.name)
        return _call("create", lambda: self.pools.node_pool_create(cluster, pool, NodePoolCreateOptions(force=force)))

    def update(self, cluster_id: str, pool: NodePool, *, force: bool = False) -> NodePool:
        cluster = self._cluster(cluster_id)
        _require_name(pool.name)
        return _call("update", lambda: self.pools.node_pool_update(cluster, pool, NodePoolUpdateOptions(force=force)))

    def delete(self, cluster_id: str, name: str, *, force: bool = False) -> None:
        cluster = self._cluster(cluster_id)
        _require_name(name)
        _call("delete", lambda: self.pools.node_pool_delete(cluster, name, NodePoolDeleteOptions(force=force)))


def _require_name(name: str | None) -> None:
    if name is None or not name.strip():
        raise ValidationError("node pool name is required")


def _call(op: str, fn: Callable[[], T]) -> T:
    try:
        return fn()
    except KompoxError:
        raise
    except Exception as err:
        raise DriverError(f"failed to {op} node pool: {err}") from err

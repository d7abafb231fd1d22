"""A stateful fake of AKS agent pools on top of the fake ARM transport.

Requests to ``…/managedClusters/<aks>/agentPools[/<name>]`` are answered from
an in-memory store the way ARM does it: PUT answers 201/200 with an
``Azure-AsyncOperation`` header whose status is ``InProgress`` for
``running`` polls and then ``Succeeded`` (the stored pool then reads
``provisioningState: Succeeded``); DELETE answers 202 with ``Location`` and
removes the pool when the operation finishes; deleting an unknown pool is 204
(ARM rule agentpool-delete-absent-204), reading one is 404 ``NotFound``, and an
unknown cluster makes every agent-pool call a 404 ``ResourceNotFound``.  Other paths fall
through to the route/queue behaviour of :class:`FakeARM` (deployment outputs).
Every request is recorded by the base class.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from providers.aks.arm_rules import ARM_RULES, enforced_by_default
from providers.aks.fake_arm import BASE, FakeARM, Reply, Seen, error

SUB = "00000000-0000-0000-0000-000000000000"
CLUSTER_RG = "k4x-b3wold_cls_cluster1_3c7zij"  # ws1 / aks1 / cluster1 (driver-aks.md §5.3 example A)
AKS_NAME = "aks-tok123"
DEPLOYMENT = f"/subscriptions/{SUB}/providers/Microsoft.Resources/deployments/{CLUSTER_RG}"
POOLS = (
    f"/subscriptions/{SUB}/resourceGroups/{CLUSTER_RG}/providers/Microsoft.ContainerService/"
    f"managedClusters/{AKS_NAME}/agentPools"
)
OUTPUTS = {
    "AZURE_RESOURCE_GROUP_NAME": {"type": "String", "value": CLUSTER_RG},
    "AZURE_AKS_CLUSTER_NAME": {"type": "String", "value": AKS_NAME},
}
_POOL_PATH = re.compile(
    r"/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/Microsoft\.ContainerService/"
    r"managedClusters/([^/]+)/agentPools(?:/([^/]+))?",
    re.IGNORECASE,
)
_READ_ONLY = ("provisioningState", "currentOrchestratorVersion", "nodeImageVersion", "eTag")


def pool_path(name: str) -> str:
    return f"{POOLS}/{name}"


def agent_pool(
    name: str,
    *,
    mode: str = "User",
    vm_size: str = "Standard_D2s_v3",
    os_disk_type: str = "Managed",
    os_disk_size_gb: int = 128,
    priority: str = "Regular",
    zones: list[str] | None = None,
    labels: dict[str, str] | None = None,
    autoscale: tuple[int, int] | None = None,
    count: int = 1,
    state: str = "Succeeded",
) -> dict[str, Any]:
    """An agent pool resource as ARM returns it."""
    props: dict[str, Any] = {
        "count": count,
        "vmSize": vm_size,
        "osDiskSizeGB": os_disk_size_gb,
        "osDiskType": os_disk_type,
        "mode": mode,
        "scaleSetPriority": priority,
        "provisioningState": state,
        "powerState": {"code": "Running"},
        "orchestratorVersion": "1.33.2",
        "currentOrchestratorVersion": "1.33.2",
        "osType": "Linux",
        "type": "VirtualMachineScaleSets",
        "enableAutoScaling": autoscale is not None,
    }
    if autoscale is not None:
        props["minCount"], props["maxCount"] = autoscale
    if priority == "Spot":
        # as AKS answers for a Spot pool: its eviction policy, price cap and the taint AKS adds
        props["scaleSetEvictionPolicy"] = "Delete"
        props["spotMaxPrice"] = -1
        props["nodeTaints"] = ["kubernetes.azure.com/scalesetpriority=spot:NoSchedule"]
    if zones:
        props["availabilityZones"] = list(zones)
    if labels:
        props["nodeLabels"] = dict(labels)
    return {
        "id": pool_path(name),
        "name": name,
        "type": "Microsoft.ContainerService/managedClusters/agentPools",
        "properties": props,
    }


class AgentPoolARM(FakeARM):
    """FakeARM plus a stateful agent-pool collection for one AKS cluster."""

    def __init__(self, *, running: int = 1, cluster_exists: bool = True, enforce: set[str] | None = None) -> None:
        super().__init__()
        self.enforce = enforced_by_default() if enforce is None else set(enforce)
        assert self.enforce <= set(ARM_RULES), self.enforce - set(ARM_RULES)
        self.pools: dict[str, dict[str, Any]] = {}
        self.running = running
        self.cluster_exists = cluster_exists
        self._ops: dict[str, list[Reply]] = {}
        self._after: dict[str, Any] = {}

    def provisioned(self) -> AgentPoolARM:
        """Answer the cluster's deployment outputs (the AKS cluster name)."""
        self.on("GET", DEPLOYMENT, Reply(200, {"properties": {"provisioningState": "Succeeded", "outputs": OUTPUTS}}))
        return self

    def add(self, pool: dict[str, Any]) -> AgentPoolARM:
        self.pools[pool["name"]] = copy.deepcopy(pool)
        return self

    def pool_writes(self) -> list[Seen]:
        return [r for r in self.writes() if "/agentpools" in r.path.lower()]

    # transport ---------------------------------------------------------------

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(str(request.url))
        match = _POOL_PATH.fullmatch(parts.path)
        op = parts.path.rsplit("/", 1)[-1] if parts.path.startswith("/fakepoolops/") else None
        if match is None and op is None:
            return super().send(request, **kwargs)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        body = json.loads(request.body) if request.body else None
        self.requests.append(
            Seen(str(request.method), str(request.url), parts.path, query, body, dict(request.headers))
        )
        if op is not None:
            return self._response(request, self._poll(op))
        assert match is not None
        return self._response(request, self._pools(str(request.method), match.group(3), body))

    def _poll(self, op: str) -> Reply:
        queue = self._ops[op]
        if len(queue) > 1:
            return queue.pop(0)
        if op in self._after:
            self._after.pop(op)()  # the operation completes with its final answer
        return queue[0]

    def _new_op(self, finish: Any, *, delete: bool = False) -> str:
        op = str(len(self._ops))
        if delete:
            self._ops[op] = [Reply(202, None, {"Retry-After": "0"})] * self.running + [Reply(200)]
        else:
            self._ops[op] = [Reply(200, {"status": "InProgress"}, {"Retry-After": "0"})] * self.running + [
                Reply(200, {"status": "Succeeded"})
            ]
        self._after[op] = finish
        return f"{BASE}/fakepoolops/{op}"

    def _pools(self, method: str, name: str | None, body: Any) -> Reply:
        if not self.cluster_exists:
            # ARM rule agentpool-not-found-codes: an absent managed cluster is 404 ResourceNotFound, an absent
            # pool 404 NotFound (aks/stable/2024-09-01/managedClusters.json; docs: troubleshooting/error-not-found).
            return error(404, "ResourceNotFound", f"managed cluster {AKS_NAME} not found")
        if name is None:
            if method != "GET":
                return error(405, "MethodNotAllowed", method)
            return Reply(200, {"value": [copy.deepcopy(p) for p in self.pools.values()]})
        if method == "GET":
            if name not in self.pools:
                return error(404, "NotFound", f"agent pool {name} not found")
            return Reply(200, copy.deepcopy(self.pools[name]))
        if method == "PUT":
            return self._put(name, body or {})
        if method == "DELETE":
            if name not in self.pools:
                if "agentpool-delete-absent-204" in self.enforce:
                    # ARM rule agentpool-delete-absent-204: AgentPools_Delete answers 204 NoContent for a pool
                    # that does not exist (aks/stable/2024-09-01/managedClusters.json, responses 202/204).
                    return Reply(204)
                return error(404, "NotFound", f"agent pool {name} not found")
            self.pools[name]["properties"]["provisioningState"] = "Deleting"
            loc = self._new_op(lambda: self.pools.pop(name, None), delete=True)
            return Reply(202, None, {"Location": loc, "Retry-After": "0"})
        return error(405, "MethodNotAllowed", method)

    def _put(self, name: str, body: dict[str, Any]) -> Reply:
        props = {k: v for k, v in (body.get("properties") or {}).items() if k not in _READ_ONLY and v is not None}
        existed = name in self.pools
        stored = agent_pool(name)
        stored["properties"] = {
            "count": 1,
            "osType": "Linux",
            "type": "VirtualMachineScaleSets",
            "mode": "User",
            "scaleSetPriority": "Regular",
            "enableAutoScaling": False,
            "vmSize": "Standard_D2s_v3",
            "osDiskType": "Managed",
            "osDiskSizeGB": 128,
            **props,
            "provisioningState": "Updating" if existed else "Creating",
            "currentOrchestratorVersion": "1.33.2",
        }
        self.pools[name] = stored

        def finish() -> None:
            self.pools[name]["properties"]["provisioningState"] = "Succeeded"

        op = self._new_op(finish)
        return Reply(200 if existed else 201, copy.deepcopy(stored), {"Azure-AsyncOperation": op, "Retry-After": "0"})

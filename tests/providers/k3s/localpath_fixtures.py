"""A K3s cluster for volume tests: kmock with nodes, a node executor for helper pods, and the K3s driver.

Nodes: ``node-a`` and ``node-b`` (pool ``user``, zones ``zone-a``/``zone-b``),
``node-s`` (pool ``system``).  The driver reaches kmock through the cluster
setting ``KUBECONFIG``; its clock, sleeps and polling clock are fakes.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[2] / "kube"))

from kmock_server import KMockThread

from kompox.domain.model import App, AppVolume, Cluster, Provider, Workspace
from kompox.kube.client import KubeClient
from kompox.kube.transport import RetryPolicy
from kompox.providers.k3s.driver import K3sDriver
from kompox.providers.k3s.kubeconfig_source import KubeconfigEnv

from .node_executor import NodeExecutor

NODES = {
    "node-a": {"kompox.dev/node-pool": "user", "kompox.dev/node-zone": "zone-a"},
    "node-b": {"kompox.dev/node-pool": "user", "kompox.dev/node-zone": "zone-b"},
    "node-s": {"kompox.dev/node-pool": "system"},
}
BASE = "/var/lib/kompox/volumes"
START = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def node_object(name: str, labels: dict[str, str], *, ready: bool = True, cordoned: bool = False) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **labels}},
        "spec": {"unschedulable": True} if cordoned else {},
        "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]},
    }


@dataclass
class FakeTime:
    now: datetime = START
    ticks: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def monotonic(self) -> float:
        return self.ticks

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.ticks += seconds


@dataclass
class K3sVolumeCluster:
    server: KMockThread
    executor: NodeExecutor
    time: FakeTime
    driver: K3sDriver
    cluster: Cluster
    workdir: Path
    progress: list[str] = field(default_factory=list)

    def put_node(self, name: str, labels: dict[str, str], **state: bool) -> None:
        self.server.put("v1/nodes", node_object(name, labels, **state))

    def objects(self, plural: str) -> dict[str, dict[str, Any]]:
        return {name: obj for (p, _ns, name), obj in self.server.objects().items() if p == plural}

    def close(self) -> None:
        self.server.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def make_cluster(settings: dict[str, str] | None = None) -> K3sVolumeCluster:
    workdir = Path(tempfile.mkdtemp(prefix="k3s-localpath-"))
    server = KMockThread().start()
    executor = NodeExecutor(workdir / "nodes")
    server.pod_runner = executor
    for name, labels in NODES.items():
        server.put("v1/nodes", node_object(name, labels))
    kubeconfig = workdir / "kubeconfig.yaml"
    kubeconfig.write_bytes(server.kubeconfig)
    fake = FakeTime()
    progress: list[str] = []
    driver = K3sDriver(
        Workspace(id="/ws/ws1", name="ws1"),
        Provider(id="/ws/ws1/prv/k3s1", name="k3s1", workspace_id="/ws/ws1", driver="k3s"),
        env=KubeconfigEnv(home=str(workdir), cwd=str(workdir)),
        kube=lambda kc: KubeClient(kc, timeout=5, retry=RetryPolicy(sleep=lambda _s: None)),
        progress=progress.append,
        clock=fake.clock,
        sleep=fake.sleep,
        monotonic=fake.monotonic,
    )
    cluster = Cluster(
        id="/ws/ws1/prv/k3s1/cls/cluster1",
        name="cluster1",
        provider_id="/ws/ws1/prv/k3s1",
        existing=True,
        settings={"KUBECONFIG": str(kubeconfig), **(settings or {})},
    )
    return K3sVolumeCluster(server, executor, fake, driver, cluster, workdir, progress)


def make_app(cluster: Cluster, volumes: list[AppVolume], **deployment: Any) -> App:
    from kompox.domain.model import AppDeployment

    return App(
        id=f"{cluster.id}/app/app1",
        name="app1",
        cluster_id=cluster.id,
        volumes=volumes,
        deployment=AppDeployment(**deployment),
    )

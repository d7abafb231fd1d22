"""The AKS driver over the real ContainerServiceClient and the stateful agent-pool fake."""

from __future__ import annotations

from kompox.domain.model import Cluster, ClusterIngress, Provider, Workspace
from kompox.providers.aks import AKSDriver
from providers.aks.fake_arm import FakeCredential, client_kwargs

from .agentpool_fake import SUB, AgentPoolARM, agent_pool, pool_path
from .harness import LOCATION, NodePoolHarness, SeedPool

SETTINGS = {"AZURE_SUBSCRIPTION_ID": SUB, "AZURE_LOCATION": LOCATION, "AZURE_AUTH_METHOD": "azure_cli"}


def make_aks_harness() -> NodePoolHarness:
    fake = AgentPoolARM(running=2).provisioned()
    driver = AKSDriver(
        Workspace(name="ws1"),
        Provider(name="aks1", driver="aks", settings=dict(SETTINGS)),
        credential=FakeCredential(),
        client_kwargs=client_kwargs(fake),
        progress=lambda _line: None,
    )

    def seed(pool: SeedPool) -> None:
        fake.add(agent_pool(pool.name, zones=pool.zones, labels=pool.labels, autoscale=(1, 3), count=2))

    def wire(name: str) -> list[str]:
        puts = [r for r in fake.pool_writes() if r.method == "PUT" and r.path.lower() == pool_path(name).lower()]
        return [r.body["properties"]["vmSize"] for r in puts if "vmSize" in r.body.get("properties", {})]

    return NodePoolHarness(
        name="aks",
        driver=driver,
        cluster=Cluster(name="cluster1", ingress=ClusterIngress(), settings={}),
        capable=True,
        seed=seed,
        writes=lambda: len(fake.writes()),
        requests=lambda: len(fake.requests),
        polls=lambda: len(fake.seen("GET", "/fakepoolops/")),
        instance_type_wire=wire,
    )

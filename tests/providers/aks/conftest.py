from __future__ import annotations

from typing import Any

import pytest

from kompox.domain.model import Cluster, ClusterIngress, Provider, Workspace
from kompox.providers.aks import AKSDriver

from .fake_arm import FakeARM, FakeCredential, client_kwargs

SUB = "00000000-0000-0000-0000-000000000000"
SETTINGS = {
    "AZURE_SUBSCRIPTION_ID": SUB,
    "AZURE_LOCATION": "japaneast",
    "AZURE_AUTH_METHOD": "azure_cli",
}
# Example A of driver-aks.md §5.3
CLUSTER_RG = "k4x-b3wold_cls_cluster1_3c7zij"


@pytest.fixture
def fake() -> FakeARM:
    return FakeARM()


@pytest.fixture
def credential() -> FakeCredential:
    return FakeCredential()


@pytest.fixture
def progress() -> list[str]:
    return []


@pytest.fixture
def make_driver(fake: FakeARM, credential: FakeCredential, progress: list[str]) -> Any:
    def build(settings: dict[str, str] | None = None, **kw: Any) -> AKSDriver:
        return AKSDriver(
            Workspace(name="ws1"),
            Provider(name="aks1", driver="aks", settings=settings or dict(SETTINGS)),
            credential=credential,
            client_kwargs=client_kwargs(fake),
            progress=progress.append,
            **kw,
        )

    return build


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(name="cluster1", ingress=ClusterIngress(), settings={})

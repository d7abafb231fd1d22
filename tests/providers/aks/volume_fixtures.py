"""Shared setup of the AKS volume backend tests (no tests here).

The stateful fake ARM (``fake``), cluster ``cluster1`` whose deployment
outputs carry its principals (``cluster``), the driver over the real
azure-mgmt clients (``driver``), and the Example A names of driver-aks.md
§5.3 (workspace ws1, provider aks1, app app1).  A test module binds the
fixtures it uses (``fake = volume_fixtures.fake``) and defines its own ``app``.
"""

from __future__ import annotations

import pytest

from contract.volume.harness_aks import SUBSCRIPTION, make_aks_driver, principals
from kompox.domain.model import Cluster
from kompox.providers.aks import AKSDriver

from .conftest import CLUSTER_RG
from .fake_arm_volumes import FakeVolumeARM

GIB = 1 << 30
RG = "k4x-b3wold_app_app1_5z5nb0"
COMPUTE = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.Compute"
ACCOUNT = "k4xb3wold5z5nb0"
ACCOUNT_PATH = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.Storage/storageAccounts/{ACCOUNT}"
)
SHARES = f"{ACCOUNT_PATH}/fileServices/default/shares"
APP_TAGS = {
    "kompox-workspace-name": "ws1",
    "kompox-provider-name": "aks1",
    "kompox-app-name": "app1",
    "kompox-app-id-hash": "5z5nb0",
    "managed-by": "kompox",
}


@pytest.fixture
def fake() -> FakeVolumeARM:
    return FakeVolumeARM()


@pytest.fixture
def cluster(fake: FakeVolumeARM) -> Cluster:
    c = Cluster(name="cluster1")
    fake.deployments[CLUSTER_RG] = principals(c)  # the cluster deployment is named like its resource group
    return c


@pytest.fixture
def driver(fake: FakeVolumeARM) -> AKSDriver:
    return make_aks_driver(fake)

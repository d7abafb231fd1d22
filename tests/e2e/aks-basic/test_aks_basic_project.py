"""The aks-basic e2e project validates offline: ``kompoxops app validate`` against the fake ARM.

``tests/e2e/aks-basic/project`` is the AKS project the opt-in e2e deploys
(its own workspace, ``aks`` provider and cluster; not the K3s example).  Here
the real CLI runs ``disk create --bootstrap`` and ``app validate`` on a copy of
it, with the AKS driver wired to the stateful fake ARM, so the project is
checked on every run without Azure credentials.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

TESTS = Path(__file__).resolve().parents[2]
for extra in (TESTS, TESTS / "cli"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from cli_project import isolate_env, run_cli  # noqa: E402

from contract.volume.harness_aks import principals  # noqa: E402
from kompox.domain.model import Cluster, Provider, Workspace  # noqa: E402
from kompox.providers import registry  # noqa: E402
from kompox.providers.aks import AKSDriver  # noqa: E402
from kompox.providers.aks.arm_template import OUT_AKS_CLUSTER_NAME, OUT_RESOURCE_GROUP_NAME  # noqa: E402
from providers.aks.fake_arm import FakeCredential, Reply, client_kwargs  # noqa: E402
from providers.aks.fake_arm_volumes import FakeVolumeARM  # noqa: E402

PROJECT = Path(__file__).resolve().parent / "project"
POOLS = (
    "/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.ContainerService/managedClusters/aks-e2e/agentPools"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("logs"))
    isolate_env(monkeypatch)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def arm() -> Iterator[FakeVolumeARM]:
    fake = FakeVolumeARM(location="japaneast")

    def factory(workspace: Workspace | None, provider: Provider) -> AKSDriver:
        driver = AKSDriver(workspace, provider, credential=FakeCredential(), client_kwargs=client_kwargs(fake))
        cluster = Cluster(name="cluster1")
        deployment = driver.names.deployment_name(cluster)
        outputs = {
            **principals(cluster),
            OUT_RESOURCE_GROUP_NAME: driver.names.cluster_resource_group(cluster),
            OUT_AKS_CLUSTER_NAME: "aks-e2e",
        }
        fake.deployments.setdefault(deployment, outputs)
        fake.on("GET", POOLS, Reply(200, {"value": []}))
        return driver

    registry.get_factory("aks")  # import the built-in driver first, so our factory wins
    saved = dict(registry._REGISTRY)
    registry.register("aks", factory)
    yield fake
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)


def test_project_targets_aks_not_k3s() -> None:
    docs = list(yaml.safe_load_all((PROJECT / ".kompox" / "kom" / "cluster.yml").read_text()))
    (provider,) = [d for d in docs if d["kind"] == "Provider"]
    assert provider["spec"]["driver"] == "aks"
    app = yaml.safe_load((PROJECT / "kompoxapp.yml").read_text())
    assert app["metadata"]["annotations"]["ops.kompox.dev/id"].startswith("/ws/aks-e2e-basic/prv/aks1/cls/cluster1/")


def test_app_validate_offline(project: Path, arm: FakeVolumeARM, capsys: pytest.CaptureFixture[str]) -> None:
    created = run_cli(capsys, "disk", "create", "--bootstrap")
    assert created.code == 0, created.err
    result = run_cli(capsys, "app", "validate", "--out-manifest", "-")
    assert result.code == 0, result.err
    manifests = [d for d in yaml.safe_load_all(result.out) if d]
    pvs = [d for d in manifests if d["kind"] == "PersistentVolume"]
    assert sorted(pv["spec"]["csi"]["driver"] for pv in pvs) == ["disk.csi.azure.com"] * 2
    assert {pv["spec"]["storageClassName"] for pv in pvs} == {"managed-csi"}
    assert all(pv["spec"]["csi"]["volumeHandle"].startswith("/subscriptions/") for pv in pvs)
    assert arm.writes() and all(w.method in ("PUT", "PATCH") for w in arm.writes())  # only the bootstrap wrote

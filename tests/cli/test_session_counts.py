"""One command builds each thing once: the store, the provider driver and the kube client.

The counters wrap the constructors themselves (``InMemoryRepositories``, the
registry's ``new_driver``, ``KubeClient``, the legacy file loader), so any
code path that opened the store or built a driver a second time would show.
The commands run against the fake servers: kmock for the K3s cluster
(``app deploy``) and the stateful fake ARM for the AKS disks (``disk create``).
The output streams are the test's own buffers (``run(..., stdout=, stderr=)``).
"""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from app_cli_project import NS, app_project
from cli_project import ROOT, isolate_env, write_project

from kompox.cli.main import run
from kompox.kube.client import KubeClient
from kompox.providers import registry
from kompox.store.inmem import InMemoryRepositories

if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from contract.volume.harness_aks import SETTINGS, principals
from kompox.domain.model import Cluster
from kompox.providers.aks import AKSDriver
from providers.aks.fake_arm import FakeCredential, client_kwargs
from providers.aks.fake_arm_volumes import FakeVolumeARM


@pytest.fixture()
def counts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts of store opens, driver builds, legacy file reads and kube clients opened/closed."""
    seen: Counter[str] = Counter()

    def counting(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(InMemoryRepositories, "__init__", counting("store opened", InMemoryRepositories.__init__))
    monkeypatch.setattr(registry, "new_driver", counting("driver built", registry.new_driver))
    monkeypatch.setattr(KubeClient, "__init__", counting("kube client opened", KubeClient.__init__))
    monkeypatch.setattr(KubeClient, "close", counting("kube client closed", KubeClient.close))
    import kompox.kom.legacy as legacy_module  # the session imports it when it opens a legacy store

    monkeypatch.setattr(
        legacy_module, "load_legacy_db_url", counting("legacy file read", legacy_module.load_legacy_db_url)
    )
    return seen


def run_buffered(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_app_deploy_opens_the_store_and_builds_the_driver_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], counts: Counter[str]
) -> None:
    with app_project(tmp_path, monkeypatch, capsys, rollout="ready") as project:
        code, out, err = run_buffered("app", "deploy", "--update-dns")
        assert code == 0, err
        print("app deploy:", dict(sorted(counts.items())))
        assert counts == {"store opened": 1, "driver built": 1, "kube client opened": 1, "kube client closed": 1}
        assert out == "" and "successfully rolled out" in err  # progress went to the given stderr buffer
        assert ("apps/v1/deployments", NS, "web-app") in project.server.objects()


def test_legacy_app_deploy_reads_its_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], counts: Counter[str]
) -> None:
    """Single-file mode generates random IDs on each read: one read, so one App object per command."""
    with app_project(tmp_path, monkeypatch, capsys, rollout="ready") as project:
        (project.root / ".kompox" / "kom" / "cluster.yml").unlink()
        (project.root / "kompoxapp.yml").unlink()
        (project.root / "kompoxops.yml").write_text(
            "version: v1\nworkspace:\n  name: demo\nprovider:\n  name: k3s1\n  driver: k3s\n"
            "cluster:\n  name: home\n  existing: true\n  settings:\n    KUBECONFIG: kube/config.yaml\n"
            "app:\n  name: web\n  compose: file:compose.yml\n"
        )
        code, _, err = run_buffered("app", "deploy", "--bootstrap-disks")
        assert code == 0, err
        print("legacy app deploy:", dict(sorted(counts.items())))
        assert counts == {
            "legacy file read": 1,
            "store opened": 1,
            "driver built": 1,
            "kube client opened": 1,
            "kube client closed": 1,
        }


# --- disk create against the fake ARM ------------------------------------------------------------

AKS_KOM = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata:
  name: ws1
  annotations:
    ops.kompox.dev/id: /ws/ws1
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata:
  name: aks1
  annotations:
    ops.kompox.dev/id: /ws/ws1/prv/aks1
spec:
  driver: aks
  settings:
{settings}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata:
  name: cluster1
  annotations:
    ops.kompox.dev/id: /ws/ws1/prv/aks1/cls/cluster1
spec:
  existing: true
"""

AKS_APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata:
  name: app1
  annotations:
    ops.kompox.dev/id: /ws/ws1/prv/aks1/cls/cluster1/app/app1
spec:
  compose: file:compose.yml
  volumes:
    - name: db
      size: 10Gi
"""

AKS_COMPOSE = "services:\n  web:\n    image: nginx\n    volumes:\n      - db:/var/lib/db\n"


@pytest.fixture()
def fake_arm(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVolumeARM]:
    """The ``aks`` driver id builds the real AKS driver over the fake ARM (and a fake credential)."""
    fake = FakeVolumeARM()

    def factory(workspace: Any, provider: Any) -> AKSDriver:
        return AKSDriver(
            workspace, provider, credential=FakeCredential(), client_kwargs=client_kwargs(fake), progress=print
        )

    monkeypatch.setitem(registry._REGISTRY, "aks", factory)
    yield fake


def test_disk_create_opens_the_store_and_builds_the_driver_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counts: Counter[str], fake_arm: FakeVolumeARM
) -> None:
    settings = "\n".join(f"    {key}: {value}" for key, value in SETTINGS.items())
    root = tmp_path / "proj"
    write_project(root, kom=AKS_KOM.format(settings=settings), app=AKS_APP, compose=AKS_COMPOSE)
    isolate_env(monkeypatch, home=tmp_path / "home")
    monkeypatch.chdir(root)
    # the deployment of cluster1 carries its principals, as after `cluster provision` (driver-aks.md §5.3 Example A)
    fake_arm.deployments["k4x-b3wold_cls_cluster1_3c7zij"] = principals(Cluster(name="cluster1"))

    code, out, err = run_buffered("disk", "create", "-V", "db", "-N", "d1")

    assert code == 0, err
    print("disk create:", dict(sorted(counts.items())))
    assert counts == {"store opened": 1, "driver built": 1}
    assert json.loads(out)["name"] == "d1" and json.loads(out)["assigned"] is True

"""The bundled stateless example, end to end on an existing cluster (K3s driver) served by kmock.

The example is copied unchanged; the standard kubeconfig resolution
(``$KUBECONFIG``) points the K3s driver at the emulator on 127.0.0.1, so this
is the walkthrough of the README: validate, install, deploy, status, destroy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from example_walk import ROOT, Walk, copy_example
from kmock_server import KMockThread  # on sys.path through example_walk

from kompox.kube.convert.object_check import check_objects

GOLDEN = ROOT / "tests" / "golden" / "examples" / "whoami.yaml"
K8S_VERSION = "1.33.0"
REGEN = os.environ.get("KOMPOX_REGEN_GOLDEN") == "1"  # read before the fixture clears KOMPOX_*


@pytest.fixture
def walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Walk]:
    server = KMockThread(rollout="ready").start()
    root = copy_example("whoami", tmp_path, monkeypatch, server)
    try:
        yield Walk(root, server, capsys)
    finally:
        server.stop()


def test_whoami_validates_to_its_golden_manifest(walk: Walk) -> None:
    code, out, err = walk.run("app", "validate", "--out-manifest", "-")
    assert code == 0, err
    assert err == (  # no volumes: nothing to warn about; the summary line only
        "app validate: app whoami is valid: 10 Kubernetes objects (1 Namespace, 1 ServiceAccount, 1 Role, "
        "1 RoleBinding, 1 NetworkPolicy, 1 Deployment, 2 Service, 2 Ingress), 0 warnings\n"
    )
    docs = list(yaml.safe_load_all(out))
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    assert [v.text() for v in check_objects(docs)] == []
    if REGEN:
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")
    assert walk.server.kube_requests() == []  # validate never talks to the cluster


def test_whoami_install_deploy_status_destroy_on_an_existing_cluster(walk: Walk) -> None:
    code, _, err = walk.run("cluster", "install")
    assert code == 0, err
    code, out, err = walk.run("cluster", "status")
    assert code == 0, err
    assert json.loads(out)["installed"] is True

    code, _, err = walk.run("app", "deploy")
    assert code == 0, err
    assert err.splitlines()[-1] == 'app deploy: deployment "whoami-app" successfully rolled out'
    manifest = [d for d in yaml.safe_load_all(GOLDEN.read_text()) if d]
    held = walk.server.objects()
    for doc in manifest:
        meta = doc["metadata"]
        assert any(name == meta["name"] and ns == meta.get("namespace") for _, ns, name in held), doc["kind"]
    before = walk.server.objects()
    code, _, err = walk.run("app", "deploy")
    assert code == 0, err
    assert walk.server.objects() == before  # deploying twice changes nothing

    code, out, err = walk.run("app", "status")
    assert code == 0, err
    status = json.loads(out)
    assert status["ready"] is True and status["ingress_hosts"] == [
        "whoami-3a07jk-8080.home.example.com",  # generated from the cluster domain
        "whoami.example.org",
    ]

    code, _, err = walk.run("app", "destroy")
    assert code == 0, err
    namespace = next(d["metadata"]["name"] for d in manifest if d["kind"] == "Namespace")
    left = sorted(k[0].rsplit("/", 1)[1] for k in walk.server.objects() if k[1] == namespace and k[0] != "v1/pods")
    # kube-and-ops.md §13: the workload, its Services and Ingresses go; identity and policy stay
    assert left == ["networkpolicies", "rolebindings", "roles", "serviceaccounts"]

    code, _, err = walk.run("app", "destroy", "--delete-namespace")
    assert code == 0, err
    assert not [k for k in walk.server.objects() if k[1] == namespace or k[2] == namespace]

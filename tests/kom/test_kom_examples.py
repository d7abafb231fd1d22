"""Loading valid KOM: the spec's example and a configuration using every field."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompox.domain.model import (
    App,
    AppIngressRule,
    ClusterIngressCertificate,
    LabelSelectorRequirement,
    NetworkPolicyPort,
)
from kompox.kom import KomState, Mode, initialize_kom, resolve_project
from kompox.kom.resource_id import DOC_INDEX_ANNOTATION, DOC_PATH_ANNOTATION

SPEC_EXAMPLE = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata: {name: ws1, annotations: {ops.kompox.dev/id: /ws/ws1}}
spec: {}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata: {name: prv1, annotations: {ops.kompox.dev/id: /ws/ws1/prv/prv1}}
spec: {driver: k3s}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata: {name: cls1, annotations: {ops.kompox.dev/id: /ws/ws1/prv/prv1/cls/cls1}}
spec: {}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata: {name: app1, annotations: {ops.kompox.dev/id: /ws/ws1/prv/prv1/cls/cls1/app/app1}}
spec:
  compose: |
    services:
      app:
        image: nginx
"""


def load(root: Path, env: dict[str, str] | None = None, **kwargs: object) -> KomState:
    env = env or {}
    project = resolve_project(root, env)
    return initialize_kom(project, root, env, **kwargs)  # type: ignore[arg-type]


def test_spec_example_enables_kom_mode(tmp_path: Path) -> None:
    (tmp_path / ".kompox").mkdir()
    (tmp_path / "kompoxapp.yml").write_text(SPEC_EXAMPLE)
    state = load(tmp_path)
    assert state.mode is Mode.KOM
    assert state.default_app_id == "/ws/ws1/prv/prv1/cls/cls1/app/app1"
    assert state.default_cluster_id == "/ws/ws1/prv/prv1/cls/cls1"
    res = state.resources
    assert res is not None
    [ws], [prv], [cls], [app] = res.workspaces, res.providers, res.clusters, res.apps
    assert (ws.id, ws.name) == ("/ws/ws1", "ws1")
    assert (prv.id, prv.name, prv.workspace_id, prv.driver, prv.settings) == (
        "/ws/ws1/prv/prv1",
        "prv1",
        "/ws/ws1",
        "k3s",
        None,
    )
    assert (cls.id, cls.name, cls.provider_id, cls.existing) == (
        "/ws/ws1/prv/prv1/cls/cls1",
        "cls1",
        "/ws/ws1/prv/prv1",
        False,
    )
    assert cls.ingress is None and cls.protection is None and cls.settings is None
    assert app.id == "/ws/ws1/prv/prv1/cls/cls1/app/app1"
    assert app.name == "app1"
    assert app.cluster_id == "/ws/ws1/prv/prv1/cls/cls1"
    assert app.compose == "services:\n  app:\n    image: nginx\n"
    assert app.ref_base == f"file://{tmp_path}/"
    assert app.volumes == [] and app.ingress.rules == [] and app.network_policy.ingress_rules == []
    assert res.boxes == []
    docs = {d.kind: d for d in state.documents}
    assert docs["App"].annotations[DOC_PATH_ANNOTATION] == "./kompoxapp.yml"
    assert docs["App"].annotations[DOC_INDEX_ANNOTATION] == "4"
    assert [d.kind for d in state.documents] == ["Workspace", "Provider", "Cluster", "App"]


FULL_INFRA = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata:
  name: ws1
  annotations: {ops.kompox.dev/id: /ws/ws1}
spec:
  settings: {IGNORED: x}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: not-kompox}
---
# just a comment chunk
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata:
  name: aks1
  annotations: {ops.kompox.dev/id: /ws/ws1/prv/aks1}
spec:
  driver: aks
  settings:
    AZURE_SUBSCRIPTION_ID: 00000000-0000-0000-0000-000000000000
    AZURE_LOCATION: japaneast
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata:
  name: cls1
  annotations: {ops.kompox.dev/id: /ws/ws1/prv/aks1/cls/cls1}
spec:
  existing: yes
  ingress:
    namespace: ingress
    controller: traefik
    serviceAccount: sa1
    domain: apps.example.com
    certResolver: staging
    certEmail: ops@example.com
    certificates:
    - {name: wildcard, source: "https://kv.vault.azure.net/secrets/wildcard"}
  protection:
    provisioning: cannotDelete
  settings:
    AZURE_AKS_SYSTEM_VM_SIZE: Standard_D2ds_v4
    NODE_COUNT: 3
"""

FULL_APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: Defaults
metadata: {name: defaults}
spec:
  komPath: [infra]
  appId: /ws/ws1/prv/aks1/cls/cls1/app/web
---
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata:
  name: web
  annotations: {ops.kompox.dev/id: /ws/ws1/prv/aks1/cls/cls1/app/web}
spec:
  compose: file:compose.yml
  ingress:
    certResolver: production
    rules:
    - {name: main, port: 8080, hosts: [www.example.com, example.com]}
  volumes:
  - {name: db, size: 10Gi}
  - {name: files, size: 1073741824, type: files, options: {sku: Premium_LRS, quotaGiB: 100}}
  - {name: tmp, size: 1024.7, type: disk}
  deployment:
    pool: user
    zones: ["1", "2"]
  networkPolicy:
    ingressRules:
    - from:
      - namespaceSelector:
          matchLabels: {team: ops}
          matchExpressions:
          - {key: env, operator: In, values: [prod, stage]}
      ports:
      - {port: 5432}
      - {protocol: UDP, port: 53}
  resources: {cpu: 500m, memory: 1Gi}
  settings:
    INT_VALUE: 64
    FLOAT_VALUE: 3.14
    LONG_FLOAT: 1.23456789
    BIG_FLOAT: 1e7
    BOOL_TRUE: true
    YES_VALUE: yes
    Y_VALUE: y
    OFF_VALUE: off
    ZERO: 0
    DATE: 2024-01-02
    EMPTY:
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Box
metadata:
  name: api
  annotations: {ops.kompox.dev/id: /ws/ws1/prv/aks1/cls/cls1/app/web/box/api}
spec:
  image: busybox
  command: [sh, -c]
  args: [sleep 3600]
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Box
metadata:
  name: worker
  annotations: {ops.kompox.dev/id: /ws/ws1/prv/aks1/cls/cls1/app/web/box/worker}
spec: {}
"""


@pytest.fixture
def full_project(tmp_path: Path) -> Path:
    (tmp_path / ".kompox").mkdir()
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "infra.yaml").write_text(FULL_INFRA)
    (tmp_path / "kompoxapp.yml").write_text(FULL_APP)
    return tmp_path


def test_full_configuration_field_by_field(full_project: Path) -> None:
    state = load(full_project)
    assert state.mode is Mode.KOM
    assert state.kom_path_source == "Defaults.spec.komPath in kompoxapp.yml"
    assert state.files == [str(full_project / "infra" / "infra.yaml")]
    assert state.default_app_id == "/ws/ws1/prv/aks1/cls/cls1/app/web"
    assert state.default_cluster_id == "/ws/ws1/prv/aks1/cls/cls1"
    res = state.resources
    assert res is not None
    [prv] = res.providers
    assert prv.driver == "aks"
    assert prv.settings == {
        "AZURE_SUBSCRIPTION_ID": "00000000-0000-0000-0000-000000000000",
        "AZURE_LOCATION": "japaneast",
    }
    [cls] = res.clusters
    assert cls.existing is True
    assert cls.ingress is not None
    assert cls.ingress.namespace == "ingress"
    assert cls.ingress.controller == "traefik"
    assert cls.ingress.service_account == "sa1"
    assert cls.ingress.domain == "apps.example.com"
    assert cls.ingress.cert_resolver == "staging"
    assert cls.ingress.cert_email == "ops@example.com"
    assert cls.ingress.certificates == [
        ClusterIngressCertificate("wildcard", "https://kv.vault.azure.net/secrets/wildcard")
    ]
    assert cls.protection is not None
    assert (cls.protection.provisioning, cls.protection.installation) == ("cannotDelete", "none")
    assert cls.settings == {"AZURE_AKS_SYSTEM_VM_SIZE": "Standard_D2ds_v4", "NODE_COUNT": "3"}

    [app] = res.apps
    assert isinstance(app, App)
    assert app.compose == "file:compose.yml"
    assert app.ref_base == f"file://{full_project}/"
    assert app.ingress.cert_resolver == "production"
    assert app.ingress.rules == [AppIngressRule("main", 8080, ["www.example.com", "example.com"])]
    assert [(v.name, v.size, v.type) for v in app.volumes] == [
        ("db", 10737418240, "disk"),
        ("files", 1073741824, "files"),
        ("tmp", 1024, "disk"),
    ]
    assert app.volumes[1].options == {"sku": "Premium_LRS", "quotaGiB": 100.0}
    assert isinstance(app.volumes[1].options["quotaGiB"], float)
    assert app.volumes[0].options is None
    assert (app.deployment.pool, app.deployment.pools) == ("user", [])
    assert (app.deployment.zone, app.deployment.zones) == ("", ["1", "2"])
    [rule] = app.network_policy.ingress_rules
    [peer] = rule.from_
    assert peer.namespace_selector is not None
    assert peer.namespace_selector.match_labels == {"team": "ops"}
    assert peer.namespace_selector.match_expressions == [LabelSelectorRequirement("env", "In", ["prod", "stage"])]
    assert rule.ports == [NetworkPolicyPort("TCP", 5432), NetworkPolicyPort("UDP", 53)]
    assert app.resources == {"cpu": "500m", "memory": "1Gi"}
    assert app.settings == {
        "INT_VALUE": "64",
        "FLOAT_VALUE": "3.14",
        "LONG_FLOAT": "1.2345679",
        "BIG_FLOAT": "10000000",
        "BOOL_TRUE": "true",
        "YES_VALUE": "true",
        "Y_VALUE": "true",
        "OFF_VALUE": "false",
        "ZERO": "0",
        "DATE": "2024-01-02",
        "EMPTY": "",
    }

    api, worker = res.boxes
    assert (api.id, api.name, api.app_id) == (
        "/ws/ws1/prv/aks1/cls/cls1/app/web/box/api",
        "api",
        "/ws/ws1/prv/aks1/cls/cls1/app/web",
    )
    assert (api.component, api.image, api.command, api.args) == ("api", "busybox", ["sh", "-c"], ["sleep 3600"])
    assert api.standalone and api.ingress is None and api.network_policy is None
    assert (worker.component, worker.image, worker.standalone) == ("worker", "", False)


def test_unknown_fields_are_ignored_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / ".kompox").mkdir()
    text = SPEC_EXAMPLE.replace("spec: {driver: k3s}", "spec: {driver: k3s, drivr: typo}") + "  extra: 1\n"
    (tmp_path / "kompoxapp.yml").write_text(text)
    state = load(tmp_path)
    assert state.mode is Mode.KOM
    assert any("spec.drivr" in w and "ignored" in w for w in state.warnings)
    assert any("spec.extra" in w for w in state.warnings)


def test_field_names_match_case_insensitively(tmp_path: Path) -> None:
    (tmp_path / ".kompox").mkdir()
    (tmp_path / "kompoxapp.yml").write_text(SPEC_EXAMPLE.replace("{driver: k3s}", "{Driver: aks}"))
    state = load(tmp_path)
    assert state.resources is not None
    assert state.resources.providers[0].driver == "aks"

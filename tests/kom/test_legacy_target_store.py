"""Legacy kompoxops.yml, target selection and the in-memory store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompox.domain.errors import ConfigError, NotFoundError, ValidationError
from kompox.domain.model import App, AppIngressRule, Cluster, ClusterIngressCertificate
from kompox.kom import KomResources, initialize_kom, resolve_project
from kompox.kom.legacy import config_summary_line, load_legacy_db_url, load_legacy_file, resolve_db_url
from kompox.kom.target import select_app_id, select_cluster_id
from kompox.store import InMemoryRepositories, repositories_from_state
from kompox.store.inmem import InMemoryRepository

LEGACY = """\
version: v1
workspace:
  name: ws1
provider:
  name: aks1
  driver: aks
  settings:
    AZURE_LOCATION: japaneast
    FLAG: yes
    COUNT: 017
cluster:
  name: cls1
  existing: true
  ingress:
    domain: " apps.example.com "
    certEmail: ops@example.com
    certificates:
    - {name: wild, source: kv://x}
  settings: {A: b}
app:
  name: app1
  compose:
    services:
      web:
        image: nginx
  ingress:
    certResolver: staging
    rules:
    - {name: main, port: 80, hosts: [a.example.com]}
  volumes:
  - {name: db, size: 10Gi, options: {sku: Premium_LRS, quota: 100}}
  - {name: share, size: 1Ti, type: files}
  deployment: {pool: user, zone: "1"}
  resources: {cpu: "1"}
  settings: {X: "y"}
"""


def ids() -> object:
    counter = iter(range(100))
    return lambda: f"id{next(counter)}"


def test_legacy_file_field_by_field(tmp_path: Path) -> None:
    (tmp_path / "kompoxops.yml").write_text(LEGACY)
    cfg = load_legacy_file("kompoxops.yml", tmp_path, new_id=ids())  # type: ignore[arg-type]
    assert cfg.version == "v1"
    assert (cfg.workspace.id, cfg.workspace.name) == ("id0", "ws1")
    prv = cfg.provider
    assert (prv.id, prv.name, prv.workspace_id, prv.driver) == ("id1", "aks1", "id0", "aks")
    assert prv.settings == {"AZURE_LOCATION": "japaneast", "FLAG": "yes", "COUNT": "017"}  # YAML 1.2, text as written
    cls = cfg.cluster
    assert isinstance(cls, Cluster)
    assert (cls.id, cls.name, cls.provider_id, cls.existing, cls.settings) == ("id2", "cls1", "id1", True, {"A": "b"})
    assert cls.ingress is not None and cls.ingress.cert_email == "ops@example.com"
    assert cls.ingress.certificates == [ClusterIngressCertificate("wild", "kv://x")]
    app = cfg.app
    assert isinstance(app, App)
    assert (app.id, app.name, app.cluster_id) == ("id3", "app1", "id2")
    assert "image: nginx" in app.compose and app.compose.startswith("services:")
    assert app.ref_base == f"file://{tmp_path}/"
    assert app.ingress.cert_resolver == "staging"
    assert app.ingress.rules == [AppIngressRule("main", 80, ["a.example.com"])]
    assert [(v.name, v.size, v.type) for v in app.volumes] == [("db", 10737418240, "disk"), ("share", 2**40, "files")]
    assert app.volumes[0].options == {"sku": "Premium_LRS", "quota": 100}
    assert (app.deployment.pool, app.deployment.zone) == ("user", "1")
    assert (app.resources, app.settings) == ({"cpu": "1"}, {"X": "y"})
    assert config_summary_line(cfg) == (
        "version=v1 workspace=ws1 provider=aks1(aks) cluster=cls1 domain=apps.example.com app=app1"
    )


@pytest.mark.parametrize(
    ("volumes", "message"),
    [
        ("- {name: '', size: 1Gi}", "invalid configuration: app: volumes[0].name: volume name must not be empty"),
        ("- {name: abcdefghijklmnopq, size: 1Gi}", "volumes[0].name: volume name exceeds 16 characters"),
        ("- {name: Bad_Name, size: 1Gi}", "volumes[0].name: invalid volume name: a lowercase RFC 1123"),
        ("- {name: a, size: 1Gi}\n  - {name: a, size: 1Gi}", 'volumes[1].name: duplicate volume name "a"'),
        ("- {name: a, size: 1Gi, type: nfs}", 'volumes[0].type: invalid type "nfs", must be "disk" or "files"'),
        ("- {name: a, size: lots}", 'invalid volume size "lots" for volume "a": quantities must match'),
    ],
)
def test_legacy_validation_errors(tmp_path: Path, volumes: str, message: str) -> None:
    (tmp_path / "kompoxops.yml").write_text(f"app:\n  name: a\n  compose: x\n  volumes:\n  {volumes}\n")
    with pytest.raises(ConfigError) as info:
        load_legacy_file("kompoxops.yml", tmp_path)
    assert message in str(info.value)
    assert "kompoxops.yml:" in str(info.value) and "\n" not in str(info.value)


def test_legacy_deployment_and_compose_errors(tmp_path: Path) -> None:
    (tmp_path / "kompoxops.yml").write_text("app:\n  deployment: {pool: a, pools: [b]}\n")
    with pytest.raises(ConfigError) as info:
        load_legacy_file("kompoxops.yml", tmp_path)
    text = str(info.value)
    assert "deployment.pool and deployment.pools cannot be specified together" in text
    assert "compose must be a string or a mapping" in text


def test_legacy_db_url_handling(tmp_path: Path) -> None:
    assert resolve_db_url(None, {}) == "file:kompoxops.yml"
    assert resolve_db_url(None, {"KOMPOX_DB_URL": "file:x.yml"}) == "file:x.yml"
    assert resolve_db_url("file:y.yml", {"KOMPOX_DB_URL": "file:x.yml"}) == "file:y.yml"
    with pytest.raises(ConfigError, match=r"unsupported db scheme: mysql://x"):
        load_legacy_db_url("mysql://x", tmp_path)
    with pytest.raises(ConfigError, match=r"file path is required for file: URL"):
        load_legacy_db_url("file:", tmp_path)
    with pytest.raises(
        ConfigError, match=r"failed to load config from kompoxops.yml: failed to read file kompoxops.yml"
    ):
        load_legacy_db_url("file:kompoxops.yml", tmp_path)


def make_repos() -> InMemoryRepositories:
    apps = [
        App(id="/ws/w/prv/p/cls/c1/app/web", name="web"),
        App(id="/ws/w/prv/p/cls/c2/app/web", name="web"),
        App(id="/ws/w/prv/p/cls/c1/app/db", name="db"),
    ]
    clusters = [Cluster(id="/ws/w/prv/p/cls/c1", name="c1"), Cluster(id="/ws/w/prv/p/cls/c2", name="c2")]
    return InMemoryRepositories(KomResources(apps=apps, clusters=clusters))


def test_select_app_precedence_and_lookup() -> None:
    repos = make_repos()
    assert select_app_id(repos.apps, app_id="/x/y", app_name="db") == "/x/y"
    assert select_app_id(repos.apps, app_name="db", default_app_id="/d") == "/ws/w/prv/p/cls/c1/app/db"
    assert select_app_id(repos.apps, app_id="db") == "/ws/w/prv/p/cls/c1/app/db"
    assert select_app_id(repos.apps, default_app_id="/ws/a", legacy_app_name="db") == "/ws/a"
    assert select_app_id(repos.apps, legacy_app_name="db") == "/ws/w/prv/p/cls/c1/app/db"
    with pytest.raises(ValidationError, match=r"^app not specified; use --app-id, --app-name, or set app.name in"):
        select_app_id(repos.apps)
    with pytest.raises(NotFoundError, match=r'^app "nope" not found$'):
        select_app_id(repos.apps, app_name="nope")
    with pytest.raises(ValidationError) as info:
        select_app_id(repos.apps, app_name="web")
    assert str(info.value) == (
        'multiple apps found with name "web": [/ws/w/prv/p/cls/c1/app/web /ws/w/prv/p/cls/c2/app/web] '
        "(use --app-id to specify)"
    )
    with pytest.raises(ValidationError, match=r"positional app name is not supported"):
        select_app_id(repos.apps, positional=["web"])


def test_select_cluster() -> None:
    repos = make_repos()
    assert select_cluster_id(repos.clusters, cluster_name="c2") == "/ws/w/prv/p/cls/c2"
    assert select_cluster_id(repos.clusters, default_cluster_id="/ws/w/prv/p/cls/c1") == "/ws/w/prv/p/cls/c1"
    with pytest.raises(ValidationError, match=r"^cluster not specified; use --cluster-id, --cluster-name"):
        select_cluster_id(repos.clusters)
    with pytest.raises(NotFoundError, match=r'cluster "c9" not found'):
        select_cluster_id(repos.clusters, cluster_id="c9")


def test_store_get_and_not_found() -> None:
    repos = make_repos()
    assert repos.apps.get("/ws/w/prv/p/cls/c1/app/db").name == "db"
    assert [a.name for a in repos.apps.list()] == ["web", "web", "db"]
    with pytest.raises(NotFoundError, match=r"^app not found$"):
        repos.apps.get("/ws/w/prv/p/cls/c1/app/zzz")
    with pytest.raises(NotFoundError, match=r"^box not found$"):
        repos.boxes.get("/x")
    assert len(InMemoryRepository("app", [App(id="a", name="1"), App(id="a", name="2")])) == 1


def test_store_from_kom_state(tmp_path: Path) -> None:
    (tmp_path / ".kompox").mkdir()
    (tmp_path / "kompoxapp.yml").write_text(
        "apiVersion: ops.kompox.dev/v1alpha1\nkind: Workspace\n"
        "metadata: {name: w, annotations: {ops.kompox.dev/id: /ws/w}}\n"
    )
    state = initialize_kom(resolve_project(tmp_path, {}), tmp_path, {})
    repos = repositories_from_state(state)
    assert repos.workspaces.get("/ws/w").name == "w"
    (tmp_path / "kompoxapp.yml").unlink()
    legacy_state = initialize_kom(resolve_project(tmp_path, {}), tmp_path, {})
    with pytest.raises(ValidationError, match=r"KOM mode is not active"):
        repositories_from_state(legacy_state)

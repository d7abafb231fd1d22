"""K3s driver kubeconfig resolution: cluster settings, expansion, the standard locations, context choice."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
import yaml

from kompox.domain.errors import ValidationError
from kompox.domain.model import Cluster, Provider
from kompox.providers.k3s import K3sDriver, new_k3s_driver
from kompox.providers.k3s.kubeconfig_source import KubeconfigEnv


def kubeconfig(*contexts: str, current: str = "", server: str = "https://{ctx}.example:6443") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": f"cl-{c}", "cluster": {"server": server.format(ctx=c)}} for c in contexts],
        "users": [{"name": f"u-{c}", "user": {"token": f"tok-{c}"}} for c in contexts],
        "contexts": [{"name": c, "context": {"cluster": f"cl-{c}", "user": f"u-{c}"}} for c in contexts],
        "current-context": current,
    }


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc))
    return path


def cluster(**settings: str) -> Cluster:
    return Cluster(id="/ws/w/prv/p/cls/home", name="home", provider_id="/ws/w/prv/p", settings=settings or None)


@pytest.fixture
def project(tmp_path: Path) -> KubeconfigEnv:
    root = tmp_path / "proj"
    (root / ".kompox").mkdir(parents=True)
    home = tmp_path / "home"
    home.mkdir()
    return KubeconfigEnv(
        kompox_root=str(root), kompox_dir=str(root / ".kompox"), home=str(home), cwd=str(tmp_path / "elsewhere")
    )


def driver(env: KubeconfigEnv) -> K3sDriver:
    return K3sDriver(None, Provider(name="p", driver="k3s"), env=env)


def loaded(data: bytes) -> dict[str, Any]:
    doc = yaml.safe_load(data)
    assert isinstance(doc, dict)
    return doc


def server_of(data: bytes) -> str:
    doc = loaded(data)
    assert len(doc["contexts"]) == 1 and doc["current-context"] == doc["contexts"][0]["name"]
    return str(doc["clusters"][0]["cluster"]["server"])


@pytest.mark.parametrize(
    ("setting", "where"),
    [
        ("~/kube/a.yaml", "home/kube/a.yaml"),
        ("$KOMPOX_ROOT/kube/a.yaml", "proj/kube/a.yaml"),
        ("$KOMPOX_DIR/kubeconfig", "proj/.kompox/kubeconfig"),
        ("kube/a.yaml", "proj/kube/a.yaml"),  # relative: against the project root, not the working directory
        ("./kube/../kube/a.yaml", "proj/kube/a.yaml"),
    ],
)
def test_setting_paths_are_expanded(tmp_path: Path, project: KubeconfigEnv, setting: str, where: str) -> None:
    write(tmp_path / where, kubeconfig("one", current="one"))
    write(tmp_path / "elsewhere" / "kube" / "a.yaml", kubeconfig("wrong", current="wrong"))
    data = driver(project).cluster_kubeconfig(cluster(KUBECONFIG=setting))
    assert server_of(data) == "https://one.example:6443"


def test_relative_path_without_project_root_uses_the_working_directory(tmp_path: Path) -> None:
    write(tmp_path / "kube" / "a.yaml", kubeconfig("one", current="one"))
    env = KubeconfigEnv(cwd=str(tmp_path))
    assert server_of(driver(env).cluster_kubeconfig(cluster(KUBECONFIG="kube/a.yaml"))) == "https://one.example:6443"


def test_context_setting_selects_and_becomes_current(tmp_path: Path, project: KubeconfigEnv) -> None:
    write(tmp_path / "proj" / "k.yaml", kubeconfig("one", "two", current="one"))
    data = driver(project).cluster_kubeconfig(cluster(KUBECONFIG="k.yaml", KUBECONFIG_CONTEXT="two"))
    doc = loaded(data)
    assert doc["current-context"] == "two"
    assert [c["name"] for c in doc["contexts"]] == ["two"]
    assert doc["users"] == [{"name": "u-two", "user": {"token": "tok-two"}}]  # other credentials are not copied
    assert server_of(data) == "https://two.example:6443"


def test_unknown_context_names_the_setting(tmp_path: Path, project: KubeconfigEnv) -> None:
    write(tmp_path / "proj" / "k.yaml", kubeconfig("one", current="one"))
    with pytest.raises(ValidationError) as info:
        driver(project).cluster_kubeconfig(cluster(KUBECONFIG="k.yaml", KUBECONFIG_CONTEXT="nope"))
    assert str(info.value) == "Cluster 'home': spec.settings.KUBECONFIG_CONTEXT: kubeconfig has no context 'nope'"


def test_missing_file_is_one_line_naming_setting_and_path(project: KubeconfigEnv) -> None:
    with pytest.raises(ValidationError) as info:
        driver(project).cluster_kubeconfig(cluster(KUBECONFIG="$KOMPOX_DIR/missing.yaml"))
    text = str(info.value)
    assert text == (
        f"Cluster 'home': spec.settings.KUBECONFIG: kubeconfig file {project.kompox_dir}/missing.yaml does not exist"
    )
    assert "\n" not in text


def test_malformed_file_names_the_setting(tmp_path: Path, project: KubeconfigEnv) -> None:
    (tmp_path / "proj" / "bad.yaml").write_text("clusters: [unclosed\n")
    with pytest.raises(ValidationError, match=r"spec\.settings\.KUBECONFIG: kubeconfig .*bad\.yaml is not valid YAML"):
        driver(project).cluster_kubeconfig(cluster(KUBECONFIG="bad.yaml"))


def test_kompox_vars_must_be_known(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="KOMPOX_ROOT is not set"):
        driver(KubeconfigEnv(cwd=str(tmp_path))).cluster_kubeconfig(cluster(KUBECONFIG="$KOMPOX_ROOT/k.yaml"))


def test_standard_resolution_merges_the_kubeconfig_env_list(tmp_path: Path, project: KubeconfigEnv) -> None:
    first = write(tmp_path / "a.yaml", kubeconfig("one"))  # no current-context here
    second = write(tmp_path / "b.yaml", {**kubeconfig("one", "two", current="two", server="https://b-{ctx}:1")})
    env = KubeconfigEnv(home=project.home, kubeconfig=f"{first}:{tmp_path / 'missing.yaml'}:{second}", cwd="/")
    data = driver(env).cluster_kubeconfig(cluster())
    # current-context comes from the second file, context "one" from the first file wins (kubectl rules)
    assert server_of(data) == "https://b-two:1"
    env_one = KubeconfigEnv(home=project.home, kubeconfig=f"{first}:{second}", cwd="/")
    one = driver(env_one).cluster_kubeconfig(cluster(KUBECONFIG_CONTEXT="one"))
    assert server_of(one) == "https://one.example:6443"


def test_standard_resolution_falls_back_to_home(tmp_path: Path, project: KubeconfigEnv) -> None:
    write(Path(project.home) / ".kube" / "config", kubeconfig("home", current="home"))
    assert server_of(driver(project).cluster_kubeconfig(cluster())) == "https://home.example:6443"


def test_no_kubeconfig_anywhere_is_a_clear_error(project: KubeconfigEnv) -> None:
    with pytest.raises(ValidationError, match=r"cluster 'home': no kubeconfig: spec\.settings\.KUBECONFIG is not set"):
        driver(project).cluster_kubeconfig(cluster())


def test_referenced_certificate_files_are_inlined(tmp_path: Path, project: KubeconfigEnv) -> None:
    certs = tmp_path / "proj" / "certs"
    certs.mkdir(parents=True)
    (certs / "ca.crt").write_bytes(b"CA")
    (certs / "client.key").write_bytes(b"KEY")
    doc = kubeconfig("one", current="one")
    doc["clusters"][0]["cluster"]["certificate-authority"] = "certs/ca.crt"  # relative to the kubeconfig file
    doc["users"][0]["user"] = {"client-key": str(certs / "client.key"), "client-certificate-data": "Q0VSVA=="}
    write(tmp_path / "proj" / "k.yaml", doc)
    out = loaded(driver(project).cluster_kubeconfig(cluster(KUBECONFIG="$KOMPOX_ROOT/k.yaml")))
    assert out["clusters"][0]["cluster"] == {
        "server": "https://one.example:6443",
        "certificate-authority-data": base64.b64encode(b"CA").decode(),
    }
    assert out["users"][0]["user"] == {
        "client-certificate-data": "Q0VSVA==",
        "client-key-data": base64.b64encode(b"KEY").decode(),
    }


def test_factory_reads_the_given_environment(tmp_path: Path) -> None:
    root = tmp_path / "r"
    write(root / "k.yaml", kubeconfig("one", current="one"))
    env = {"KOMPOX_ROOT": str(root), "KOMPOX_DIR": str(root / ".kompox"), "HOME": str(tmp_path)}
    drv = new_k3s_driver(None, Provider(name="p", driver="k3s"), env)
    assert server_of(drv.cluster_kubeconfig(cluster(KUBECONFIG="k.yaml"))) == "https://one.example:6443"

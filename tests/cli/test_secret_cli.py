"""``kompoxops secret env|pull`` in-process against kmock: names, type, annotation, apply, rollout, no leaks."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_cli_project import NAMES, NS, app_project
from cli_project import KubeProject, one_error, writes
from output_matrix import cells, check_read_outputs

from kompox.kube.convert.content_hash import content_hash

VALUE = "s3cr3t-Value-7f1c9e"
OTHER = "0ther-Secret-a8b2d4"
ENV = f'# comment\nexport DB_PASSWORD="{VALUE}"\nAPI_TOKEN={OTHER}\n'
HASH_ANNOTATION = "kompox.dev/compose-content-hash"
OVERRIDE = f"{NAMES.resource}-web-override"
PULL = f"{NAMES.resource}--pull"
DOCKER = json.dumps({"auths": {"registry.example.org": {"auth": base64.b64encode(f"u:{VALUE}".encode()).decode()}}})


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[KubeProject]:
    with app_project(tmp_path, monkeypatch, capsys, rollout="ready") as p:
        monkeypatch.setenv("KOMPOX_LOG_LEVEL", "debug")
        monkeypatch.setenv("KOMPOX_LOG_OUTPUT", str(tmp_path / "run.log"))
        yield p


def secret(project: KubeProject, name: str) -> dict:
    return project.server.objects()[("v1/secrets", NS, name)]


def template_hash(project: KubeProject) -> str:
    dep = project.server.objects()[("apps/v1/deployments", NS, "web-app")]
    return dep["spec"]["template"]["metadata"]["annotations"][HASH_ANNOTATION]


def assert_no_value_leaked(project: KubeProject, tmp_path: Path, *outputs: str) -> None:
    log = (tmp_path / "run.log").read_text()
    assert "CMD:secret." in log  # the log was written, at debug level
    for text in (log, *outputs):
        assert VALUE not in text and OTHER not in text


def test_env_set_creates_the_override_secret_then_noop_then_update(project: KubeProject, tmp_path: Path) -> None:
    project.ok("app", "deploy", "-q")
    before = template_hash(project)
    (project.root / "web.env").write_text(ENV)
    r = project.ok("secret", "env", "set", "-S", "web", "-f", "web.env")
    expected_hash = content_hash({"DB_PASSWORD": VALUE, "API_TOKEN": OTHER})
    assert r.json() == {
        "SecretName": OVERRIDE,
        "Applied": True,
        "Action": "created",
        "Hash": expected_hash,
        "Keys": ["API_TOKEN", "DB_PASSWORD"],
        "Warnings": None,
    }
    obj = secret(project, OVERRIDE)
    assert obj["type"] == "Opaque"
    assert obj["metadata"].get("labels") is None  # upstream writes no labels
    assert obj["metadata"]["annotations"] == {HASH_ANNOTATION: expected_hash}
    assert base64.b64decode(obj["data"]["DB_PASSWORD"]).decode() == VALUE
    applies = [w for w in writes(project.server) if w.method == "PATCH" and "/secrets/" in str(w.url)]
    assert applies and all("fieldManager=kompoxops" in str(w.url) for w in applies)
    assert template_hash(project) != before  # the pod restarts: the template hash covers the override

    seen = len(writes(project.server))
    again = project.ok("secret", "env", "set", "-S", "web", "-f", "web.env")
    assert again.json()["Action"] == "noop" and again.json()["Applied"] is False
    assert writes(project.server)[seen:] == []  # unchanged content: no write, no restart

    (project.root / "web.env").write_text(f"DB_PASSWORD={VALUE}x\n")
    changed = project.ok("secret", "env", "set", "-S", "web", "-f", "web.env")
    assert changed.json()["Action"] == "updated" and changed.json()["Keys"] == ["DB_PASSWORD"]
    assert sorted(secret(project, OVERRIDE)["data"]) == ["DB_PASSWORD"]  # removed keys are gone
    assert_no_value_leaked(project, tmp_path, r.out, r.err, again.out, changed.out, changed.err)


def test_env_delete_and_delete_again(project: KubeProject, tmp_path: Path) -> None:
    project.ok("app", "deploy", "-q")
    (project.root / "web.env").write_text(ENV)
    project.ok("secret", "env", "set", "-S", "web", "-f", "web.env")
    gone = project.ok("secret", "env", "delete", "-S", "web")
    assert gone.json() == {
        "SecretName": OVERRIDE,
        "Applied": True,
        "Action": "deleted",
        "Hash": "",
        "Keys": None,
        "Warnings": None,
    }
    assert ("v1/secrets", NS, OVERRIDE) not in project.server.objects()
    assert project.ok("secret", "env", "delete", "-S", "web").json()["Action"] == "noop"


def test_pull_set_and_delete(project: KubeProject, tmp_path: Path) -> None:
    project.ok("app", "deploy", "-q")
    (project.root / "config.json").write_text(DOCKER)
    r = project.ok("secret", "pull", "set", "-f", "config.json")
    assert r.json()["Auths"] == [".dockerconfigjson"] and r.json()["Action"] == "created"
    obj = secret(project, PULL)
    assert obj["type"] == "kubernetes.io/dockerconfigjson"
    assert base64.b64decode(obj["data"][".dockerconfigjson"]).decode() == DOCKER  # verbatim
    dep = project.server.objects()[("apps/v1/deployments", NS, "web-app")]
    assert dep["spec"]["template"]["spec"]["imagePullSecrets"] == [{"name": PULL}]
    d = project.ok("secret", "pull", "delete")
    assert d.json()["Action"] == "deleted"
    dep = project.server.objects()[("apps/v1/deployments", NS, "web-app")]
    assert not dep["spec"]["template"]["spec"].get("imagePullSecrets")
    assert_no_value_leaked(project, tmp_path, r.out, r.err, d.out)


def test_dry_run_sends_nothing(project: KubeProject) -> None:
    (project.root / "web.env").write_text(ENV)
    before = len(project.server.kube_requests())
    r = project.ok("secret", "env", "set", "-S", "web", "-f", "web.env", "--dry-run")
    assert (r.json()["Action"], r.json()["Applied"]) == ("updated", False)
    assert project.ok("secret", "pull", "delete", "--dry-run").json()["Action"] == "deleted"
    assert len(project.server.kube_requests()) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("web.env", f"OK=1\n{VALUE}\n", "web.env:2: .env line 2 missing '='"),
        ("web.env", f'A="{VALUE}\n', "web.env:1: unterminated double quote line 1"),
        ("web.yml", f"A: [{VALUE}\n", "web.yml:2: invalid YAML"),
        ("web.json", f'{{"A": "{VALUE}",}}', "web.json:1: invalid JSON"),
        ("web.yml", "A: {b: 1}\n", "key A has unsupported value type"),
    ],
)
def test_malformed_env_file_is_one_line_naming_file_and_line_without_values(
    project: KubeProject, name: str, content: str, message: str
) -> None:
    (project.root / name).write_text(content)
    before = len(project.server.kube_requests())
    r = project.run("secret", "env", "set", "-S", "web", "-f", name)
    line = one_error(r, 3, message)
    assert VALUE not in r.err, line
    assert len(project.server.kube_requests()) == before  # refused before the cluster


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "config.json: empty docker config content"),
        ("{}", "config.json: docker config json object is empty"),
        (f'{{"auths": "{VALUE}"', "config.json:1: invalid json"),
        ("[1]", "config.json: invalid json: a docker config must be a JSON object"),
    ],
)
def test_malformed_docker_config(project: KubeProject, content: str, message: str) -> None:
    (project.root / "config.json").write_text(content)
    r = project.run("secret", "pull", "set", "-f", "config.json")
    one_error(r, 3, message)
    assert VALUE not in r.err


def test_over_one_mebibyte_is_refused(project: KubeProject) -> None:
    (project.root / "big.env").write_text("A=" + "x" * (1024 * 1024))
    r = project.run("secret", "env", "set", "-S", "web", "-f", "big.env")
    one_error(r, 3, "big.env: file is 1048577 bytes, over the Kubernetes Secret limit of 1 MiB (1048576 bytes)")


def test_service_is_required_and_must_exist(project: KubeProject) -> None:
    (project.root / "web.env").write_text(ENV)
    one_error(project.run("secret", "env", "set", "-f", "web.env"), 3, "--service is required")
    one_error(
        project.run("secret", "env", "set", "-S", "nope", "-f", "web.env"),
        3,
        "service 'nope' is not in the compose file (services: cache, web)",
    )


def test_not_deployed_app_is_one_clear_line(project: KubeProject) -> None:
    (project.root / "web.env").write_text(ENV)
    r = project.run("secret", "env", "set", "-S", "web", "-f", "web.env")
    one_error(r, 4, f"namespace {NS} of app web does not exist: deploy the app first")
    assert project.ok("secret", "env", "delete", "-S", "web").json()["Action"] == "noop"


def test_outputs_list_key_names_and_hash_never_values(project: KubeProject, tmp_path: Path) -> None:
    project.ok("app", "deploy", "-q")
    (project.root / "web.env").write_text(ENV)
    project.ok("secret", "env", "set", "-S", "web", "-f", "web.env")  # created; the runs below are noops
    outs = check_read_outputs(
        project.ok,
        ["secret", "env", "set", "-S", "web", "-f", "web.env"],
        kind="secret",
        names=[OVERRIDE],
        headers=("NAME", "ACTION", "APPLIED", "HASH"),
        wide_headers=("KEYS", "WARNINGS"),
    )
    expected_hash = content_hash({"DB_PASSWORD": VALUE, "API_TOKEN": OTHER})
    assert cells(outs["wide"].splitlines()[1]) == [OVERRIDE, "noop", "false", expected_hash, "API_TOKEN,DB_PASSWORD"]
    pull = project.ok("secret", "pull", "delete", "--dry-run", "-o", "name")
    assert pull.out == f"secret/{PULL}\n"
    assert_no_value_leaked(project, tmp_path, *outs.values())

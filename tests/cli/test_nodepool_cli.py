"""``kompoxops cluster nodepool list|create|update|delete`` end to end, in process.

The real command line runs against a KOM project whose provider uses the
``aks`` driver; the registry's ``aks`` factory is replaced for the test by one
that builds the real AKS driver over the stateful agent-pool fake (real
ContainerServiceClient, fake ARM transport).  A second provider uses ``k3s``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_project import isolate_env, run_cli, write_project
from output_matrix import cells, check_read_outputs, table

from kompox.domain.model import Provider, Workspace
from kompox.providers import registry
from kompox.providers.aks import AKSDriver

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared fakes
from contract.nodepool.agentpool_fake import SUB, AgentPoolARM, agent_pool, pool_path
from providers.aks.fake_arm import FakeCredential, client_kwargs

KOM = f"""\
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata:
  name: ws1
  annotations: {{ops.kompox.dev/id: /ws/ws1}}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata:
  name: aks1
  annotations: {{ops.kompox.dev/id: /ws/ws1/prv/aks1}}
spec:
  driver: aks
  settings:
    AZURE_SUBSCRIPTION_ID: "{SUB}"
    AZURE_LOCATION: japaneast
    AZURE_AUTH_METHOD: azure_cli
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata:
  name: cluster1
  annotations: {{ops.kompox.dev/id: /ws/ws1/prv/aks1/cls/cluster1}}
spec:
  ingress: {{certEmail: ops@example.com}}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata:
  name: k3s1
  annotations: {{ops.kompox.dev/id: /ws/ws1/prv/k3s1}}
spec:
  driver: k3s
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata:
  name: home
  annotations: {{ops.kompox.dev/id: /ws/ws1/prv/k3s1/cls/home}}
spec:
  existing: true
"""

APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata:
  name: web
  annotations: {ops.kompox.dev/id: /ws/ws1/prv/aks1/cls/cluster1/app/web}
spec:
  compose: file:compose.yml
  deployment: {pool: spot1, zone: "1"}
"""

COMPOSE = "services:\n  web:\n    image: nginx:1.27\n    ports: ['8080:80']\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(tmp_path, kom=KOM, app=APP, compose=COMPOSE, config="version: 1\nstore:\n  type: local\n")
    isolate_env(monkeypatch)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def arm() -> Iterator[AgentPoolARM]:
    fake = AgentPoolARM().provisioned()

    def factory(workspace: Workspace | None, provider: Provider) -> AKSDriver:
        return AKSDriver(workspace, provider, credential=FakeCredential(), client_kwargs=client_kwargs(fake))

    registry.get_factory("aks")  # import the built-in driver first, so our factory wins
    saved = dict(registry._REGISTRY)
    registry.register("aks", factory)
    yield fake
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)


def kompoxops(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    result = run_cli(capsys, *args)
    return result.code, result.out, result.err


def test_list_prints_go_field_names_in_order(
    project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]
) -> None:
    arm.add(agent_pool("npuser1", zones=["1"], labels={"kompox.dev/node-pool": "user"}, autoscale=(0, 3), count=0))
    code, out, err = kompoxops(capsys, "cluster", "nodepool", "list")
    assert code == 0, err
    pools = json.loads(out)
    assert out.startswith('[\n  {\n    "Name": "npuser1",')
    assert list(pools[0]) == [
        "Name",
        "ProviderName",
        "Mode",
        "Labels",
        "Zones",
        "InstanceType",
        "OSDiskType",
        "OSDiskSizeGiB",
        "Priority",
        "Autoscaling",
        "Status",
        "Extensions",
    ]
    assert pools[0]["Zones"] == ["japaneast-1"]
    assert pools[0]["Autoscaling"] == {"Enabled": True, "Min": 0, "Max": 3, "Desired": None}
    assert pools[0]["Status"] == {"ProvisioningState": "Succeeded", "CurrentNodeCount": 0, "Extensions": {}}
    code, out, _ = kompoxops(capsys, "cluster", "nodepool", "list", "--name", "nope")
    assert (code, out) == (0, "[]\n")


def test_list_table(project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]) -> None:
    arm.add(agent_pool("npuser1", zones=["1", "2"], autoscale=(1, 3), count=2))
    arm.add(agent_pool("npsystem", mode="System", count=1))
    code, out, _ = kompoxops(capsys, "cluster", "nodepool", "list", "--format", "table")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "MODE", "INSTANCE", "TYPE", "PRIORITY", "ZONES", "SIZE", "NODES", "STATE"]
    assert lines[1].split() == ["npsystem", "system", "Standard_D2s_v3", "regular", "fixed", "1", "1", "Succeeded"]
    assert lines[2].split()[:7] == [
        "npuser1",
        "user",
        "Standard_D2s_v3",
        "regular",
        "japaneast-1,japaneast-2",
        "auto",
        "1-3",
    ]


def test_create_from_file_waits_and_prints_the_pool(
    project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "np.yml").write_text(
        "name: spot1\nmode: user\npriority: spot\nzones: [japaneast-1]\ninstanceType: Standard_D4s_v5\n"
        "labels: {team: web, tier: 1}\nautoscaling: {enabled: true, min: 0, max: 3}\nbogus: 1\n"
    )
    code, out, err = kompoxops(capsys, "cluster", "nodepool", "create", "-f", "np.yml")
    assert code == 0, err
    pool = json.loads(out)
    assert pool["Name"] == "spot1" and pool["Priority"] == "spot" and pool["Zones"] == ["japaneast-1"]
    assert pool["Labels"] == {
        "kompox.dev/node-pool": "spot1",
        "kompox.dev/node-zone": "japaneast-1",
        "team": "web",
        "tier": "1",
    }
    body = arm.seen("PUT", pool_path("spot1"))[0].body["properties"]
    assert body["scaleSetPriority"] == "Spot" and body["availabilityZones"] == ["1"]
    assert "Warning: np.yml: unknown key 'bogus' ignored" in err
    assert "creating node pool spot1" in err and "node pool spot1 created" in err  # progress on stderr


def test_create_from_flags_overrides_the_file(
    project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "np.json").write_text(json.dumps({"name": "np1", "instanceType": "Standard_D2s_v3"}))
    code, out, err = kompoxops(
        capsys,
        "cluster",
        "nodepool",
        "create",
        "-f",
        "np.json",
        "--instance-type",
        "Standard_D8s_v5",
        "--zone",
        "1,2",
        "--label",
        "a=b",
        "--no-autoscaling",
        "--desired",
        "2",
        "--format",
        "table",
    )
    assert code == 0, err
    assert out.splitlines()[1].split()[:6] == [
        "np1",
        "user",
        "Standard_D8s_v5",
        "regular",
        "japaneast-1,japaneast-2",
        "fixed",
    ]
    body = arm.seen("PUT", pool_path("np1"))[0].body["properties"]
    assert (body["vmSize"], body["count"], body["enableAutoScaling"]) == ("Standard_D8s_v5", 2, False)
    # two zones: no pool-level zone label (upstream: the first zone "1" for every node); each node is
    # labelled with its own zone from topology.kubernetes.io/zone (docs/data-safety.md)
    assert body["nodeLabels"] == {"a": "b", "kompox.dev/node-pool": "np1"}


def test_update_sends_only_the_given_fields(
    project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]
) -> None:
    arm.add(agent_pool("np1", zones=["1"], labels={"kompox.dev/node-pool": "np1"}, autoscale=(1, 3), count=2))
    code, out, err = kompoxops(
        capsys, "cluster", "nodepool", "update", "--name", "np1", "--autoscaling", "--min", "2", "--max", "5"
    )
    assert code == 0, err
    assert json.loads(out)["Autoscaling"] == {"Enabled": True, "Min": 2, "Max": 5, "Desired": None}
    body = arm.seen("PUT", pool_path("np1"))[0].body["properties"]
    assert (body["minCount"], body["maxCount"], body["vmSize"]) == (2, 5, "Standard_D2s_v3")
    assert body["nodeLabels"] == {"kompox.dev/node-pool": "np1", "kompox.dev/node-zone": "japaneast-1"}


def test_update_round_trips_list_output(project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]) -> None:
    arm.add(agent_pool("np1", zones=["1"], autoscale=(1, 3), count=2))
    _, out, _ = kompoxops(capsys, "cluster", "nodepool", "list", "--name", "np1")
    spec = json.loads(out)[0]
    spec["Labels"] = {"tier": "web"}
    (project / "np1.json").write_text(json.dumps(spec))
    code, out, err = kompoxops(capsys, "cluster", "nodepool", "update", "-f", "np1.json")
    assert code == 0, err
    assert json.loads(out)["Labels"]["tier"] == "web"
    assert "Warning" not in err


def test_immutable_change_is_one_line_exit_3(
    project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]
) -> None:
    arm.add(agent_pool("np1"))
    code, out, err = kompoxops(capsys, "cluster", "nodepool", "update", "--name", "np1", "--priority", "spot")
    assert code == 3 and out == ""
    assert err.splitlines() == [
        "Error: validation error: cannot modify immutable fields: "
        "Priority is immutable (current regular, requested spot)"
    ]
    assert arm.pool_writes() == []


def test_delete_is_silent_and_idempotent(project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]) -> None:
    arm.add(agent_pool("np1"))
    code, out, err = kompoxops(capsys, "cluster", "nodepool", "delete", "--name", "np1")
    assert (code, out) == (0, "")
    assert "node pool np1 deleted" in err
    assert "np1" not in arm.pools
    code, out, err = kompoxops(capsys, "cluster", "nodepool", "delete", "--name", "np1")
    assert (code, out) == (0, "")


def test_force_is_refused_not_ignored(project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue #18: the AKS driver cannot honour --force on node pools, so it says so (exit 3, no request)."""
    arm.add(agent_pool("np1"))
    code, out, err = kompoxops(capsys, "cluster", "nodepool", "delete", "--name", "np1", "--force")
    assert (code, out) == (3, "")
    assert "Error: --force: validation error: NodePoolDelete: --force is not supported by the aks driver" in err
    assert "np1" in arm.pools and arm.pool_writes() == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["delete"], 2, "Error: --name is required"),
        (["create"], 2, "Error: --file or pool flags (at least --name) are required"),
        (["create", "--mode", "user"], 2, "Error: name is required (--name)"),
        (["create", "--name", "np1", "--mode", "primary"], 3, "Error: validation error: pool.Mode must be one of"),
        (["create", "--name", "np1", "--autoscaling", "--max", "3"], 3, "Error: --min/--max: --min and --max are both"),
        (["create", "-f", "missing.yml"], 3, "Error: missing.yml: failed to read file: No such file or directory"),
        (["create", "--name", "np1", "--label", "novalue"], 3, "Error: --label: invalid --label 'novalue'"),
        (["list", "--cluster-id", "/ws/ws1/prv/aks1/cls/nope"], 4, "Error: cluster"),
        (["list", "-K", "/ws/ws1/prv/aks1/cls/nope"], 4, "Error: cluster"),
    ],
)
def test_bad_input_is_one_line_and_touches_nothing(
    project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    got, out, err = kompoxops(capsys, "cluster", "nodepool", *args)
    assert got == code, err
    assert out == "" and len(err.splitlines()) == 1 and err.startswith(message), err
    assert "Traceback" not in err
    assert arm.pool_writes() == []


@pytest.mark.parametrize(
    "text",
    ["name: [a\n", "- just\n- a list\n", "name: np1\nosDiskSizeGiB: big\n", "name: np1\nzones: japaneast-1\n"],
)
def test_bad_spec_file(project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str], text: str) -> None:
    (project / "np.yml").write_text(text)
    code, out, err = kompoxops(capsys, "cluster", "nodepool", "create", "-f", "np.yml")
    assert code == 3 and out == ""
    assert err.startswith("Error: np.yml") and len(err.splitlines()) == 1
    assert arm.requests == []


def test_k3s_cluster_reports_not_implemented(
    project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (["list"], ["create", "--name", "np1"], ["update", "--name", "np1"], ["delete", "--name", "np1"]):
        code, out, err = kompoxops(capsys, "cluster", "nodepool", *args, "--cluster-id", "/ws/ws1/prv/k3s1/cls/home")
        assert code == 5 and out == ""
        assert err.splitlines()[0].startswith("Error: NodePool") and "is not implemented for k3s provider" in err


def test_app_validate_warns_about_a_missing_pool(
    project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]
) -> None:
    arm.add(agent_pool("npuser1", zones=["1"], labels={"kompox.dev/node-pool": "user", "kompox.dev/node-zone": "1"}))
    code, _, err = kompoxops(capsys, "app", "validate")
    assert code == 0, err
    assert "Warning: node pool 'spot1' (deployment.pool) does not exist in the cluster" in err
    arm.add(agent_pool("spot1", zones=["1"], labels={"kompox.dev/node-pool": "spot1", "kompox.dev/node-zone": "1"}))
    code, _, err = kompoxops(capsys, "app", "validate")
    assert code == 0 and "node pool" not in err, err


# --- -o table|wide|json|yaml|name --------------------------------------------------------------------


POOL_TABLE = ("NAME", "MODE", "INSTANCE TYPE", "PRIORITY", "ZONES", "SIZE", "NODES", "STATE")
POOL_WIDE = ("PROVIDER NAME", "OS DISK", "LABELS")


def test_list_outputs(project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str]) -> None:
    def ok(*args: str) -> Any:
        result = run_cli(capsys, *args)
        assert result.code == 0, result.err
        return result

    arm.add(agent_pool("npsystem", mode="System", zones=["1"], count=2))
    arm.add(agent_pool("npuser1", zones=["1", "2"], labels={"tier": "web"}, autoscale=(0, 3), count=0))
    outs = check_read_outputs(
        ok,
        ["cluster", "nodepool", "list"],
        kind="nodepool",
        names=["npsystem", "npuser1"],
        headers=POOL_TABLE,
        wide_headers=POOL_WIDE,
        legacy=True,
    )
    assert [p["Name"] for p in json.loads(outs["json"])] == ["npsystem", "npuser1"]  # Go field names, as upstream
    user = cells(outs["wide"].splitlines()[2])
    assert user[:3] == ["npuser1", "user", "Standard_D2s_v3"] and user[-3:] == ["npuser1", "Managed 128GiB", "tier=web"]


@pytest.mark.parametrize("output", ["json", "yaml", "name", "table", "wide"])
def test_create_prints_the_pool(
    project: Path, arm: AgentPoolARM, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    result = run_cli(capsys, "cluster", "nodepool", "create", "--name", "np1", "--desired", "1", "-o", output)
    assert result.code == 0, result.err
    if output in ("json", "yaml"):
        pool = json.loads(result.out) if output == "json" else yaml.safe_load(result.out)
        assert pool["Name"] == "np1" and pool["Autoscaling"]["Desired"] == 1  # one object, not a list
    elif output == "name":
        assert result.out == "nodepool/np1\n"
    else:
        rows = table(result.out, (*POOL_TABLE, *POOL_WIDE) if output == "wide" else POOL_TABLE)
        assert [cells(r)[0] for r in rows] == ["np1"]

"""``app move --to-cluster`` end to end (issue #18): the AKS driver over the stateful fake ARM, each
cluster's API server a kmock server (real ``kubernetes`` client over HTTP), the CLI run in-process.

KOM: workspace ws1; provider aks1 with clusters c1 (node pool ``user`` in zone 1) and c2 (zone 2);
provider aks2 in the same subscription and region with cluster c3 (zone 3); provider aks9 in another
subscription with cluster c9; provider k3s1 with cluster home.  App app1 lives on c1 with one 1 GiB
disk volume ``db``.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from cli_project import ROOT, CliProject, isolate_env, kom_text, one_error, write_project
from output_matrix import cells, table

if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from kmock_server import KMockThread

from contract.nodepool.agentpool_fake import agent_pool
from contract.volume.harness_aks import SETTINGS, SUBSCRIPTION, make_aks_driver, principals
from kompox.domain.model import Cluster, Provider, Workspace
from kompox.providers import registry
from kompox.providers.aks import AKSDriver
from kompox.providers.aks.arm_template import OUT_AKS_CLUSTER_NAME, OUT_RESOURCE_GROUP_NAME
from providers.aks.fake_arm import FakeCredential, Reply, client_kwargs
from providers.aks.fake_arm_volumes import FakeVolumeARM

OTHER_SUB = "99999999-9999-9999-9999-999999999999"


def _aks(subscription: str) -> str:
    return (
        f"{{driver: aks, settings: {{AZURE_SUBSCRIPTION_ID: {subscription}, AZURE_LOCATION: japaneast, "
        "AZURE_AUTH_METHOD: azure_cli}}"
    )


EXISTING = "{existing: true}"
KOM = kom_text(
    ("Workspace", "/ws/ws1", None),
    ("Provider", "/ws/ws1/prv/aks1", _aks(SUBSCRIPTION)),
    ("Cluster", "/ws/ws1/prv/aks1/cls/c1", EXISTING),
    ("Cluster", "/ws/ws1/prv/aks1/cls/c2", EXISTING),
    ("Provider", "/ws/ws1/prv/aks2", _aks(SUBSCRIPTION)),
    ("Cluster", "/ws/ws1/prv/aks2/cls/c3", EXISTING),
    ("Provider", "/ws/ws1/prv/aks9", _aks(OTHER_SUB)),
    ("Cluster", "/ws/ws1/prv/aks9/cls/c9", EXISTING),
    ("Provider", "/ws/ws1/prv/k3s1", "{driver: k3s}"),
    ("Cluster", "/ws/ws1/prv/k3s1/cls/home", "{existing: true, settings: {KUBECONFIG: kube/none.yaml}}"),
)

APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata: {name: app1, annotations: {ops.kompox.dev/id: /ws/ws1/prv/aks1/cls/c1/app/app1}}
spec:
  compose: file:compose.yml
  volumes:
    - {name: db, size: 1Gi}
"""

COMPOSE = "services:\n  web:\n    image: nginx:1.27\n    volumes: ['db:/var/lib/db']\n"
CONTAINER = "/providers/Microsoft.ContainerService/managedClusters"


class InterruptingARM(FakeVolumeARM):
    """The fake ARM, plus a Ctrl-C (KeyboardInterrupt) raised when a request matches ``interrupt_on``, and
    ``before_request`` run first (a test's stand-in for the Azure Disk CSI driver detaching disks)."""

    interrupt_on: tuple[str, str] | None = None
    before_request: Callable[[requests.PreparedRequest], None] | None = None

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if self.before_request is not None:
            self.before_request(request)
        if self.interrupt_on is not None:
            method, fragment = self.interrupt_on
            if request.method == method and fragment in str(request.url):
                self.interrupt_on = None
                raise KeyboardInterrupt
        return super().send(request, **kwargs)


@dataclass
class MoveProject(CliProject):
    fake: InterruptingARM
    kube: dict[str, KMockThread]  # cluster name → its API server

    def writes(self, cluster: str) -> list[Any]:
        return [r for r in self.kube[cluster].requests() if r.method not in ("GET", "HEAD")]


def _cluster_arm(fake: FakeVolumeARM, driver: AKSDriver, name: str, zone: str, kubeconfig: bytes) -> None:
    cluster = Cluster(name=name)
    rg, aks = driver.names.deployment_name(cluster), f"aks-{name}"
    fake.deployments[rg] = {OUT_RESOURCE_GROUP_NAME: rg, OUT_AKS_CLUSTER_NAME: aks, **principals(cluster)}
    base = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}{CONTAINER}/{aks}"
    fake.on(
        "POST",
        f"{base}/listClusterAdminCredential",
        Reply(200, {"kubeconfigs": [{"name": "clusterAdmin", "value": base64.b64encode(kubeconfig).decode()}]}),
    )
    pool = agent_pool("npuser1", zones=[zone], labels={"kompox.dev/node-pool": "user"})
    fake.on("GET", f"{base}/agentPools", Reply(200, {"value": [pool]}))


@pytest.fixture
def move_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[MoveProject]:
    servers = {name: KMockThread(rollout="ready").start() for name in ("c1", "c2", "c3")}
    fake = InterruptingARM(location="japaneast")
    aks1 = make_aks_driver(fake, SETTINGS)
    aks2 = AKSDriver(
        Workspace(id="/ws/ws1", name="ws1"),
        Provider(id="/ws/ws1/prv/aks2", name="aks2", workspace_id="/ws/ws1", driver="aks", settings=SETTINGS),
        credential=FakeCredential(),
        client_kwargs=client_kwargs(fake),
    )
    for (name, server), zone, names in zip(servers.items(), ("1", "2", "3"), (aks1, aks1, aks2), strict=True):
        _cluster_arm(fake, names, name, zone, server.kubeconfig)

    def factory(workspace: Workspace | None, provider: Provider) -> AKSDriver:
        return AKSDriver(workspace, provider, credential=FakeCredential(), client_kwargs=client_kwargs(fake))

    registry.get_factory("aks")  # import the built-in driver first, so our factory wins
    saved = dict(registry._REGISTRY)
    registry.register("aks", factory)
    root = tmp_path / "proj"
    write_project(root, kom=KOM, app=APP, compose=COMPOSE, config="version: 1\nstore:\n  type: local\n")
    isolate_env(monkeypatch, home=tmp_path / "home")
    monkeypatch.chdir(root)
    try:
        yield MoveProject(root, capsys, fake, servers)
    finally:
        registry._REGISTRY.clear()
        registry._REGISTRY.update(saved)
        for server in reversed(servers.values()):  # kmock patches the resolver: stop in reverse order
            server.stop()


def _deployed_on_c1(p: MoveProject) -> None:
    p.ok("disk", "create", "-V", "db", "-N", "d1", "-Z", "1")  # the first disk is assigned
    p.ok("app", "deploy")
    assert p.kube["c1"].objects() and not p.kube["c2"].requests() and not p.kube["c3"].requests()


def _compute(p: MoveProject, kind: str) -> list[str]:
    return sorted(name for (_sub, _rg, rtype, name) in p.fake.items if rtype == kind)


def _versions(server: KMockThread) -> dict[Any, str]:
    return {key: obj["metadata"]["resourceVersion"] for key, obj in server.objects().items()}


def test_dry_run_prints_the_plan_and_writes_nothing(move_project: MoveProject) -> None:
    p = move_project
    _deployed_on_c1(p)
    p.fake.requests.clear()
    before = len(p.kube["c1"].requests())
    result = p.ok("app", "move", "--to-cluster", "c2", "--dry-run", "-o", "table")
    assert p.fake.writes() == []  # reads only: disk/snapshot lists and the target's node pools
    assert p.kube["c2"].requests() == [] and len(p.kube["c1"].requests()) == before
    assert [cells(line) for line in table(result.out, ("#", "STEP", "VOLUME", "STATE"))] == [
        ["1", "snapshot", "db", "todo"],
        ["2", "disk", "db", "todo"],
        ["3", "assign", "db", "todo"],
        ["4", "deploy", "-", "todo"],
    ]
    plan = p.ok("app", "move", "--to-cluster", "/ws/ws1/prv/aks1/cls/c2", "--dry-run").json()  # JSON by default
    (vol,) = plan["volumes"]
    name = vol["name"]
    assert vol["sourceDisk"] == "d1" and vol["zone"] == "2" and name.startswith("mv-") and len(name) == 18
    assert plan["targetAppId"] == "/ws/ws1/prv/aks1/cls/c2/app/app1" and plan["sharedDisks"] is True
    assert [s["done"] for s in plan["steps"]] == [False] * 4
    lines = result.err.splitlines()  # the same plan, told on stderr
    assert lines[0] == "app move plan: app app1 from cluster c1 to cluster c2"
    assert lines[1] == f"  1. snapshot: volume db: snapshot {name} of disk d1 on cluster c1 [todo]"
    assert lines[2] == (
        f"  2. disk: volume db: disk {name} on cluster c2 from snapshot {name}, zone 2 "
        "(from deployment.pool (default) user → node pools npuser1 (zones 2)) [todo]"
    )
    assert lines[-1] == "Source disks and snapshots are never deleted by app move."
    assert p.ok("app", "move", "--to-cluster", "c2", "--dry-run", "-o", "name").out == f"disk/{name}\n"
    assert p.fake.writes() == []


def test_move_interrupted_after_the_snapshot_resumes_without_duplicates(move_project: MoveProject) -> None:
    p = move_project
    _deployed_on_c1(p)
    source_before = _versions(p.kube["c1"])
    c1_requests = len(p.kube["c1"].requests())
    name = p.ok("app", "move", "--to-cluster", "c2", "--dry-run").json()["volumes"][0]["name"]
    p.fake.requests.clear()

    p.fake.interrupt_on = ("PUT", "/disks/k4x-")  # Ctrl-C as the disk is about to be created
    first = p.run("app", "move", "--to-cluster", "c2")
    assert first.code == 130 and "Error: interrupted" in first.err
    assert f"[1/4] snapshot db: created {name} of disk d1 on c1" in first.err
    assert _compute(p, "snapshots") == [f"k4x-b3wold_snap_db_{name}_5z5nb0"]
    assert _compute(p, "disks") == ["k4x-b3wold_disk_db_d1_5z5nb0"]  # the interrupted create made nothing

    second = p.run("app", "move", "--to-cluster", "c2")
    assert second.code == 0, second.err
    assert f"[1/4] snapshot db: {name} already made by an earlier run" in second.err
    assert f"[2/4] disk db: created {name} on c2 (zone 2)" in second.err
    assert f"[3/4] assign db: {name} assigned on c2" in second.err
    assert "[4/4] deploy: app app1 deployed on c2" in second.err
    assert "change the App's ops.kompox.dev/id to /ws/ws1/prv/aks1/cls/c2/app/app1" in second.err

    # no duplicate: one snapshot PUT and one disk PUT over both runs; one snapshot, two disks in Azure
    assert len(p.fake.seen("PUT", "/snapshots/")) == 1
    assert len(p.fake.seen("PUT", "/disks/")) == 1
    assert _compute(p, "snapshots") == [f"k4x-b3wold_snap_db_{name}_5z5nb0"]
    assert _compute(p, "disks") == sorted(["k4x-b3wold_disk_db_d1_5z5nb0", f"k4x-b3wold_disk_db_{name}_5z5nb0"])
    moved = p.fake.disk(f"k4x-b3wold_disk_db_{name}_5z5nb0")
    assert moved is not None and moved["zones"] == ["2"]
    assert moved["properties"]["creationData"]["createOption"] == "Copy"
    assert "/snapshots/" in moved["properties"]["creationData"]["sourceResourceId"].lower()

    # the target runs the app on the moved disk
    objects = p.kube["c2"].objects()
    deployments = [k for k in objects if k[0] == "apps/v1/deployments"]
    assert [k[2] for k in deployments] == ["app1-app"]
    (pv,) = [o for k, o in objects.items() if k[0] == "v1/persistentvolumes"]
    assert pv["spec"]["csi"]["volumeHandle"].lower().endswith(f"_disk_db_{name}_5z5nb0".lower())

    # the source is untouched: same objects and versions; its API server was not even asked (nor ARM for its
    # kubeconfig), so a move off a dead cluster works the same way
    assert _versions(p.kube["c1"]) == source_before and len(p.kube["c1"].requests()) == c1_requests
    assert p.fake.seen("POST", "_cls_c1_.*/listClusterAdminCredential") == []
    assert p.fake.disk("k4x-b3wold_disk_db_d1_5z5nb0") is not None

    # a third run finds everything done and creates nothing
    p.fake.requests.clear()
    third = p.ok("app", "move", "--to-cluster", "c2")
    assert f"[1/4] snapshot db: done by an earlier run ({name} is assigned)" in third.err
    assert p.fake.seen("PUT") == [] and p.fake.seen("PATCH") == []


def test_move_failing_after_the_assign_resumes_at_the_deploy(move_project: MoveProject) -> None:
    p = move_project
    _deployed_on_c1(p)
    p.kube["c2"].inject("PATCH", 500, times=100)  # the target's API server fails every apply
    failed = p.run("app", "move", "--to-cluster", "c2")
    assert failed.code != 0 and "[3/4] assign db:" in failed.err and "[4/4]" not in failed.err
    p.kube["c2"].clear_faults()
    p.fake.requests.clear()
    plan = p.ok("app", "move", "--to-cluster", "c2", "--dry-run").json()
    (vol,) = plan["volumes"]  # the assigned disk is the move's own: the volume is done
    assert vol["sourceDisk"] == vol["name"] and vol["snapshotDone"] and vol["diskDone"] and vol["assignDone"]
    again = p.ok("app", "move", "--to-cluster", "c2")
    assert f"[1/4] snapshot db: done by an earlier run ({vol['name']} is assigned)" in again.err
    assert "[4/4] deploy: app app1 deployed on c2" in again.err
    kubeconfig = "/listClusterAdminCredential"  # a POST that only reads
    assert [r for r in p.fake.writes() if not r.path.endswith(kubeconfig)] == []  # nothing created or re-assigned
    assert [k[2] for k in p.kube["c2"].objects() if k[0] == "apps/v1/deployments"] == ["app1-app"]


def test_move_interrupted_at_the_assign_resumes_even_after_its_snapshot_was_pruned(move_project: MoveProject) -> None:
    p = move_project
    _deployed_on_c1(p)
    p.fake.interrupt_on = ("PATCH", "/disks/")  # Ctrl-C as the assigned flags are about to change
    first = p.run("app", "move", "--to-cluster", "c2")
    assert first.code == 130 and "[2/4] disk db: created" in first.err and "[3/4]" not in first.err
    name = p.ok("app", "move", "--to-cluster", "c2", "--dry-run").json()["volumes"][0]["name"]
    p.ok("snapshot", "delete", "-V", "db", "-N", name)  # e.g. a snapshot prune ran in between
    p.fake.requests.clear()
    plan = p.ok("app", "move", "--to-cluster", "c2", "--dry-run").json()
    assert [s["done"] for s in plan["steps"]] == [True, True, False, False]  # the disk made from it exists
    again = p.ok("app", "move", "--to-cluster", "c2")
    assert f"[3/4] assign db: {name} assigned on c2" in again.err
    assert p.fake.seen("PUT") == []  # no second snapshot, no second disk
    assert _compute(p, "snapshots") == [] and len(_compute(p, "disks")) == 2


def test_a_pinned_zone_the_target_lacks_is_refused_before_any_write(move_project: MoveProject) -> None:
    p = move_project
    _deployed_on_c1(p)
    app = (p.root / "kompoxapp.yml").read_text() + "  deployment: {zone: '1'}\n"
    (p.root / "kompoxapp.yml").write_text(app)
    p.fake.requests.clear()
    one_error(
        p.run("app", "move", "--to-cluster", "c2"),
        3,
        "the app may land in no zone on cluster c2 (deployment.zone 1; deployment.pool (default) user → node pools "
        "npuser1 (zones 2))",
    )
    assert p.fake.writes() == [] and p.kube["c2"].requests() == []


VM = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/MC_k4x_c1_japaneast/providers/"
    "Microsoft.Compute/virtualMachineScaleSets/aks-npuser1-12345678-vmss/virtualMachines/38"
)
D1 = "k4x-b3wold_disk_db_d1_5z5nb0"


def test_a_running_source_is_warned_about_and_stop_source_snapshots_only_once_detached(
    move_project: MoveProject,
) -> None:
    p = move_project
    _deployed_on_c1(p)
    p.fake.attach(D1, VM)  # the app's pod on c1 mounts d1
    plan = p.run("app", "move", "--to-cluster", "c2", "--dry-run")
    assert (
        plan.code == 0
        and (
            "Warning: disk d1 of volume db is attached (node aks-npuser1-12345678-vmss000012): the app on cluster c1 "
            "may still write to it; the target gets the data as of the snapshot and later writes stay on the source "
            "(--stop-source stops the source app first)"
        )
        in plan.err
    )

    at_snapshot: list[str] = []

    def csi_detach(request: requests.PreparedRequest) -> None:  # d1 detaches once no Deployment is left on c1
        disk = p.fake.disk(D1)
        assert disk is not None
        deployments = [k for k in p.kube["c1"].objects() if k[0] == "apps/v1/deployments"]
        if disk.get("managedBy") and not deployments:
            disk["managedBy"], disk["properties"]["diskState"] = None, "Unattached"
        if request.method == "PUT" and "/snapshots/" in str(request.url):
            at_snapshot.append(disk["properties"]["diskState"])

    p.fake.requests.clear()
    p.fake.before_request = csi_detach
    result = p.ok("app", "move", "--to-cluster", "c2", "--stop-source")
    assert "Warning: disk d1" not in result.err
    lines = [line for line in result.err.splitlines() if line.startswith("app move: [")]
    assert lines[0] == "app move: [1/5] stop-source: app app1 destroyed on c1; its disks are detached"
    assert lines[1].startswith("app move: [2/5] snapshot db: created mv-")
    assert "apps/v1/deployments" not in {k[0] for k in p.kube["c1"].objects()}
    assert at_snapshot == ["Unattached"]  # the one snapshot PUT came when d1 was detached
    again = p.ok("app", "move", "--to-cluster", "c2", "--stop-source")  # nothing left to stop for
    assert "app move: [1/5] stop-source: not needed, every snapshot is already taken" in again.err


def test_stop_source_gives_up_when_a_disk_stays_attached_and_copies_nothing(move_project: MoveProject) -> None:
    p = move_project
    _deployed_on_c1(p)
    p.fake.attach(D1, VM)  # and nothing detaches it
    p.fake.requests.clear()
    result = p.run("app", "move", "--to-cluster", "c2", "--stop-source", "--timeout", "1s")
    one_error(
        result,
        1,
        "app move: the source app is destroyed but disks are still attached after 1s: "
        "d1 (node aks-npuser1-12345678-vmss000012); nothing was copied (run again once they are detached)",
    )
    assert "app move: source: waiting for disks to detach: d1 (node aks-npuser1-12345678-vmss000012)" in result.err
    assert p.fake.seen("PUT") == []  # no snapshot of a disk that may still be written


def test_an_app_without_volumes_is_only_deployed_on_the_target(move_project: MoveProject) -> None:
    p = move_project
    app = (p.root / "kompoxapp.yml").read_text().split("  volumes:")[0]
    (p.root / "kompoxapp.yml").write_text(app)
    (p.root / "compose.yml").write_text("services:\n  web:\n    image: nginx:1.27\n")
    p.ok("app", "deploy")
    p.fake.requests.clear()
    plan = p.ok("app", "move", "--to-cluster", "c2", "-o", "table")
    assert [cells(line) for line in table(plan.out, ("#", "STEP", "VOLUME", "STATE"))] == [["1", "deploy", "-", "done"]]
    assert p.fake.seen(path="/(disks|snapshots)") == []
    assert [k[2] for k in p.kube["c2"].objects() if k[0] == "apps/v1/deployments"] == ["app1-app"]


def test_cleanup_source_destroys_the_source_app_but_keeps_its_disks(move_project: MoveProject) -> None:
    p = move_project
    _deployed_on_c1(p)
    result = p.ok("app", "move", "--to-cluster", "c2", "--cleanup-source")
    assert "[5/5] destroy-source: app app1 destroyed on c1 (disks and snapshots kept)" in result.err
    kinds = {k[0] for k in p.kube["c1"].objects()}
    assert "apps/v1/deployments" not in kinds and "v1/persistentvolumes" in kinds
    assert p.fake.seen("DELETE") == [] and len(_compute(p, "disks")) == 2 and len(_compute(p, "snapshots")) == 1
    assert p.kube["c2"].objects()  # deployed before the source went


def test_move_to_another_provider_in_the_same_subscription_and_region(move_project: MoveProject) -> None:
    p = move_project
    _deployed_on_c1(p)
    source_before = _versions(p.kube["c1"])
    p.fake.requests.clear()
    result = p.ok("app", "move", "--to-cluster", "/ws/ws1/prv/aks2/cls/c3")
    plan = result.json()
    (vol,) = plan["volumes"]
    name = vol["name"]
    assert plan["sharedDisks"] is False and plan["targetNamespace"] != plan["sourceNamespace"]
    assert f"[2/4] disk db: created {name} on c3 (zone 3)" in result.err
    assert "would mount them too" not in result.err  # the source keeps its own assigned disk
    # the disk lives in aks2's app resource group, copied from the snapshot in aks1's
    (put,) = p.fake.seen("PUT", "/disks/")
    assert "_app_app1_" in put.path and "/resourceGroups/k4x-b3wold_app_" not in put.path
    source_id = put.body["properties"]["creationData"]["sourceResourceId"]
    assert source_id.lower().endswith(
        f"/resourcegroups/k4x-b3wold_app_app1_5z5nb0/providers/microsoft.compute/"
        f"snapshots/k4x-b3wold_snap_db_{name}_5z5nb0"
    )
    # the source volume still has d1 assigned, untouched; the target runs on the copy
    assert p.fake.disk("k4x-b3wold_disk_db_d1_5z5nb0")["tags"]["kompox-disk-assigned"] == "true"  # type: ignore[index]
    assert _versions(p.kube["c1"]) == source_before
    (pv,) = [o for k, o in p.kube["c3"].objects().items() if k[0] == "v1/persistentvolumes"]
    assert name in pv["spec"]["csi"]["volumeHandle"]
    p.fake.requests.clear()  # and a re-run creates nothing
    again = p.ok("app", "move", "--to-cluster", "c3")
    assert f"[2/4] disk db: {name} already made by an earlier run" in again.err
    assert p.fake.seen("PUT") == [] and p.fake.seen("PATCH") == []


@pytest.mark.parametrize(
    ("target", "why"),
    [
        (
            "home",
            "moving data across providers is not supported (provider aks1 uses driver aks, "
            "provider k3s1 uses driver k3s)",
        ),
        ("c9", "moving data across Azure subscriptions is not supported"),
    ],
)
def test_move_across_providers_is_refused_before_any_request(move_project: MoveProject, target: str, why: str) -> None:
    p = move_project
    p.fake.requests.clear()
    result = p.run("app", "move", "--to-cluster", target)
    one_error(result, 5, why)
    assert p.fake.requests == []  # not even a read
    assert all(server.requests() == [] for server in p.kube.values())
    one_error(p.run("app", "move", "--to-cluster", target, "--dry-run"), 5, why)
    assert p.fake.requests == []


def test_bad_targets_are_one_line_errors(move_project: MoveProject) -> None:
    p = move_project
    one_error(p.run("app", "move", "--to-cluster", "c1"), 3, "app app1 is already on cluster c1")
    one_error(p.run("app", "move", "--to-cluster", "nope"), 4, 'cluster "nope" not found')
    _deployed_on_c1(p)
    p.fake.requests.clear()
    one_error(p.run("app", "move", "--to-cluster", "c2", "--zone", "3"), 3, "zone 3 cannot be reached by the app")
    assert p.fake.writes() == []
    plan = p.ok("app", "move", "--to-cluster", "c2", "--zone", "japaneast-2", "--dry-run").json()
    assert [(v["zone"], v["zoneFrom"]) for v in plan["volumes"]] == [("japaneast-2", "--zone")]


def test_the_source_disks_zone_is_kept_when_the_target_reaches_it(move_project: MoveProject) -> None:
    """A target pool spanning zones 1 and 2: the disk in zone 2 stays in zone 2 (not the first zone, 1)."""
    p = move_project
    (route,) = [r for r in p.fake.routes if r.method == "GET" and r.pattern.pattern.endswith("/aks-c2/agentPools")]
    pool = agent_pool("npuser1", zones=["1", "2"], labels={"kompox.dev/node-pool": "user"})
    route.replies[:] = [Reply(200, {"value": [pool]})]
    p.ok("disk", "create", "-V", "db", "-N", "d2", "-Z", "2")
    plan = p.ok("app", "move", "--to-cluster", "c2", "--dry-run").json()
    assert [(v["sourceDisk"], v["zone"], v["zoneFrom"]) for v in plan["volumes"]] == [
        (
            "d2",
            "2",
            "the source disk's zone, reachable on the target "
            "(deployment.pool (default) user → node pools npuser1 (zones 1, 2))",
        )
    ]


def test_a_files_volume_or_a_volume_without_an_assigned_disk_is_refused_before_any_write(
    move_project: MoveProject,
) -> None:
    p = move_project
    app = p.root / "kompoxapp.yml"
    original = app.read_text()
    app.write_text(
        original.replace(
            "- {name: db, size: 1Gi}", "- {name: db, size: 1Gi}\n    - {name: share, size: 1Gi, type: files}"
        )
    )
    one_error(
        p.run("app", "move", "--to-cluster", "c2"),
        5,
        "app move: volume share is of type files; only disk volumes can be moved (a files share is not copied)",
    )
    assert p.fake.requests == [] and all(server.requests() == [] for server in p.kube.values())
    app.write_text(original)
    one_error(
        p.run("app", "move", "--to-cluster", "c2"),
        4,
        "volume db has 0 assigned disks on cluster c1 (disks: none); app move needs exactly one (disk assign)",
    )
    assert p.fake.writes() == [] and all(server.requests() == [] for server in p.kube.values())

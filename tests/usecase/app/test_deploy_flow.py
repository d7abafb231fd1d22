"""``deploy_flow`` / ``destroy_flow`` with fake ports: the use case owns the order of the steps.

The fakes record every call in one journal, so the tests read the order the
flow took (bootstrap, validate, dry run, apply, wait, DNS), what was never
called after a refusal, and how often the driver and kube client were asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from integration.app.example_app import load_target, validate
from kompox.domain.model import App, AppDeployment, Cluster, DNSRecordSet, VolumeDisk
from kompox.kube.transport import KubeAPIError
from kompox.usecase.app_deploy import DeployRefusedError
from kompox.usecase.app_flows import AppPorts, DeployOptions, DestroyOptions, deploy_flow, destroy_flow
from kompox.usecase.app_target import AppTarget
from kompox.usecase.app_validate import AppValidation, DeployBlockedError


@dataclass
class Answer:
    objects: list[dict[str, Any]] = field(default_factory=list)
    created: list[bool] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    deleted: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Rollout:
    done: bool = True
    message: str = 'deployment "gitea-app" successfully rolled out'


class FakeKube:
    """An API server that holds nothing: every namespace is new, every object accepted unless refused."""

    def __init__(self, journal: list[str], refuse: Iterable[str] = ()) -> None:
        self.journal = journal
        self.refuse = set(refuse)
        self.server = "https://fake"

    def dry_run_apply(self, objects: Iterable[Mapping[str, Any]], **_kw: Any) -> Answer:
        objects = list(objects)
        self.journal.append(f"dry-run {len(objects)}")
        names = [f"{o['kind']}/{o['metadata']['name']}" for o in objects]
        return Answer(created=[True] * len(objects), refusals=[f"{n}: invalid" for n in names if n in self.refuse])

    def apply(self, objects: Iterable[Mapping[str, Any]], **_kw: Any) -> Answer:
        objects = [dict(o) for o in objects]
        self.journal.append(f"apply {len(objects)}")
        return Answer(objects=objects, created=[True] * len(objects))

    def create_namespace(self, obj: Mapping[str, Any]) -> bool:
        self.journal.append(f"create-namespace {obj['metadata']['name']}")
        return True

    def get_deployment(self, namespace: str, name: str) -> None:
        self.journal.append("get-deployment")

    def list_secrets(self, namespace: str) -> list[dict[str, Any]]:
        self.journal.append("list-secrets")
        return []

    def list_configmaps(self, namespace: str) -> list[dict[str, Any]]:
        self.journal.append("list-configmaps")
        return []

    def prune_headless_services(self, *_a: Any) -> Answer:
        self.journal.append("prune")
        return Answer()

    def wait_for_rollout(self, namespace: str, name: str, **_kw: Any) -> Rollout:
        self.journal.append(f"wait {name}")
        return Rollout()

    def ingress_host_ips(self, namespace: str, selector: str) -> list[tuple[str, str]]:
        self.journal.append("ingress-hosts")
        return [("gitea.example.com", "203.0.113.7")]

    def delete_by_selector(self, namespace: str, selector: str) -> Answer:
        self.journal.append(f"delete-by-selector {selector}")
        return Answer(deleted=[("Deployment", namespace, "gitea-app")])

    def delete_namespace(self, name: str) -> bool:
        self.journal.append("delete-namespace")
        return True

    def wait_namespace_gone(self, name: str, *, timeout: float) -> None:
        self.journal.append(f"wait-namespace-gone {timeout:g}")

    zones: Any = None  # what label_node_zones answers (a KompoxError instance is raised)

    def label_node_zones(self) -> Any:
        self.journal.append("label-node-zones")
        if isinstance(self.zones, Exception):
            raise self.zones
        return self.zones


class FakeDriver:
    def __init__(self, journal: list[str]) -> None:
        self.journal = journal

    def volume_disk_list(self, cluster: Cluster, app: App, vol_name: str, opts: Any = None) -> list[VolumeDisk]:
        self.journal.append(f"disk-list {vol_name}")
        return [VolumeDisk(name=f"{vol_name}-d1", volume_name=vol_name, assigned=True)]

    def cluster_dns_apply(self, cluster: Cluster, rset: DNSRecordSet, opts: Any = None) -> None:
        self.journal.append(f"dns {rset.type.value} {rset.fqdn}")


@dataclass
class World:
    target: AppTarget
    journal: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    built: dict[str, int] = field(default_factory=lambda: {"driver": 0, "kube": 0})
    refuse: tuple[str, ...] = ()

    zones: Any = None

    def ports(self) -> AppPorts:
        driver, kube = FakeDriver(self.journal), FakeKube(self.journal, self.refuse)
        kube.zones = self.zones

        def get_driver() -> Any:
            self.built["driver"] += 1
            return driver

        def get_kube() -> Any:
            self.built["kube"] += 1
            return kube

        return AppPorts(self.target, get_driver, get_kube, self.said.append, lambda m: self.said.append(f"~ {m}"))

    def validate(self) -> AppValidation:
        self.journal.append("validate")
        return validate(self.target)


@pytest.fixture
def world() -> World:
    return World(load_target("gitea"))


def test_deploy_runs_every_step_in_order(world: World) -> None:
    result = deploy_flow(world.ports(), world.validate, DeployOptions(bootstrap_disks=True, update_dns=True))

    steps = [s for s in world.journal if not s.startswith("disk-list")]
    ns = world.target.names().namespace
    assert steps == [
        "validate",
        "dry-run 1",  # the Namespace: its answer says it is new
        f"create-namespace {ns}",
        "dry-run 14",  # the other objects, checked inside it
        "apply 15",  # one apply of every object
        "wait gitea-app",
        "ingress-hosts",
        "dns A gitea.example.com",
    ]
    assert world.journal.index("disk-list data") < world.journal.index("validate")  # bootstrap came first
    assert result.applied_count == 15 and result.patched
    assert world.built == {"driver": 1, "kube": 1}  # each asked for once, the same instance for every step
    assert world.said[0] == "bootstrap disks: skipped (already initialized)"  # the fake lists assigned disks
    assert world.said[-1].startswith("app deploy: DNS A gitea.example.com: ")


@dataclass
class ZoneLabels:
    labelled: list[tuple[str, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def test_a_zone_pinned_app_labels_node_zones_before_anything_is_applied(world: World) -> None:
    """Per-node zone labels (multi-zone pools) are set after validation, before the dry run; failures warn."""
    world.target.app.deployment = AppDeployment(zone="japaneast-2")
    world.zones = ZoneLabels(
        labelled=[("aks-npweb-1", "japaneast-2")],
        failed=[
            "node aks-npweb-2: kompox.dev/node-zone=japaneast-3 not set: it changed meanwhile; the next run labels it"
        ],
    )
    deploy_flow(world.ports(), world.validate, DeployOptions())
    steps = [s for s in world.journal if not s.startswith("disk-list")]
    assert steps[:3] == ["validate", "label-node-zones", "dry-run 1"]
    assert steps[-1] == "wait gitea-app"
    assert "~ node aks-npweb-1: labelled kompox.dev/node-zone=japaneast-2 (from its topology.kubernetes.io/zone)" in (
        world.said
    )
    assert (
        "Warning: node aks-npweb-2: kompox.dev/node-zone=japaneast-3 not set: it changed meanwhile; the next run "
        "labels it"
    ) in world.said


def test_a_labeler_error_is_a_warning_and_an_unpinned_app_never_labels(world: World) -> None:
    world.target.app.deployment = AppDeployment(zones=["japaneast-1", "japaneast-2"])
    world.zones = KubeAPIError("nodes is forbidden: User cannot list resource nodes", status_code=403)
    result = deploy_flow(world.ports(), world.validate, DeployOptions())
    assert result.applied_count == 15
    assert "Warning: node zone labels not set: nodes is forbidden: User cannot list resource nodes" in world.said

    world.journal.clear()
    world.target.app.deployment = AppDeployment(pool="user")
    deploy_flow(world.ports(), world.validate, DeployOptions())
    assert "label-node-zones" not in world.journal


def test_a_refusal_stops_before_any_apply_and_is_said_per_object(world: World) -> None:
    world.refuse = ("Service/gitea", "Ingress/gitea-app-default")

    with pytest.raises(DeployRefusedError) as info:
        deploy_flow(world.ports(), world.validate, DeployOptions(update_dns=True))

    assert not [s for s in world.journal if s.startswith(("apply", "wait", "dns", "ingress"))]
    assert [s for s in world.said if s.startswith("Refused:")] == [
        "Refused: Service/gitea: invalid",
        "Refused: Ingress/gitea-app-default: invalid",
    ]
    assert info.value.exit_code == 3


def test_nothing_reaches_the_cluster_when_validation_fails(world: World) -> None:
    def failing() -> AppValidation:
        world.journal.append("validate")
        return validate(world.target, disks=lambda _vol: [])  # unbound volumes block the deploy

    with pytest.raises(DeployBlockedError, match="validation blocked"):
        deploy_flow(world.ports(), failing, DeployOptions())

    assert world.journal == ["validate"]
    assert world.built == {"driver": 1, "kube": 0}


def test_destroy_deletes_dns_first_and_waits_for_the_namespace(world: World) -> None:
    result = destroy_flow(world.ports(), DestroyOptions(delete_namespace=True, update_dns=True, timeout=42))

    selector = world.target.names().component_selector
    assert world.journal == [
        "ingress-hosts",
        "dns A gitea.example.com",
        "dns AAAA gitea.example.com",
        "dns CNAME gitea.example.com",
        f"delete-by-selector {selector}",
        "delete-namespace",
        "wait-namespace-gone 42",
    ]
    assert result.deleted_count == 1 and result.namespace_deleted

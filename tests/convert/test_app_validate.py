"""Use case ``app validate``: issues, severities, unbound volumes, deploy gate."""

from __future__ import annotations

import pytest

from kompox.compose.model import Service
from kompox.domain.errors import (
    CapabilityNotImplementedError,
    ConfigError,
    DriverError,
    DriverValidationError,
    ProviderAPIError,
)
from kompox.domain.model import (
    LABEL_NODE_POOL,
    LABEL_NODE_ZONE,
    App,
    AppDeployment,
    AppVolume,
    NodePool,
    VolumeClass,
    VolumeDisk,
)
from kompox.usecase.app_validate import DeployBlockedError, Severity, deploy_gate, validate_app

from .helpers import (
    AKS_DISK_CLASS,
    REF_BASE,
    GiB,
    context,
    k8s_validate,
    project,
    vol,
    worked_example_app,
    worked_example_files,
    worked_example_project,
)

SVC = Service(name="web", image="nginx", volumes=[vol("volume", "data", "/data")])


def disks_assigned(v: AppVolume) -> list[VolumeDisk]:
    return [
        VolumeDisk(name="old", volume_name=v.name, handle=f"h-{v.name}-old", assigned=False),
        VolumeDisk(name="cur", volume_name=v.name, handle=f"disk-handle-{v.name}", size=v.size, assigned=True),
    ]


def aks_class(_: AppVolume) -> VolumeClass:
    return AKS_DISK_CLASS


def k3s_disks(_: AppVolume) -> list[VolumeDisk]:
    raise CapabilityNotImplementedError("VolumeDiskList", "k3s")


def run_validate(app: App, proj: object = None, **kw: object):  # type: ignore[no-untyped-def]
    ws, prv, cls, _ = context(app)
    args = {"list_disks": disks_assigned, "volume_class": aks_class}
    args.update(kw)
    return validate_app(
        app=app,
        cluster=cls,
        provider=prv,
        workspace=ws,
        project=project(SVC) if proj is None else proj,
        files=worked_example_files(),
        **args,  # type: ignore[arg-type]
    )


def test_worked_example_through_use_case_is_deployable() -> None:
    result = run_validate(worked_example_app(), worked_example_project())
    assert result.ok and result.deployable
    assert result.issues == []
    assert len(result.objects) == 18
    k8s_validate(result.objects)
    assert deploy_gate(result) == result.objects
    assert result.manifest().startswith("---\napiVersion: v1\nkind: Namespace\n")


def test_k3s_cannot_list_disks_gives_manifest_and_warning() -> None:
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("data", GiB)])
    result = run_validate(app, list_disks=k3s_disks, volume_class=lambda v: VolumeClass())
    assert result.ok  # validate exits 0
    assert [i.code for i in result.warnings] == ["volume_unbound", "volumes_unbound"]
    assert "volume data is unbound" in result.warnings[0].message
    assert "VolumeDiskList is not implemented for k3s provider" in result.warnings[0].message
    assert result.warnings[1].message.endswith(": data")
    assert result.unbound_volumes == ["data"]
    k8s_validate(result.objects)
    assert not any(o["kind"] in ("PersistentVolume", "PersistentVolumeClaim") for o in result.objects)
    assert not result.deployable
    with pytest.raises(DeployBlockedError, match=r"validation blocked \(2 warnings, 0 errors\)"):
        deploy_gate(result)


def test_no_assigned_disk_is_upstream_warning_and_unbound() -> None:
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("data", GiB)])
    result = run_validate(app, list_disks=lambda v: [VolumeDisk(name="d", handle="h", assigned=False)])
    assert result.warnings[0].code == "volume_assignment_missing"
    assert result.warnings[0].message == "volume assignment missing (count=0) volume=data"
    assert result.objects and result.unbound_volumes == ["data"]


@pytest.mark.parametrize(
    ("lister", "code", "message"),
    [
        (
            lambda v: (_ for _ in ()).throw(ProviderAPIError("boom", status_code=500)),
            "volume_disk_lookup_failed",
            "volume disk lookup failed for data: boom",
        ),
        (
            lambda v: [VolumeDisk(handle="a", assigned=True), VolumeDisk(handle="b", assigned=True)],
            "volume_assignment_invalid",
            "volume assignment invalid (count=2) volume=data",
        ),
        (
            lambda v: [VolumeDisk(handle=" ", assigned=True)],
            "volume_disk_handle_missing",
            "no assigned disk handle for volume data",
        ),
    ],
)
def test_volume_errors_block_validate(lister: object, code: str, message: str) -> None:
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("data", GiB)])
    result = run_validate(app, list_disks=lister)
    assert not result.ok
    assert [(i.code, i.message) for i in result.errors] == [(code, message)]
    assert result.objects == []
    assert result.manifest() == ""


def test_volume_class_problems_are_warnings() -> None:
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("data", GiB)])
    result = run_validate(app, volume_class=lambda v: VolumeClass())
    assert [i.code for i in result.warnings] == ["volume_class_missing_driver", "volumes_unbound"]
    assert result.ok and result.unbound_volumes == ["data"]

    def failing(_: AppVolume) -> VolumeClass:
        raise DriverError("no class")

    result = run_validate(app, volume_class=failing)
    assert result.warnings[0].code == "volume_class_resolve_failed"
    assert "no class" in result.warnings[0].message


def test_conversion_failure_is_an_error_without_manifest() -> None:
    # project decision (issue 5): converter errors fail validate (upstream only logs a WARN)
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("data", GiB)])
    bad = project(Service(name="web", image="x", volumes=[vol("volume", "nope", "/x")]))
    result = run_validate(app, bad)
    assert not result.ok and not result.deployable
    assert [(i.severity, i.code) for i in result.issues] == [(Severity.ERROR, "compose_conversion_failed")]
    assert result.issues[0].message == (
        "compose conversion failed: named volume 'nope' referenced by 'nope' is not defined in app volumes"
        ' (add App volume "nope" to spec.volumes, or map "nope" in spec.composeVolumes)'
    )
    assert result.objects == []


def test_compose_loader_failure_is_error() -> None:
    def loader() -> object:
        raise ConfigError("services must be a mapping")

    result = run_validate(App(name="app1", ref_base=REF_BASE), loader)
    assert [(i.code, i.message) for i in result.errors] == [
        ("compose_validation_failed", "compose validation failed: services must be a mapping")
    ]


def test_missing_cluster_is_warning_and_conversion_fails() -> None:
    app = App(name="app1", ref_base=REF_BASE)
    ws, prv, _, _ = context(app)
    result = validate_app(
        app=app,
        cluster=None,
        provider=prv,
        workspace=ws,
        project=project(Service(name="web", image="x")),
        list_disks=None,
        volume_class=None,
    )
    assert [i.code for i in result.warnings] == ["cluster_not_found"]
    assert [i.code for i in result.errors] == ["compose_conversion_failed"]
    assert result.errors[0].message == "compose conversion failed: converter requires svc/prv/cls/app"


def test_no_objects_gate_message() -> None:
    app = App(name="app1", ref_base=REF_BASE)
    result = run_validate(app, project(Service(name="web", image="x")))
    result.conversion = None
    with pytest.raises(DeployBlockedError, match="no Kubernetes objects generated for app app1"):
        deploy_gate(result)


def test_converter_warnings_become_info() -> None:
    from kompox.compose.model import Config, FileRef

    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("data", GiB)])
    svc = Service(
        name="web",
        image="x",
        volumes=[vol("volume", "data/etc", "/etc/app.conf")],
        configs=[FileRef("c", "/etc/app.conf")],
    )
    result = run_validate(app, project(svc, configs=[Config(key="c", name="p_c", content="x")]))
    assert [i.code for i in result.infos] == ["compose_conversion_warning"]
    assert result.deployable  # INFO never blocks


# --- node-pool scheduling check (issue 9) ------------------------------------


def _aks_pools() -> list[NodePool]:
    """The pools of a freshly provisioned AKS cluster (template) plus one created with a Kompox zone."""
    return [
        NodePool(name="npsystem", labels={LABEL_NODE_POOL: "system"}),
        NodePool(name="npuser1", labels={LABEL_NODE_POOL: "user", LABEL_NODE_ZONE: "1"}),
        NodePool(name="spot1", labels={LABEL_NODE_POOL: "spot1", LABEL_NODE_ZONE: "japaneast-2"}),
    ]


def _app(**deployment: object) -> App:
    return App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("data", GiB)], deployment=AppDeployment(**deployment))  # type: ignore[arg-type]


def test_node_pool_check_passes_when_pools_and_zones_exist() -> None:
    for deployment in (
        {},
        {"pool": "user", "zone": "1"},
        {"pools": ["spot1", "system"]},
        {"pools": ["user", "spot1"], "zones": ["1", "japaneast-2"]},
    ):
        result = run_validate(_app(**deployment), list_node_pools=_aks_pools)
        assert result.issues == [], deployment
        assert result.deployable


def test_node_pool_check_warns_for_missing_pool_and_zone() -> None:
    result = run_validate(_app(pool="gpu", zone="japaneast-1"), list_node_pools=_aks_pools)
    assert result.ok  # warnings only: validate still exits 0 and writes the manifest
    assert [i.code for i in result.warnings] == ["node_pool_not_found", "node_zone_not_found"]
    assert result.warnings[0].message == (
        "node pool 'gpu' (deployment.pool) does not exist in the cluster: no node pool is labelled "
        "kompox.dev/node-pool=gpu (labelled pools: spot1 (spot1), system (npsystem), user (npuser1))"
    )
    # the zone label is compared verbatim: the template pool says "1", not "japaneast-1"
    assert "zone 'japaneast-1' (deployment.zone) does not exist in the cluster" in result.warnings[1].message
    assert not result.deployable


def test_node_pool_check_looks_for_the_zone_in_the_requested_pool() -> None:
    result = run_validate(_app(zone="japaneast-2"), list_node_pools=_aks_pools)  # default pool "user"
    assert [i.code for i in result.warnings] == ["node_zone_not_found"]
    assert result.warnings[0].message.startswith(
        "zone 'japaneast-2' (deployment.zone) does not exist in node pool user:"
    )
    assert "(zone labels: 1 (npuser1))" in result.warnings[0].message


def test_node_pool_check_finds_the_per_node_zones_of_a_multi_zone_pool() -> None:
    """A pool with several zones has no pool-level zone label; its nodes carry japaneast-<n> each
    (kompox.kube.node_zones), so those values exist, compared verbatim as the scheduler does."""

    def pools() -> list[NodePool]:
        web = NodePool(name="npweb", labels={LABEL_NODE_POOL: "web"}, zones=["japaneast-1", "japaneast-2"])
        return [*_aks_pools(), web]

    for zone in ("japaneast-1", "japaneast-2"):
        result = run_validate(_app(pool="web", zone=zone), list_node_pools=pools)
        assert result.issues == [] and result.deployable, zone
    result = run_validate(_app(pool="web", zone="2"), list_node_pools=pools)
    assert [i.code for i in result.warnings] == ["node_zone_not_found"]
    assert result.warnings[0].message == (
        "zone '2' (deployment.zone) does not exist in node pool web: no node of a node pool carries "
        "kompox.dev/node-zone=2 (zone labels: japaneast-1 (npweb), japaneast-2 (npweb))"
    )


def test_node_pool_check_is_skipped_silently_without_the_capability() -> None:
    def k3s_pools() -> list[NodePool]:
        raise CapabilityNotImplementedError("NodePoolList", "k3s")

    result = run_validate(_app(pool="gpu"), list_node_pools=k3s_pools)
    assert result.issues == [] and result.deployable


def test_node_pool_lookup_failure_is_info_only() -> None:
    def broken() -> list[NodePool]:
        raise ProviderAPIError("list agent pools: AuthorizationFailed: denied", status_code=403)

    result = run_validate(_app(pool="gpu"), list_node_pools=broken)
    assert [(i.severity, i.code) for i in result.issues] == [(Severity.INFO, "node_pool_check_skipped")]
    assert result.deployable


def test_invalid_volume_options_from_the_driver_are_errors() -> None:
    """A DriverValidationError from volume_class (files protocol=nfs, seed 002) fails validate (exit 3)."""
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("data", GiB)])

    def refusing(_: AppVolume) -> VolumeClass:
        raise DriverValidationError(
            'only protocol=smb is supported for Type=files, got "nfs"', field="options.protocol"
        )

    result = run_validate(app, volume_class=refusing)
    assert [(i.code, i.message) for i in result.errors] == [
        (
            "volume_options_invalid",
            'volume data: options.protocol: validation error: only protocol=smb is supported for Type=files, got "nfs"',
        )
    ]

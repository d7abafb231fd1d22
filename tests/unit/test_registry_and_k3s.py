"""Driver registry, port adapters and the K3s driver's upstream contract (drivers.md §7, §8, §12)."""

from __future__ import annotations

import pytest

from kompox.domain.errors import (
    CapabilityNotImplementedError,
    DriverConfigError,
    DriverValidationError,
    NotFoundError,
    NotSupportedError,
    ValidationError,
)
from kompox.domain.model import App, AppVolume, Cluster, DNSRecordSet, NodePool, Provider, VolumeClass, Workspace
from kompox.domain.model.dns import DNSRecordType
from kompox.domain.ports import ClusterPort, Driver, NodePoolPort, VolumePort
from kompox.providers import registry
from kompox.providers.k3s import K3sDriver, new_k3s_driver
from kompox.store.inmem import InMemoryRepository


def test_unknown_driver_lists_registered_ids() -> None:
    with pytest.raises(ValidationError, match=r"unknown provider driver: gke \(known drivers: aks, k3s"):
        registry.get_factory("gke")


def test_builtin_k3s_registers_on_first_lookup() -> None:
    factory = registry.get_factory("k3s")
    driver = factory(None, Provider(name="p1", driver="k3s"))
    assert isinstance(driver, Driver)
    assert (driver.id(), driver.workspace_name(), driver.provider_name()) == ("k3s", "(nil)", "p1")


def test_register_replaces_and_new_driver_wraps_factory_errors() -> None:
    def broken(_ws: Workspace | None, _p: Provider) -> Driver:
        raise DriverConfigError("missing required settings: X")

    registry.register("broken-test", broken)
    try:
        with pytest.raises(ValidationError) as exc:
            registry.new_driver(None, Provider(name="p", driver="broken-test"))
        # one "validation error: " prefix, then the driver and the provider resource it came from
        assert str(exc.value) == (
            "validation error: failed to create driver broken-test for provider p: missing required settings: X"
        )
    finally:
        registry._REGISTRY.pop("broken-test", None)


def test_builtin_driver_survives_a_registry_cleared_after_its_import() -> None:
    """The k3s package is imported once per process; a registry cleared later still finds its factory."""
    registry.get_factory("k3s")  # imports kompox.providers.k3s (a no-op if already imported)
    saved = dict(registry._REGISTRY)
    registry._REGISTRY.clear()
    try:
        assert registry.get_factory("k3s") is new_k3s_driver
    finally:
        registry._REGISTRY.clear()
        registry._REGISTRY.update(saved)


def test_k3s_disabled_by_settings() -> None:
    with pytest.raises(DriverConfigError, match="k3s provider disabled by settings"):
        new_k3s_driver(None, Provider(name="p", driver="k3s", settings={"disabled": "true"}))


CLUSTER = Cluster(id="/ws/w/prv/p/cls/c", name="c", provider_id="/ws/w/prv/p")
APP = App(
    id="/ws/w/prv/p/cls/c/app/a",
    name="a",
    cluster_id=CLUSTER.id,
    volumes=[AppVolume(name="db", size=1), AppVolume(name="share", size=1, type="files")],
)


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("ClusterProvision", lambda d: d.cluster_provision(CLUSTER)),
        ("ClusterDeprovision", lambda d: d.cluster_deprovision(CLUSTER)),
        ("NodePoolList", lambda d: d.node_pool_list(CLUSTER)),
        ("NodePoolCreate", lambda d: d.node_pool_create(CLUSTER, NodePool(name="x"))),
        ("NodePoolUpdate", lambda d: d.node_pool_update(CLUSTER, NodePool(name="x"))),
        ("NodePoolDelete", lambda d: d.node_pool_delete(CLUSTER, "x")),
    ],
)
def test_k3s_missing_capabilities_are_typed_and_named(method: str, call: object) -> None:
    driver = K3sDriver(Workspace(name="w"), Provider(name="p", driver="k3s"))
    with pytest.raises(CapabilityNotImplementedError) as info:
        call(driver)  # type: ignore[operator]
    assert str(info.value) == f"{method} is not implemented for k3s provider"
    assert info.value.method == method
    assert isinstance(info.value, NotSupportedError)  # both categories match


def test_k3s_dns_apply_is_a_noop_and_volume_class_is_a_local_rwo_volume() -> None:
    driver = K3sDriver(None, Provider(name="p", driver="k3s"))
    assert driver.cluster_dns_apply(CLUSTER, DNSRecordSet(fqdn="a.example.com.", rdata=["1.2.3.4"])) is None
    assert driver.volume_class(CLUSTER, APP, APP.volumes[0]) == VolumeClass(
        storage_class_name="kompox-localpath",
        local=True,
        access_modes=["ReadWriteOnce"],
        reclaim_policy="Retain",
        volume_mode="Filesystem",
    )
    with pytest.raises(NotSupportedError, match="files"):
        driver.volume_class(CLUSTER, APP, APP.volumes[1])


@pytest.mark.parametrize(
    ("rset", "field", "message"),
    [
        (DNSRecordSet(fqdn="  ", rdata=["1.2.3.4"]), "fqdn", "FQDN is required"),
        (DNSRecordSet(fqdn="a.example.com", type="PTR", rdata=["x"]), "type", "unsupported DNS record type: PTR"),  # type: ignore[arg-type]
        (DNSRecordSet(fqdn="a.example.com", type=DNSRecordType.CNAME, rdata=["b.", "c."]), "rdata", "exactly one"),
        (DNSRecordSet(fqdn="a.example.com", ttl=-1, rdata=["1.2.3.4"]), "ttl", "TTL must not be negative, got -1"),
    ],
)
def test_k3s_dns_apply_refuses_invalid_input_even_though_it_writes_nothing(
    rset: DNSRecordSet, field: str, message: str
) -> None:
    """Seed 000: dns_apply validates its input; K3s still writes nothing for a valid record."""
    driver = K3sDriver(None, Provider(name="p", driver="k3s"))
    with pytest.raises(DriverValidationError, match=message) as caught:
        driver.cluster_dns_apply(CLUSTER, rset)
    assert caught.value.field == field
    assert caught.value.exit_code == 3


class _Repos:
    def __init__(self, ws_items: dict[str, Workspace], prv_items: dict[str, Provider]) -> None:
        self.workspaces = InMemoryRepository("workspace", ws_items.values())
        self.providers = InMemoryRepository("provider", prv_items.values())


def _driver_for(ws_items: dict[str, Workspace], prv_items: dict[str, Provider]) -> Driver:
    from kompox.cli.session import provider_of

    workspace, provider = provider_of(_Repos(ws_items, prv_items), CLUSTER)  # type: ignore[arg-type]
    return registry.new_driver(workspace, provider)


def test_ports_resolve_provider_and_workspace_and_delegate() -> None:
    provider = Provider(id="/ws/w/prv/p", name="p", workspace_id="/ws/w", driver="k3s")
    driver = _driver_for({"/ws/w": Workspace(id="/ws/w", name="w")}, {provider.id: provider})
    assert driver.workspace_name() == "w"
    clusters: ClusterPort = driver
    volumes: VolumePort = driver
    pools: NodePoolPort = driver
    clusters.cluster_dns_apply(CLUSTER, DNSRecordSet(fqdn="x.", rdata=[]))
    with pytest.raises(NotSupportedError, match="type files is not supported"):
        volumes.volume_disk_list(CLUSTER, APP, "share")
    with pytest.raises(CapabilityNotImplementedError, match="NodePoolList"):
        pools.node_pool_list(CLUSTER)


def test_port_refuses_a_missing_workspace_instead_of_hashing_nil() -> None:
    provider = Provider(id="/ws/w/prv/p", name="p", workspace_id="/ws/w", driver="k3s")
    with pytest.raises(NotFoundError, match="failed to get workspace /ws/w of provider p"):
        _driver_for({}, {provider.id: provider})


def test_port_reports_missing_provider() -> None:
    with pytest.raises(NotFoundError, match="failed to get provider /ws/w/prv/p"):
        _driver_for({}, {})


def test_k3s_install_and_uninstall_refuse_force_before_touching_the_cluster() -> None:
    """Issue #18: a force the driver cannot honour is refused (K3s honours it only on disk delete)."""
    from kompox.domain.options import ClusterInstallOptions, ClusterUninstallOptions

    driver = K3sDriver(None, Provider(name="p", driver="k3s"))
    with pytest.raises(DriverValidationError, match="ClusterInstall: --force is not supported by the k3s driver"):
        driver.cluster_install(CLUSTER, ClusterInstallOptions(force=True))
    with pytest.raises(DriverValidationError, match="ClusterUninstall: --force is not supported by the k3s driver"):
        driver.cluster_uninstall(CLUSTER, ClusterUninstallOptions(force=True))

"""Domain model rules: volume types, find_volume, NodePool unset vs zero, errors."""

from __future__ import annotations

import pytest

from kompox.domain.errors import (
    ExitCode,
    MultiValidationError,
    NotFoundError,
    ProtectionError,
    ValidationError,
)
from kompox.domain.model import (
    App,
    AppVolume,
    Cluster,
    ClusterIngress,
    ClusterStatus,
    NodePool,
    NodePoolAutoscaling,
    ingress_namespace,
    ingress_service_account,
    normalize_volume_type,
    tls_secret_name,
)


@pytest.mark.parametrize(("value", "expected"), [("", "disk"), (None, "disk"), ("disk", "disk"), ("files", "files")])
def test_volume_type_canonical_values(value: str | None, expected: str) -> None:
    assert normalize_volume_type("db", value) == expected


def test_unknown_volume_type_names_volume_and_allowed_values() -> None:
    with pytest.raises(ValidationError) as info:
        normalize_volume_type("data", "nfs")
    text = str(info.value)
    assert 'volume "data"' in text and '"nfs"' in text and "disk, files" in text
    assert info.value.exit_code == ExitCode.CONFIG


def test_find_volume_lists_known_volumes() -> None:
    app = App(name="a", volumes=[AppVolume(name="db"), AppVolume(name="files")])
    assert app.find_volume("files").name == "files"
    with pytest.raises(NotFoundError, match=r"volume not found: web \(volumes of app a: db, files\)"):
        app.find_volume("web")


def test_node_pool_unset_differs_from_zero() -> None:
    unset = NodePool(name="p")
    zero = NodePool(name="p", os_disk_size_gib=0, labels={}, zones=[], autoscaling=NodePoolAutoscaling())
    assert unset.os_disk_size_gib is None and zero.os_disk_size_gib == 0
    assert unset != zero


def test_ingress_defaults() -> None:
    bare = Cluster(name="c")
    assert (ingress_namespace(bare), ingress_service_account(bare)) == ("traefik", "ingress-service-account")
    custom = Cluster(name="c", ingress=ClusterIngress(namespace="ing", service_account="sa"))
    assert (ingress_namespace(custom), ingress_service_account(custom)) == ("ing", "sa")
    assert (tls_secret_name("web"), tls_secret_name("")) == ("tls-web", "")


def test_cluster_status_wire_form_omits_empty_ingress() -> None:
    assert ClusterStatus(provisioned=True).to_json() == {"existing": False, "provisioned": True, "installed": False}
    full = ClusterStatus(ingress_global_ip="1.2.3.4", ingress_fqdn="x.example.com").to_json()
    assert full["ingressGlobalIP"] == "1.2.3.4" and full["ingressFQDN"] == "x.example.com"


def test_validation_error_location_prefix() -> None:
    err = ValidationError("bad value", file="kom/app.yml", line=7, document="App/app1", field="spec.volumes[0].type")
    assert str(err) == "kom/app.yml:7: App/app1: spec.volumes[0].type: bad value"


def test_multi_validation_error_is_one_line_with_cap() -> None:
    errs = [ValidationError(f"e{i}", file="f.yml") for i in range(5)]
    text = str(MultiValidationError(errs, limit=3))
    assert "\n" not in text and text.endswith("(+2 more)") and "f.yml: e0" in text


def test_protection_error_message() -> None:
    assert str(ProtectionError("deprovision")) == "cluster operation blocked by protection policy: deprovision"


def test_rfc3339_nano_trims_fraction_and_normalises_to_utc() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from kompox.domain.timefmt import rfc3339_nano

    assert rfc3339_nano(datetime(2025, 9, 25, 6, 12, 20, 123400, tzinfo=UTC)) == "2025-09-25T06:12:20.1234Z"
    assert rfc3339_nano(datetime(2025, 9, 25, 6, 12, 20)) == "2025-09-25T06:12:20Z"
    tokyo = timezone(timedelta(hours=9))
    assert rfc3339_nano(datetime(2025, 9, 25, 15, 12, 20, tzinfo=tokyo)) == "2025-09-25T06:12:20Z"

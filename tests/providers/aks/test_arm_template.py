"""The shipped ARM template declares every parameter the driver sends and every output it reads."""

from __future__ import annotations

import re

from kompox.providers.aks.arm_template import (
    BASE_PARAMETERS,
    OUTPUTS_USED,
    PARAM_SETTING_MAP,
    build_parameters,
    load_template,
    outputs_from_properties,
    template_text,
)


def _all_settings() -> dict[str, str]:
    return {key: f"v-{i}" for i, (_, key) in enumerate(PARAM_SETTING_MAP)}


def test_template_is_a_subscription_deployment() -> None:
    t = load_template()
    assert t["$schema"].endswith("/2018-05-01/subscriptionDeploymentTemplate.json#")
    assert t["contentVersion"] == "1.0.0.0"


def test_every_parameter_sent_is_declared_with_matching_type() -> None:
    declared = load_template()["parameters"]
    params = build_parameters(
        environment_name="cluster1",
        location="japaneast",
        resource_group_name="rg",
        ingress_namespace="traefik",
        ingress_service_account="ingress-service-account",
        tags={"managed-by": "kompox"},
        cluster_settings=_all_settings(),
    )
    assert set(params) == set(BASE_PARAMETERS) | {p for p, _ in PARAM_SETTING_MAP}
    for name, wrapped in params.items():
        assert name in declared, name
        kind = declared[name]["type"]
        value = wrapped["value"]
        assert (kind == "object") == isinstance(value, dict), name
        if kind == "string":
            assert isinstance(value, str), name


def test_parameters_without_defaults_are_always_sent() -> None:
    declared = load_template()["parameters"]
    required = {name for name, spec in declared.items() if "defaultValue" not in spec}
    assert required <= set(BASE_PARAMETERS)


def test_every_output_read_is_declared_as_string() -> None:
    outputs = load_template()["outputs"]
    for key in OUTPUTS_USED:
        assert outputs[key]["type"] == "string", key


def test_resource_token_and_name_prefixes_follow_the_spec() -> None:
    text = template_text()
    token = load_template()["variables"]["resourceToken"]
    assert re.fullmatch(
        r"\[toLower\(uniqueString\(subscription\(\)\.id, parameters\('environmentName'\), "
        r"parameters\('location'\), variables\('rgName'\)\)\)\]",
        token,
    )
    for prefix in ("kv-", "log-", "appi-", "dash-", "id-", "st", "aks-"):
        assert f"format('{prefix}{{0}}', variables('resourceToken'))" in text
    assert "{0}_mc" in text and "fic-ingress" in text and "azd-env-name" in text


def test_vm_settings_forwarded_when_present_even_empty_in_upstream_order() -> None:
    params = build_parameters(
        environment_name="c",
        location="l",
        resource_group_name="rg",
        ingress_namespace="ns",
        ingress_service_account="sa",
        tags={},
        cluster_settings={"AZURE_AKS_USER_VM_ZONES": "1", "AZURE_AKS_SYSTEM_VM_DISK_TYPE": "", "OTHER": "x"},
    )
    assert params["aksUserVmZones"] == {"value": "1"}
    assert params["aksSystemVmDiskType"] == {"value": ""}
    assert "aksUserVmSize" not in params
    forwarded = [p for p in params if p.startswith("aks")]
    assert forwarded == ["aksSystemVmDiskType", "aksUserVmZones"]


def test_outputs_are_upper_cased_and_unwrapped() -> None:
    got = outputs_from_properties({"azure_tenant_id": {"type": "String", "value": "t"}, "junk": 3})
    assert got == {"AZURE_TENANT_ID": "t"}

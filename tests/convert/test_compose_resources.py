"""Compose ``deploy.resources`` → container resources; published ports left off the app Service are warned about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kompox.domain.errors import ConfigError
from kompox.domain.model import AppIngress, AppIngressRule
from kompox.kube.convert import Conversion
from kompox.kube.convert.errors import ConversionError

from .helpers import k8s_validate
from .realworld import app_for, convert_dir

COMPOSE = """\
services:
  web:
    image: nginx:1.27
    ports: ["8080:80", "9000:9000"]
    deploy:
      replicas: 1
      resources:
        limits: {cpus: "1.5", memory: 512m}
        reservations: {cpus: 0.25, memory: 128M}
  worker:
    image: busybox:1.36
    ports: ["8081:8081"]
    deploy:
      resources:
        limits: {cpus: "2", memory: 1g, pids: 100}
      placement:
        constraints: ["node.role==worker"]
"""


def convert_text(tmp_path: Path, text: str, **app: Any) -> Conversion:
    (tmp_path / "compose.yml").write_text(text, encoding="utf-8")
    return convert_dir(tmp_path, app_for(tmp_path, **app))


def containers(conversion: Conversion) -> dict[str, dict[str, Any]]:
    deployment = next(o for o in conversion.objects if o["kind"] == "Deployment")
    return {c["name"]: c for c in deployment["spec"]["template"]["spec"]["containers"]}


def test_limits_and_reservations_become_limits_and_requests(tmp_path: Path) -> None:
    conversion = convert_text(tmp_path, COMPOSE)
    k8s_validate(conversion.objects)
    got = containers(conversion)
    assert got["web"]["resources"] == {
        "limits": {"cpu": "1500m", "memory": "512Mi"},
        "requests": {"cpu": "250m", "memory": "128Mi"},
    }
    assert got["worker"]["resources"] == {"limits": {"cpu": "2", "memory": "1Gi"}}
    assert conversion.warnings == [
        "service worker: deploy.placement is not applied: App deployment pools place the pod",
        "service worker: deploy.resources.limits.pids is not applied: only cpus and memory are mapped",
    ]


def test_a_service_without_deploy_gets_no_resources(tmp_path: Path) -> None:
    conversion = convert_text(tmp_path, "services:\n  web:\n    image: nginx:1.27\n")
    assert "resources" not in containers(conversion)["web"]
    assert conversion.warnings == []


@pytest.mark.parametrize(
    ("resources", "message"),
    [
        (
            "{limits: {cpus: '0.5'}, reservations: {cpus: '1'}}",
            "service web: deploy.resources.reservations.cpus exceeds limits.cpus",
        ),
        (
            "{limits: {memory: 64m}, reservations: {memory: 1g}}",
            "service web: deploy.resources.reservations.memory exceeds limits.memory",
        ),
        ("{limits: {cpus: 'lots'}}", "service web: deploy.resources.limits.cpus: invalid value 'lots'"),
        ("{limits: {cpus: '0'}}", "service web: deploy.resources.limits.cpus: invalid value '0'"),
        ("{limits: {memory: 12q}}", "service web: deploy.resources.limits.memory: invalid size '12q'"),
    ],
)
def test_bad_resources_are_refused_naming_service_and_field(tmp_path: Path, resources: str, message: str) -> None:
    text = f"services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources: {resources}\n"
    with pytest.raises(ConversionError) as info:
        convert_text(tmp_path, text)
    assert info.value.message.startswith(message)


def test_published_ports_no_ingress_rule_names_are_warned_about(tmp_path: Path) -> None:
    ingress = AppIngress(rules=[AppIngressRule(name="http", port=8080, hosts=["web.example.org"])])
    conversion = convert_text(tmp_path, COMPOSE, ingress=ingress)
    service = next(o for o in conversion.objects if o["kind"] == "Service" and o["metadata"]["name"] == "app1-app")
    assert service["spec"]["ports"] == [{"name": "http", "port": 8080, "targetPort": 80}]
    assert [w for w in conversion.warnings if "published port" in w] == [
        "service worker: published port 8081:8081 is not on the app Service (no ingress rule uses port 8081); "
        "inside the cluster it is reachable as worker:8081",
        "service web: published port 9000:9000 is not on the app Service (no ingress rule uses port 9000); "
        "inside the cluster it is reachable as web:9000",
    ]
    assert conversion.unrouted_ports == [w for w in conversion.warnings if "published port" in w]


def test_without_ingress_rules_every_published_port_reaches_the_app_service(tmp_path: Path) -> None:
    conversion = convert_text(tmp_path, COMPOSE)
    service = next(o for o in conversion.objects if o["kind"] == "Service" and o["metadata"]["name"] == "app1-app")
    assert [p["port"] for p in service["spec"]["ports"]] == [8080, 8081, 9000]
    assert not any("published port" in w for w in conversion.warnings)


V2_COMPOSE = """\
services:
  web:
    image: nginx:1.27
    cpus: 0.5
    mem_limit: 256m
    mem_reservation: 64MiB
    cpu_shares: 512
    memswap_limit: 1g
  api:
    image: example/api:1
    cpus: "2"
    mem_limit: 1.5g
    deploy:
      resources:
        limits: {cpus: "2.0", memory: 1536m}
        reservations: {cpus: "0.25"}
  idle:
    image: busybox:1.36
    cpus: 0
    mem_limit: 0
"""


def test_v2_fields_become_container_resources_like_deploy_resources(tmp_path: Path) -> None:
    conversion = convert_text(tmp_path, V2_COMPOSE)
    k8s_validate(conversion.objects)
    got = containers(conversion)
    assert got["web"]["resources"] == {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"memory": "64Mi"}}
    # equal values in both spellings (the loader refuses distinct ones) give one limit
    assert got["api"]["resources"] == {"limits": {"cpu": "2", "memory": "1536Mi"}, "requests": {"cpu": "250m"}}
    assert "resources" not in got["idle"]  # 0 is docker's "no limit"
    assert conversion.warnings == [
        "service web: cpu_shares is not applied: a relative CPU weight has no per-container Kubernetes "
        "equivalent; use deploy.resources.reservations.cpus (container requests.cpu)",
        "service web: memswap_limit is not applied: swap is configured per node in Kubernetes; "
        "mem_limit is the memory limit",
    ]


def test_v2_fields_fill_what_deploy_resources_leaves_unset(tmp_path: Path) -> None:
    text = (
        "services:\n  web:\n    image: nginx:1.27\n    cpus: 1.25\n    mem_limit: 1g\n"
        "    deploy:\n      resources:\n        reservations: {cpus: '0.5', memory: 128m}\n"
    )
    conversion = convert_text(tmp_path, text)
    k8s_validate(conversion.objects)
    assert containers(conversion)["web"]["resources"] == {
        "limits": {"cpu": "1250m", "memory": "1Gi"},
        "requests": {"cpu": "500m", "memory": "128Mi"},
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("mem_limit: 64m\n    mem_reservation: 1g", "service web: mem_reservation exceeds mem_limit"),
        (
            "cpus: 0.5\n    deploy: {resources: {reservations: {cpus: '1'}}}",
            "service web: deploy.resources.reservations.cpus exceeds cpus",
        ),
        (
            "mem_reservation: 2g\n    deploy: {resources: {limits: {memory: 1g}}}",
            "service web: mem_reservation exceeds deploy.resources.limits.memory",
        ),
        ("cpus: -1", "service web: cpus: invalid value -1 "),
        ("mem_limit: -1", "service web: mem_limit must be positive"),
    ],
)
def test_bad_v2_resources_are_refused_naming_service_and_field(tmp_path: Path, fields: str, message: str) -> None:
    with pytest.raises(ConversionError) as info:
        convert_text(tmp_path, f"services:\n  web:\n    image: nginx:1.27\n    {fields}\n")
    assert info.value.message.startswith(message)


def test_v2_fields_distinct_from_deploy_resources_are_refused_by_the_loader(tmp_path: Path) -> None:
    text = (
        "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 512m\n"
        "    deploy: {resources: {limits: {memory: 1g}}}\n"
    )
    with pytest.raises(ConfigError) as info:
        convert_text(tmp_path, text)
    assert "can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory' ('512m' and '1g'" in str(
        info.value
    )
    assert info.value.field == "services.web.mem_limit"

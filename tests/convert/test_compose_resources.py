"""Compose ``deploy.resources`` → container resources; published ports left off the app Service are warned about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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

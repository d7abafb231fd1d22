"""``kompoxops dns deploy|destroy`` in-process against kmock (K3s project: DNS apply is a no-op)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cli_project import KubeProject, one_error
from output_matrix import cells, check_read_outputs
from test_cluster_cli import project  # noqa: F401

from kompox.domain.naming import new_hashes

NS = new_hashes("demo", "k3s1", "home", "web").namespace


def ingress(name: str, hosts: list[str], ip: str = "", component: str = "app") -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name, "namespace": NS, "labels": {"app": f"web-{component}"}},
        "spec": {"ingressClassName": "traefik", "rules": [{"host": h} for h in hosts]},
    }
    if ip:
        obj["status"] = {"loadBalancer": {"ingress": [{"ip": ip}]}}
    return obj


@pytest.fixture
def with_ingresses(project: KubeProject) -> KubeProject:  # noqa: F811
    project.server.put("networking.k8s.io/v1/ingresses", ingress("web-app-custom", ["www.example.org"], "192.0.2.7"))
    project.server.put("networking.k8s.io/v1/ingresses", ingress("web-app-default", ["web-x-http.home.example.com"]))
    project.server.put("networking.k8s.io/v1/ingresses", ingress("web-box", ["box.example.org"], "192.0.2.9", "box"))
    return project


def test_deploy_prints_results_json(with_ingresses: KubeProject) -> None:
    out = with_ingresses.ok("dns", "deploy").json()
    assert out == {
        "applied": [
            {
                "fqdn": "web-x-http.home.example.com",
                "type": "A",
                "action": "skipped",
                "message": "no IP address available yet",
            },
            {"fqdn": "www.example.org", "type": "A", "action": "updated", "message": "A -> 192.0.2.7"},
        ]
    }
    (listing,) = [r for r in with_ingresses.server.kube_requests() if r.resource.plural == "ingresses"]
    assert (listing.namespace, listing.params["labelSelector"]) == (NS, "app=web-app")


def test_deploy_component_and_dry_run(with_ingresses: KubeProject) -> None:
    out = with_ingresses.ok("dns", "deploy", "--component", "box", "--dry-run", "-A", "web").json()
    assert out == {
        "applied": [
            {
                "fqdn": "box.example.org",
                "type": "A",
                "action": "planned",
                "message": "would create/update A -> 192.0.2.9",
            }
        ]
    }


def test_deploy_strict_fails_on_a_host_without_ip(with_ingresses: KubeProject) -> None:
    one_error(
        with_ingresses.run("dns", "deploy", "--strict"),
        1,
        "Error: failed to deploy DNS: no IP address available for web-x-http.home.example.com",
    )


def test_destroy_three_types_per_host(with_ingresses: KubeProject) -> None:
    out = with_ingresses.ok("dns", "destroy", "--app-id", "/ws/demo/prv/k3s1/cls/home/app/web").json()
    assert [(r["fqdn"], r["type"], r["action"]) for r in out["deleted"]] == [
        ("web-x-http.home.example.com", "A", "deleted"),
        ("web-x-http.home.example.com", "AAAA", "deleted"),
        ("web-x-http.home.example.com", "CNAME", "deleted"),
        ("www.example.org", "A", "deleted"),
        ("www.example.org", "AAAA", "deleted"),
        ("www.example.org", "CNAME", "deleted"),
    ]


def test_no_ingress_is_success_with_null(project: KubeProject) -> None:  # noqa: F811
    assert project.ok("dns", "deploy").out == '{\n  "applied": null\n}\n'


def test_unknown_app_is_one_line(project: KubeProject) -> None:  # noqa: F811
    one_error(project.run("dns", "deploy", "-A", "nosuch"), 4, 'app "nosuch" not found')


def test_help_has_examples(project: KubeProject) -> None:  # noqa: F811
    for verb in ("deploy", "destroy"):
        assert "Examples:" in project.ok("dns", verb, "--help").out


def test_outputs(with_ingresses: KubeProject) -> None:
    outs = check_read_outputs(
        with_ingresses.ok,
        ["dns", "destroy", "--dry-run"],
        kind="dnsrecord",
        names=["web-x-http.home.example.com", "www.example.org"],  # one line per host, not per record type
        headers=("FQDN", "TYPE", "ACTION", "MESSAGE"),
        wide_headers=(),
        rows=6,
    )
    rows = [cells(line)[:3] for line in outs["table"].splitlines()[1:]]
    assert rows[:3] == [["web-x-http.home.example.com", t, "planned"] for t in ("A", "AAAA", "CNAME")]
    assert len(json.loads(outs["json"])["deleted"]) == 6

"""The API server's syntax rules, table-driven from the Kubernetes validation facts.

Each row is (value, accepted?) for one rule as documented in the Kubernetes
API conventions and the "Object Names and IDs" / "Labels and Selectors"
pages: DNS-1123 label and subdomain, DNS-1035 label, qualified names, label
values, IANA_SVC_NAME, port numbers, env var names, config keys, RBAC path
segment names, Ingress hosts, local descending paths, image references.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kompox.kube.convert import k8s_rules as r

Check = Callable[[str], list[str]]

CASES: list[tuple[str, Check, str, bool]] = [
    # DNS-1123 label: lower-case alnum and '-', alnum at both ends, 1..63
    ("label", r.dns1123_label, "my-db", True),
    ("label", r.dns1123_label, "1cache", True),  # a leading digit is fine for RFC 1123
    ("label", r.dns1123_label, "a" * 63, True),
    ("label", r.dns1123_label, "a" * 64, False),
    ("label", r.dns1123_label, "my_db", False),
    ("label", r.dns1123_label, "Cache", False),
    ("label", r.dns1123_label, "db.main", False),
    ("label", r.dns1123_label, "-db", False),
    ("label", r.dns1123_label, "db-", False),
    ("label", r.dns1123_label, "", False),
    # DNS-1123 subdomain: labels joined by '.', 1..253
    ("subdomain", r.dns1123_subdomain, "db.main", True),
    ("subdomain", r.dns1123_subdomain, "web-app-my-db-base", True),
    ("subdomain", r.dns1123_subdomain, ".".join(["a" * 63] * 3) + "." + "a" * 61, True),  # 253
    ("subdomain", r.dns1123_subdomain, ".".join(["a" * 63] * 4), False),  # 255
    ("subdomain", r.dns1123_subdomain, "web-app-my_db-base", False),
    ("subdomain", r.dns1123_subdomain, "a..b", False),
    ("subdomain", r.dns1123_subdomain, "Web", False),
    # DNS-1035 label (Service names): must start with a letter
    ("dns1035", r.dns1035_label, "cache", True),
    ("dns1035", r.dns1035_label, "cache-1", True),
    ("dns1035", r.dns1035_label, "1cache", False),
    ("dns1035", r.dns1035_label, "a" * 64, False),
    ("dns1035", r.dns1035_label, "my_db", False),
    # qualified names (label/annotation keys)
    ("qualified", r.qualified_name, "app", True),
    ("qualified", r.qualified_name, "app.kubernetes.io/name", True),
    ("qualified", r.qualified_name, "kompox.dev/app-id-hash", True),
    ("qualified", r.qualified_name, "My_Key.v1", True),
    ("qualified", r.qualified_name, "a" * 63, True),
    ("qualified", r.qualified_name, "a" * 64, False),
    ("qualified", r.qualified_name, "/name", False),
    ("qualified", r.qualified_name, "a/b/c", False),
    ("qualified", r.qualified_name, "Example.com/name", False),  # the prefix is a lower-case subdomain
    ("qualified", r.qualified_name, "name-", False),
    # label values: empty, or alnum ends with '-', '_', '.' inside, ≤ 63
    ("label-value", r.label_value, "", True),
    ("label-value", r.label_value, "My_Value.1", True),
    ("label-value", r.label_value, "a" * 63, True),
    ("label-value", r.label_value, "a" * 64, False),
    ("label-value", r.label_value, "-x", False),
    ("label-value", r.label_value, "a b", False),
    # IANA_SVC_NAME (container / Ingress backend port names)
    ("port-name", r.port_name, "http", True),
    ("port-name", r.port_name, "p8080", True),
    ("port-name", r.port_name, "a" * 15, True),
    ("port-name", r.port_name, "a" * 16, False),
    ("port-name", r.port_name, "8080", False),  # needs a letter
    ("port-name", r.port_name, "HTTP", False),
    ("port-name", r.port_name, "my_port", False),
    ("port-name", r.port_name, "a--b", False),
    ("port-name", r.port_name, "-http", False),
    ("port-name", r.port_name, "http-", False),
    # env var names, pre-1.32 rule
    ("env", r.env_var_name, "POSTGRES_USER", True),
    ("env", r.env_var_name, "my.env-name", True),
    ("env", r.env_var_name, "_X", True),
    ("env", r.env_var_name, "1X", False),
    ("env", r.env_var_name, "MY VAR", False),
    ("env", r.env_var_name, "A=B", False),
    ("env", r.env_var_name, "..X", False),
    ("env", r.env_var_name, ".", False),
    # ConfigMap / Secret keys
    ("config-key", r.config_key, "nginx.conf", True),
    ("config-key", r.config_key, "KEY_NAME", True),
    ("config-key", r.config_key, "1", True),
    ("config-key", r.config_key, "my file", False),
    ("config-key", r.config_key, "..data", False),
    ("config-key", r.config_key, "a/b", False),
    ("config-key", r.config_key, "k" * 254, False),
    # RBAC names are path segments
    ("path-segment", r.path_segment_name, "web-access", True),
    ("path-segment", r.path_segment_name, "Web_Access", True),
    ("path-segment", r.path_segment_name, "..", False),
    ("path-segment", r.path_segment_name, "a/b", False),
    ("path-segment", r.path_segment_name, "a%b", False),
    # Ingress hosts
    ("host", r.ingress_host, "shop.example.org", True),
    ("host", r.ingress_host, "*.example.org", True),
    ("host", r.ingress_host, "bad host!", False),
    ("host", r.ingress_host, "Shop.example.org", False),
    ("host", r.ingress_host, "10.0.0.1", False),
    ("host", r.ingress_host, "a.*.example.org", False),
    # subPath and item paths
    ("descending-path", r.local_descending_path, "data/sub", True),
    ("descending-path", r.local_descending_path, "a..b", True),  # '..' only as a whole component
    ("descending-path", r.local_descending_path, "../../etc", False),
    ("descending-path", r.local_descending_path, "data/../x", False),
    ("descending-path", r.local_descending_path, "/etc", False),
    # image references (the kubelet's InvalidImageName)
    ("image", r.image_reference_errors, "nginx:1.27", True),
    ("image", r.image_reference_errors, "docker.gitea.com/gitea:1.24", True),
    ("image", r.image_reference_errors, "localhost:5000/team/app", True),
    ("image", r.image_reference_errors, "redis@sha256:" + "a" * 64, True),
    ("image", r.image_reference_errors, "nginx:", False),
    ("image", r.image_reference_errors, "", False),
    ("image", r.image_reference_errors, " nginx", False),
    ("image", r.image_reference_errors, "Nginx", False),
    ("image", r.image_reference_errors, "nginx:a b", False),
]


@pytest.mark.parametrize(("rule", "check", "value", "ok"), CASES, ids=[f"{c[0]}:{c[2][:24]!r}" for c in CASES])
def test_rule_accepts_exactly_what_the_api_server_accepts(rule: str, check: Check, value: str, ok: bool) -> None:
    problems = check(value)
    assert (problems == []) is ok, problems


@pytest.mark.parametrize(("value", "ok"), [(1, True), (65535, True), (0, False), (65536, False), (70000, False),
                                           (-5, False), ("80", False), (True, False)])
def test_port_numbers_are_1_to_65535(value: object, ok: bool) -> None:
    assert (r.port_number(value) == []) is ok


def test_messages_use_the_api_server_wording() -> None:
    assert r.dns1123_label("a" * 64) == ["must be no more than 63 characters"]
    assert r.dns1123_label("db.main") == ["must not contain dots"]
    assert r.dns1035_label("1cache") == [r.DNS1035_MSG]
    assert r.port_name("a--b") == ["must not contain consecutive hyphens"]
    assert r.port_name("8080") == ["must contain at least one letter (a-z)"]
    assert r.port_number(70000) == ["must be between 1 and 65535, inclusive"]
    assert r.local_descending_path("../../etc") == ["must not contain '..'"]
    assert r.ingress_host("10.0.0.1") == ["must be a DNS name, not an IP address"]

"""Names, labels and hashes equal to the upstream values quoted in converter.md §2, §8.5, §14."""

from __future__ import annotations

import pytest

from kompox.kube.convert import app_names, content_hash, quantity

VECTORS = [
    # ws, prv, cls, app, spHASH, idHASH, inHASH, namespace (converter.md §2.6)
    ("ws1", "prv1", "cls1", "app1", "32kff1", "k9x84f", "bgewya", "k4x-32kff1-app1-k9x84f"),
    (
        "aks-e2e-gitea-20250925-060355",
        "aks1",
        "cluster1",
        "app1",
        "50vf7y",
        "13o40q",
        "2aopo7",
        "k4x-50vf7y-app1-13o40q",
    ),
    ("ops", "aks1", "cluster1", "app1", "1nedct", "4d94cw", "5ymxt7", "k4x-1nedct-app1-4d94cw"),
    ("testsvc", "testprv", "testcls", "testapp", "5nnlzo", "13d2e0", "414u37", "k4x-5nnlzo-testapp-13d2e0"),
    ("svc", "prv", "cls1", "app", "1bm4l7", "2vcd40", "6cdiau", "k4x-1bm4l7-app-2vcd40"),
    ("svc", "prv", "cls2", "app", "1bm4l7", "2vcd40", "4e3ao9", "k4x-1bm4l7-app-2vcd40"),
]


@pytest.mark.parametrize(("ws", "prv", "cls", "app", "sp", "idh", "inh", "ns"), VECTORS)
def test_hash_vectors(ws: str, prv: str, cls: str, app: str, sp: str, idh: str, inh: str, ns: str) -> None:
    names = app_names(ws, prv, cls, app)
    assert (names.hashes.provider, names.hashes.app_id, names.hashes.app_instance) == (sp, idh, inh)
    assert names.namespace == ns
    labels = names.base_labels()
    assert labels == {
        "app.kubernetes.io/name": app,
        "app.kubernetes.io/instance": f"{app}-{inh}",
        "app.kubernetes.io/managed-by": "kompox",
        "kompox.dev/app-instance-hash": inh,
        "kompox.dev/app-id-hash": idh,
    }


def test_derived_names_table() -> None:
    n = app_names("ops", "aks1", "cluster1", "app1")
    assert n.volume_resource("default", "disk-handle-default") == "k4x-1nedct-default-4d94cw-1nilil"
    assert n.volume_resource("db", "disk-handle-db") == "k4x-1nedct-db-4d94cw-3mhjra"
    assert n.resource == "app1-app"
    assert n.access == "app1-access"
    assert n.ingress_name("default") == "app1-app-default"
    assert n.ingress_name("custom") == "app1-app-custom"
    assert n.config_map_name("nginx-conf") == "app1-app--cfg-nginx-conf"
    assert n.secret_name("api-key") == "app1-app--sec-api-key"
    assert n.env_base_secret("app") == "app1-app-app-base"
    assert n.env_override_secret("app") == "app1-app-app-override"
    assert n.pull_secret == "app1-app--pull"
    assert n.default_host(8080, "ops.kompox.dev") == "app1-4d94cw-8080.ops.kompox.dev"
    assert n.component_selector == "app=app1-app"
    assert n.headless_selector == "app=app1-app,kompox.dev/compose-service-headless=true"
    assert n.component_labels()["app"] == "app1-app"
    assert n.component_labels()["app.kubernetes.io/component"] == "app"
    assert n.headless_labels()["kompox.dev/compose-service-headless"] == "true"
    box = app_names("ops", "aks1", "cluster1", "app1", component="box")
    assert box.resource == "app1-box"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"key1": "value1"}, "11y1of"),
        ({"API_KEY": "secret123", "DATABASE_URL": "postgres://localhost/mydb", "PORT": "8080"}, "3ebdxx"),
        ({"key1": "value1", "key2": "value2", "key3": "value3"}, "g4m4yi"),
        ({"key1": ""}, "880gs0"),
        ({"A": "1", "B": "22", "C": "true"}, "4ptr0z"),
        ({}, "5oaq0b"),
        ({"nginx.conf": "worker_processes 1;\n"}, "39bm7y"),
        ({"api-key.txt": b"secret123"}, "2xnil1"),
        ({"USERNAME": "admin", "PASSWORD": "1f2d1e2e67df"}, "lp11hg"),
    ],
)
def test_content_hash_vectors(data: dict[str, str | bytes], expected: str) -> None:
    assert content_hash(data) == expected


def test_content_hash_is_order_independent_and_str_bytes_equal() -> None:
    assert content_hash({"b": "2", "a": "1"}) == content_hash({"a": b"1", "b": b"2"})


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "0"),
        (-5, "0"),
        (512, "1Mi"),
        (1024, "1Mi"),
        (32 << 30, "32Gi"),
        (1536 << 20, "1536Mi"),
        (10**9, "954Mi"),
        (10737418240, "10Gi"),
        (1 << 40, "1Ti"),
        ((1 << 40) + 1, "1048577Mi"),
    ],
)
def test_quantity(size: int, expected: str) -> None:
    assert quantity(size) == expected

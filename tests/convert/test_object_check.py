"""The object validator on generated objects, and the tracing of refusals back to compose/KOM fields."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from kompox.compose.model import Config, Service
from kompox.domain.model import App, AppIngress, AppIngressRule, AppVolume
from kompox.kube.convert.object_check import check_objects
from kompox.kube.convert.origins import nearest_name
from kompox.usecase.app_validate import Severity, validate_app

from .helpers import REF_BASE, GiB, context, port, project, run, vol, worked_example

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.glob("**/*.yaml"))
)
def test_every_golden_manifest_passes(path: str) -> None:
    docs = [d for d in yaml.safe_load_all((GOLDEN / path).read_text()) if d]
    assert docs
    assert [v.text() for d in docs for v in check_objects([d])] == []


def _objects() -> list[dict[str, Any]]:
    return worked_example().objects


def _find(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(o for o in objects if o["kind"] == kind)


def _container(objs: list[dict[str, Any]]) -> dict[str, Any]:
    return _find(objs, "Deployment")["spec"]["template"]["spec"]["containers"][0]  # type: ignore[no-any-return]


def _set(kind: str, *keys: str | int, value: Any) -> Any:
    def mutate(objs: list[dict[str, Any]]) -> None:
        node: Any = _find(objs, kind)
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return mutate


# (mutation, object, path, message fragment): one refusal of the API server each
MUTATIONS: list[tuple[str, Any, str, str, str]] = [
    ("container name", lambda o: _container(o).update(name="my_db"), "Deployment",
     "spec.template.spec.containers[0].name", "DNS-1123 label"),
    ("container port", lambda o: _container(o).update(ports=[{"containerPort": 70000}]), "Deployment",
     "spec.template.spec.containers[0].ports[0].containerPort", "between 1 and 65535"),
    ("container port name", lambda o: _container(o).update(ports=[{"containerPort": 80, "name": "8080"}]),
     "Deployment", "spec.template.spec.containers[0].ports[0].name", "at least one letter"),
    ("env name", lambda o: _container(o).update(env=[{"name": "MY VAR", "value": "x"}]), "Deployment",
     "spec.template.spec.containers[0].env[0].name", "environment variable name"),
    ("image", lambda o: _container(o).update(image="nginx:"), "Deployment",
     "spec.template.spec.containers[0].image", "invalid reference format"),
    ("subPath", lambda o: _container(o).update(volumeMounts=[{"name": "default", "mountPath": "/x",
                                                             "subPath": "../../etc"}]),
     "Deployment", "spec.template.spec.containers[0].volumeMounts[0].subPath", "must not contain '..'"),
    ("mount of unknown volume", lambda o: _container(o).update(volumeMounts=[{"name": "nope", "mountPath": "/x"}]),
     "Deployment", "spec.template.spec.containers[0].volumeMounts[0].name", "Not found"),
    ("service name", _set("Service", "metadata", "name", value="1cache"), "Service", "metadata.name",
     "DNS-1035"),
    ("service port", _set("Service", "spec", "ports", value=[{"name": "p99999", "port": 99999, "targetPort": 80}]),
     "Service", "spec.ports[0].port", "between 1 and 65535"),
    ("namespace", _set("Namespace", "metadata", "name", value="n" * 64), "Namespace", "metadata.name",
     "no more than 63"),
    ("label value", _set("Deployment", "metadata", "labels", value={"app": "x" * 64}), "Deployment",
     "metadata.labels[app]", "no more than 63"),
    ("label key", _set("Deployment", "metadata", "labels", value={"bad key": "x"}), "Deployment",
     "metadata.labels[bad key]", "qualified name"),
    ("ingress host", _set("Ingress", "spec", "rules", 0, "host", value="bad host!"), "Ingress",
     "spec.rules[0].host", "Ingress host"),
    ("pvc size", _set("PersistentVolumeClaim", "spec", "resources", "requests", "storage", value="0"),
     "PersistentVolumeClaim", "spec.resources.requests[storage]", "greater than zero"),
    ("config key", _set("ConfigMap", "data", value={"my file": "x"}), "ConfigMap", "data[my file]",
     "config key"),
    ("role name", _set("Role", "metadata", "name", value="a/b"), "Role", "metadata.name", "may not contain '/'"),
]


@pytest.mark.parametrize(("what", "mutate", "kind", "path", "fragment"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_each_mutation_is_refused_at_its_path(what: str, mutate: Any, kind: str, path: str, fragment: str) -> None:
    objs = copy.deepcopy(_objects())
    mutate(objs)
    found = [v for v in check_objects(objs) if v.kind == kind and v.path == path]
    assert found, [v.text() for v in check_objects(objs)]
    assert fragment in found[0].message


def test_duplicate_objects_and_volumes_are_refused() -> None:
    objs = copy.deepcopy(_objects())
    objs.append(copy.deepcopy(_find(objs, "Service")))
    pod = _find(objs, "Deployment")["spec"]["template"]["spec"]
    pod["volumes"].append(copy.deepcopy(pod["volumes"][0]))
    texts = [v.text() for v in check_objects(objs)]
    assert any("Duplicate value" in t and t.startswith("Service/") for t in texts), texts
    assert any("spec.template.spec.volumes[" in t and "Duplicate value" in t for t in texts), texts


@pytest.mark.parametrize(
    ("value", "dns1035", "expected"),
    [("my_db", False, "my-db"), ("Cache", False, "cache"), ("db.main", True, "db-main"),
     ("1cache", True, "svc-1cache"), ("__", True, "svc"), ("a" * 70, False, "a" * 63)],
)
def test_nearest_name(value: str, dns1035: bool, expected: str) -> None:
    assert nearest_name(value, dns1035=dns1035) == expected


def _validate(app: App, *services: Service, configs: list[Config] = ()):  # type: ignore[no-untyped-def,assignment]
    ws, prv, cls, _ = context(app)
    return validate_app(app=app, cluster=cls, provider=prv, workspace=ws, project=project(*services, configs=configs),
                        list_disks=None, volume_class=None)


def test_bad_service_names_give_one_error_per_service_with_a_suggestion() -> None:
    app = App(name="web", ref_base=REF_BASE)
    result = _validate(app, *(Service(name=n, image="redis:7") for n in ("my_db", "Cache", "db.main", "1cache", "ok")))
    errors = [i.message for i in result.errors]
    assert len(errors) == 4, errors
    expected = {"my_db": "my-db", "Cache": "cache", "db.main": "db-main", "1cache": "svc-1cache"}
    for name, suggestion in expected.items():
        line = next(e for e in errors if e.startswith(f"app.compose: services.{name}: "))
        assert f'compose service name "{name}"' in line and f'nearest valid name: "{suggestion}"' in line
    assert "DNS-1035" in next(e for e in errors if "services.1cache" in e)
    assert all(i.code == "kubernetes_validation_failed" for i in result.errors)
    assert not result.deployable


def test_long_app_name_names_the_field_the_limit_and_what_fits() -> None:
    name = "a" * 46
    result = _validate(App(name=name, ref_base=REF_BASE, compose="file:compose.yml"),
                       Service(name="web", image="nginx", ports=[port(8080, 80)]))
    [error] = [i.message for i in result.errors]
    assert error.startswith(f'App/{name}: metadata.name: app name "{name}" is too long: Namespace/')
    assert "must be no more than 63 characters" in error and "at most 45 characters fit" in error
    ok = _validate(App(name="a" * 45, ref_base=REF_BASE), Service(name="web", image="nginx", ports=[port(8080, 80)]))
    assert ok.errors == []


def test_refusals_name_the_compose_field_they_come_from() -> None:
    app = App(name="web", ref_base=REF_BASE, volumes=[AppVolume(name="data", size=GiB)],
              ingress=AppIngress(rules=[AppIngressRule(name="http", port=8080, hosts=["bad host!"])]))
    svc = Service(name="web", image="nginx:", environment={"MY VAR": "1"}, ports=[port(8080, 80)],
                  volumes=[vol("volume", "data", "/data")])
    errors = [i.message for i in _validate(app, svc).errors]
    assert any(e.startswith("app.compose: services.web.environment: ") and "MY VAR" in e for e in errors), errors
    assert any(e.startswith("app.compose: services.web.image: ") and '"nginx:"' in e for e in errors), errors
    assert any(e.startswith("App/web: spec.ingress.rules[0].hosts[0]: ") for e in errors), errors
    assert len(errors) == 3, errors


def test_clean_conversion_has_no_object_errors() -> None:
    objs = run(App(name="web", ref_base=REF_BASE), project(Service(name="web", image="nginx"))).objects
    assert check_objects(objs) == []
    assert Severity.ERROR not in {i.severity for i in _validate(App(name="web", ref_base=REF_BASE),
                                                                Service(name="web", image="nginx")).issues}


def test_suggestion_avoids_the_name_of_another_service() -> None:
    result = _validate(App(name="web", ref_base=REF_BASE), Service(name="my_db", image="redis:7"),
                       Service(name="my-db", image="redis:7"), Service(name="my-db-2", image="redis:7"))
    [error] = [i.message for i in result.errors]
    assert error.startswith("app.compose: services.my_db: ") and error.endswith('nearest valid name: "my-db-3"')

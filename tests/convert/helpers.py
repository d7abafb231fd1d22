"""Shared builders and checks for the converter tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import kubernetes_validate

from kompox.compose.model import Config, EnvFile, FileRef, Project, Secret, Service, ServicePort, ServiceVolume
from kompox.domain.model import (
    App,
    AppDeployment,
    AppIngress,
    AppIngressRule,
    AppVolume,
    Cluster,
    ClusterIngress,
    LabelSelector,
    NetworkPolicy,
    NetworkPolicyIngressRule,
    NetworkPolicyPeer,
    NetworkPolicyPort,
    Provider,
    VolumeClass,
    VolumeDisk,
    Workspace,
)
from kompox.kube.convert import Conversion, MemoryFiles, VolumeBinding, convert, to_yaml
from kompox.kube.convert.object_check import check_objects

K8S_VERSION = "1.37.0"
GOLDEN_DIR = Path(__file__).resolve().parent.parent / "golden" / "convert"
REGENERATE = os.environ.get("KOMPOX_REGEN_GOLDEN") == "1"
GiB = 1 << 30
WORKDIR = "/proj"
REF_BASE = "file:///proj/"

AKS_DISK_CLASS = VolumeClass(
    storage_class_name="managed-csi",
    csi_driver="disk.csi.azure.com",
    fs_type="ext4",
    attributes={"fsType": "ext4"},
    access_modes=["ReadWriteOnce"],
    reclaim_policy="Retain",
    volume_mode="Filesystem",
)
AKS_FILES_CLASS = VolumeClass(
    storage_class_name="azurefile-csi",
    csi_driver="file.csi.azure.com",
    attributes={"protocol": "smb"},
    access_modes=["ReadWriteMany"],
    reclaim_policy="Retain",
    volume_mode="Filesystem",
)


def k8s_validate(objects: list[dict[str, Any]]) -> None:
    """Every object must pass kubernetes-validate in strict mode."""
    assert objects, "nothing to validate"
    for obj in objects:
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    # and the project's own API-server rules (per object: some tests validate variants of one object)
    assert [v.text() for obj in objects for v in check_objects([obj])] == []


def port(published: int | str, target: int) -> ServicePort:
    return ServicePort(target=target, published=str(published))


def vol(type_: str, source: str, target: str) -> ServiceVolume:
    return ServiceVolume(type=type_, source=source, target=target)


def project(*services: Service, configs: list[Config] = (), secrets: list[Secret] = ()) -> Project:  # type: ignore[assignment]
    return Project(
        name="kompox-compose",
        working_dir=WORKDIR,
        services={s.name: s for s in services},
        configs={c.key: c for c in configs},
        secrets={s.key: s for s in secrets},
    )


def bind(app: App, handles: dict[str, str] | None = None, vclass: VolumeClass = AKS_DISK_CLASS) -> list[VolumeBinding]:
    """One binding per App volume: disk handle ``disk-handle-<vol>`` unless given, size = volume size."""
    out = []
    for v in app.volumes:
        handle = (handles or {}).get(v.name, f"disk-handle-{v.name}")
        out.append(
            VolumeBinding(
                v.name, VolumeDisk(name="d1", volume_name=v.name, handle=handle, size=v.size, assigned=True), vclass
            )
        )
    return out


def context(
    app: App, *, domain: str = "ops.kompox.dev", cert_resolver: str = "", driver: str = "aks"
) -> tuple[Workspace, Provider, Cluster, App]:
    ingress = ClusterIngress(namespace="traefik", domain=domain, cert_resolver=cert_resolver)
    return (
        Workspace(name="ops"),
        Provider(name="aks1", driver=driver),
        Cluster(name="cluster1", ingress=ingress),
        app,
    )


def run(
    app: App, proj: Project, files: MemoryFiles | None = None, bindings: list[VolumeBinding] | None = None, **kw: Any
) -> Conversion:
    ws, prv, cls, app_ = context(app, **{k: kw.pop(k) for k in ("domain", "cert_resolver", "driver") if k in kw})
    return convert(
        ws, prv, cls, app_, proj, bind(app) if bindings is None else bindings, files=files or MemoryFiles(), **kw
    )


def check_golden(name: str, objects: list[dict[str, Any]]) -> str:
    """Validate, serialise, compare with ``tests/golden/convert/<name>.yaml`` (KOMPOX_REGEN_GOLDEN=1 rewrites)."""
    k8s_validate(objects)
    text = to_yaml(objects)
    path = GOLDEN_DIR / f"{name}.yaml"
    if REGENERATE or not path.exists():
        if not REGENERATE:
            raise AssertionError(f"golden file {path} missing; run with KOMPOX_REGEN_GOLDEN=1 and review it")
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"
    return text


# --- the worked example of converter.md §20 --------------------------------


def worked_example_files() -> MemoryFiles:
    return MemoryFiles(
        files={
            f"{WORKDIR}/env.yml": b'USERNAME: admin\nPASSWORD: "1f2d1e2e67df"\n',
            f"{WORKDIR}/nginx/nginx.conf": b"worker_processes 1;\n",
            f"{WORKDIR}/secrets/api-key.txt": b"secret123",
        }
    )


def worked_example_app() -> App:
    return App(
        name="app1",
        ref_base=REF_BASE,
        ingress=AppIngress(
            cert_resolver="staging",
            rules=[
                AppIngressRule(name="main", port=8080, hosts=["www.custom.kompox.dev"]),
                AppIngressRule(name="admin", port=8081, hosts=["admin.custom.kompox.dev"]),
            ],
        ),
        volumes=[AppVolume(name="default", size=32 * GiB), AppVolume(name="db", size=64 * GiB)],
        deployment=AppDeployment(zone="1"),
        network_policy=NetworkPolicy(
            ingress_rules=[
                NetworkPolicyIngressRule(
                    from_=[
                        NetworkPolicyPeer(LabelSelector(match_labels={"kubernetes.io/metadata.name": "monitoring"}))
                    ],
                    ports=[NetworkPolicyPort(protocol="TCP", port=9090)],
                )
            ]
        ),
    )


def worked_example_project() -> Project:
    app = Service(
        name="app",
        image="ghcr.io/kompox/app",
        env_files=[EnvFile(path="env.yml")],
        environment={"TZ": "Asia/Tokyo"},
        configs=[FileRef(source="nginx-conf", target="/etc/nginx/nginx.conf", mode=0o444)],
        secrets=[FileRef(source="api-key", target="/run/secrets/api-key", mode=0o444)],
        ports=[port(8080, 80), port(8081, 8080)],
        volumes=[vol("bind", "data/app", "/data")],
    )
    postgres = Service(
        name="postgres",
        image="postgres",
        environment={"POSTGRES_PASSWORD": "secret"},
        volumes=[vol("volume", "db/data", "/var/lib/postgresql/data")],
    )
    return project(
        app,
        postgres,
        configs=[Config(key="nginx-conf", name="kompox-compose_nginx-conf", file="nginx/nginx.conf")],
        secrets=[Secret(key="api-key", name="kompox-compose_api-key", file="secrets/api-key.txt")],
    )


def worked_example() -> Conversion:
    app = worked_example_app()
    ws, prv, cls, _ = context(app, cert_resolver="staging")
    return convert(ws, prv, cls, app, worked_example_project(), bind(app), files=worked_example_files())

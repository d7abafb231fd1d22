"""Benchmark: ``app validate`` conversion of generated apps of 10, 100 and 500 services.

Run by hand: ``.venv/bin/python benchmarks/validate.py``.  Prints, per size,
the best-of-N wall time of use case ``validate_app`` (conversion + YAML
serialisation), the time per service, and the ratio to the start-up time of
``python -c pass``.  No assertion on timings.

Each generated service has an image, an entrypoint/command, three
environment variables, an env file, one published port, a named-volume
mount with a sub-path, a bind mount and a config mount; the app has two
volumes (bound to fake disks), one ingress rule per ten services and a
NetworkPolicy rule.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_project import KOM_APP, KOM_CLUSTER
from measure import best_wall, kompoxops

from kompox.compose.model import Config, EnvFile, FileRef, Project, Service, ServicePort, ServiceVolume
from kompox.domain.model import (
    App,
    AppIngress,
    AppIngressRule,
    AppVolume,
    Cluster,
    ClusterIngress,
    Provider,
    VolumeClass,
    VolumeDisk,
    Workspace,
)
from kompox.kube.convert import MemoryFiles
from kompox.usecase.app_validate import validate_app

SIZES = (10, 100, 500)
REPEAT = 5
WORKDIR = "/bench"
CLASS = VolumeClass(
    storage_class_name="managed-csi",
    csi_driver="disk.csi.azure.com",
    fs_type="ext4",
    attributes={"fsType": "ext4"},
    access_modes=["ReadWriteOnce"],
)


def generated(n: int) -> tuple[App, Project, MemoryFiles]:
    files = MemoryFiles(files={f"{WORKDIR}/common.conf": b"x = 1\n"})
    services = {}
    for i in range(n):
        name = f"svc{i:04d}"
        files.files[f"{WORKDIR}/env/{name}.env"] = f"TOKEN_{i}=t{i}\nMODE=prod\n".encode()
        services[name] = Service(
            name=name,
            image=f"example/{name}:1.0",
            entrypoint=["/bin/run"],
            command=["--id", str(i)],
            environment={"A": "1", "B": str(i), "TZ": "UTC"},
            env_files=[EnvFile(path=f"env/{name}.env")],
            ports=[ServicePort(target=10000 + i, published=str(20000 + i))],
            volumes=[
                ServiceVolume(type="volume", source=f"data/{name}", target="/data"),
                ServiceVolume(type="bind", source=f"shared/{name}", target="/shared"),
            ],
            configs=[FileRef(source="common", target="/etc/common.conf", mode=0o444)],
        )
    project = Project(
        name="bench",
        working_dir=WORKDIR,
        services=services,
        configs={"common": Config(key="common", name="bench_common", file="common.conf")},
    )
    rules = [AppIngressRule(name=f"r{i}", port=20000 + i, hosts=[f"h{i}.example.com"]) for i in range(0, n, 10)]
    app = App(
        name="bench",
        ref_base=f"file://{WORKDIR}/",
        ingress=AppIngress(rules=rules),
        volumes=[AppVolume(name="shared", size=1 << 30), AppVolume(name="data", size=8 << 30)],
    )
    return app, project, files


def disks(vol: AppVolume) -> list[VolumeDisk]:
    return [VolumeDisk(name="d1", volume_name=vol.name, handle=f"handle-{vol.name}", size=vol.size, assigned=True)]


def run_once(app: App, project: Project, files: MemoryFiles) -> float:
    start = time.perf_counter()
    result = validate_app(
        app=app,
        cluster=Cluster(name="cls", ingress=ClusterIngress(domain="bench.example.com")),
        provider=Provider(name="prv", driver="aks"),
        workspace=Workspace(name="ws"),
        project=project,
        list_disks=disks,
        volume_class=lambda v: CLASS,
        files=files,
    )
    text = result.manifest()
    elapsed = time.perf_counter() - start
    if not result.ok or not text:
        raise SystemExit(f"validation failed: {result.issues}")
    return elapsed


def python_startup() -> float:
    return best_wall([sys.executable, "-c", "pass"], REPEAT)


def main() -> None:
    baseline = python_startup()
    print(f"python -c pass: {baseline * 1000:.1f} ms")
    print(f"{'services':>8} {'best ms':>9} {'median ms':>10} {'ms/service':>11} {'x python -c pass':>17}")
    for n in SIZES:
        app, project, files = generated(n)
        times = [run_once(app, project, files) for _ in range(REPEAT)]
        best = min(times)
        print(
            f"{n:>8} {best * 1000:>9.1f} {statistics.median(times) * 1000:>10.1f} "
            f"{best * 1000 / n:>11.3f} {best / baseline:>17.2f}"
        )


def write_project(root: Path, n: int) -> None:
    """A project directory whose compose file has ``n`` services, for the end-to-end command."""
    (root / ".kompox" / "kom").mkdir(parents=True)
    (root / ".kompox" / "kom" / "cluster.yml").write_text(KOM_CLUSTER)
    (root / "kompoxapp.yml").write_text(KOM_APP)
    lines = ["x-env: &env\n  TZ: UTC\n", "services:\n"]
    for i in range(n):
        lines.append(
            f"  svc{i:04d}:\n    image: example/svc:{i}\n    command: [run, --id, '{i}']\n"
            f"    environment:\n      <<: *env\n      INDEX: '{i}'\n"
            f"    ports: ['{10000 + i}:{20000 + i}']\n    volumes: ['data/svc{i:04d}:/data']\n"
        )
    lines.append("volumes:\n  data: {}\n")
    (root / "compose.yml").write_text("".join(lines))


def end_to_end(sizes: tuple[int, ...] = (10, 100, 500), runs: int = 3) -> None:
    """Time the real command ``kompoxops app validate --out-manifest <file>`` per size."""
    import tempfile

    base = python_startup()
    entry = kompoxops()
    print("\nend to end: kompoxops app validate --out-manifest FILE (k3s, volumes unbound)")
    print(f"{'services':>8} {'best (ms)':>10} {'per service (ms)':>17} {'x python -c pass':>17}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            write_project(root, n)
            cmd = [*entry, "--log-output", "none", "-C", str(root), "app", "validate", "--out-manifest", "out.yaml"]
            best = best_wall(cmd, runs)
        print(f"{n:>8} {best * 1000:>10.1f} {best * 1000 / n:>17.3f} {best / base:>17.1f}")


if __name__ == "__main__":
    main()
    end_to_end()

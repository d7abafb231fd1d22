"""Benchmark: KOM load time per app for 10, 100 and 1000 apps.

Run by hand: ``.venv/bin/python benchmarks/kom_load.py``.  Prints the time per
app and the ratio per-app(1000) / per-app(100) (target <= 1.5).  Never asserts
on timing.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from kompox.kom import Mode, initialize_kom, resolve_project

HEAD = "apiVersion: ops.kompox.dev/v1alpha1\n"
INFRA = (
    f"{HEAD}kind: Workspace\nmetadata: {{name: ws1, annotations: {{ops.kompox.dev/id: /ws/ws1}}}}\n---\n"
    f"{HEAD}kind: Provider\nmetadata: {{name: prv1, annotations: {{ops.kompox.dev/id: /ws/ws1/prv/prv1}}}}\n"
    "spec: {driver: k3s}\n---\n"
    f"{HEAD}kind: Cluster\nmetadata: {{name: cls1, annotations: {{ops.kompox.dev/id: /ws/ws1/prv/prv1/cls/cls1}}}}\n"
)
APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata:
  name: app{i}
  annotations: {{ops.kompox.dev/id: /ws/ws1/prv/prv1/cls/cls1/app/app{i}}}
spec:
  compose: |
    services:
      web:
        image: nginx
  ingress:
    rules:
    - {{name: main, port: 80, hosts: [app{i}.example.com]}}
  volumes:
  - {{name: data, size: 10Gi}}
  settings: {{A: 1, B: yes}}
"""


def build(root: Path, count: int) -> None:
    (root / ".kompox").mkdir()
    kom = root / "kom"
    kom.mkdir()
    (kom / "infra.yml").write_text(INFRA)
    for start in range(0, count, 10):  # ten apps per file, several documents each
        body = "---\n".join(APP.format(i=i) for i in range(start, min(start + 10, count)))
        (kom / f"apps-{start:05d}.yml").write_text(body)


def per_app_seconds(count: int, repeat: int = 3) -> float:
    best = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root, count)
        for _ in range(repeat):
            started = time.perf_counter()
            state = initialize_kom(resolve_project(root, {}), root, {}, kom_paths=["kom"])
            elapsed = time.perf_counter() - started
            assert state.mode is Mode.KOM and state.resources is not None
            assert len(state.resources.apps) == count
            best = min(best, elapsed)
    return best / count


def main() -> None:
    results = {n: per_app_seconds(n) for n in (10, 100, 1000)}
    for n, seconds in results.items():
        print(f"{n:5d} apps: {seconds * 1e3:8.3f} ms/app  ({seconds * n:7.3f} s total)")
    ratio = results[1000] / results[100]
    print(f"ratio per-app(1000)/per-app(100): {ratio:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()

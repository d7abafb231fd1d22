"""Benchmark of the compose loader on generated projects of 20, 200 and 2000 services.

Run by hand: ``python benchmarks/compose_load.py``.  Prints total time, time
per service and the per-service ratio against the smallest project; a flat
ratio (≈1) means linear total cost.  Never asserts on time.
"""

from __future__ import annotations

import time

from kompox.compose import load_project

SIZES = (20, 200, 2000)
REPEATS = 3


def generate(services: int) -> str:
    """A compose text with ``services`` services using anchors, interpolation, ports, volumes and configs."""
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
            "    command: run --port 8080 --name 'svc " + str(i) + "'",
            "    environment:",
            "      <<: *env",
            f"      INDEX: {i}",
            "    ports:",
            f'      - "{10000 + i}:8080"',
            "    volumes:",
            f"      - data:/data/{i}",
            f"      - ./conf/{i}:/etc/app:ro",
            "    configs:",
            "      - source: shared",
            "        mode: 0444",
        ]
    lines += ["volumes:", "  data: {}", "configs:", "  shared:", "    content: hello"]
    return "\n".join(lines) + "\n"


def measure(services: int) -> float:
    text = generate(services)
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        project = load_project(text)
        best = min(best, time.perf_counter() - start)
        assert len(project.services) == services
    return best


def main() -> None:
    results = [(n, measure(n)) for n in SIZES]
    base = results[0][1] / results[0][0]
    print(f"{'services':>8} {'total s':>9} {'ms/service':>11} {'ratio':>6}")
    for n, total in results:
        per = total / n
        print(f"{n:>8} {total:>9.3f} {per * 1000:>11.3f} {per / base:>6.2f}")


if __name__ == "__main__":
    main()

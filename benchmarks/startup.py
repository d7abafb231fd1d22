"""Startup cost of the CLI: median wall time of `kompoxops --help` vs `python -c pass`.

Prints both medians over N runs each and their ratio (target: ratio <= 5).
Run by hand: `.venv/bin/python benchmarks/startup.py [runs]`.  Never asserts.
"""

from __future__ import annotations

import sys

from measure import kompoxops, median_wall


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    py = sys.executable
    median_wall([py, "-c", "pass"], 2)  # warm the file cache
    baseline = median_wall([py, "-c", "pass"], runs)
    entry = kompoxops()  # the installed console script, as operators run it
    cases = {
        "kompoxops --help": [*entry, "--help"],
        "kompoxops version": [*entry, "version"],
    }
    print(f"runs per command: {runs}")
    print(f"python -c pass          median {baseline * 1000:7.1f} ms")
    for name, cmd in cases.items():
        value = median_wall(cmd, runs)
        print(f"{name:<23} median {value * 1000:7.1f} ms  ratio {value / baseline:5.2f} (target <= 5)")


if __name__ == "__main__":
    main()

"""Latency of one TAB: median wall time of a completion request vs `python -c pass`.

Each case is what bash's completion function runs (`_KOMPOXOPS_COMPLETE=bash_complete`
with the typed words) in examples/gitea, through the installed console script.
Prints the medians and their ratio to the bare interpreter; the target is
absolute: under 100 ms, the delay a person starts to notice after pressing TAB.  Run by hand:
`.venv/bin/python benchmarks/completion.py [runs]`.  Never asserts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from measure import kompoxops, median_wall

GITEA = Path(__file__).resolve().parents[1] / "examples" / "gitea"
CASES = {
    "kompoxops <TAB>": "kompoxops ",
    "kompoxops -A <TAB>": "kompoxops -A ",
    "disk list -V <TAB>": "kompoxops disk list -V ",
    "app tunnel -S <TAB>": "kompoxops app tunnel -S ",
}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    py = sys.executable
    median_wall([py, "-c", "pass"], 2)  # warm the file cache
    baseline = median_wall([py, "-c", "pass"], runs)
    entry = kompoxops()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPOX_")}
    print(f"runs per case: {runs}")
    print(f"python -c pass         median {baseline * 1000:7.1f} ms")
    for name, line in CASES.items():
        env = {
            **base_env,
            "_KOMPOXOPS_COMPLETE": "bash_complete",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(line.split(" ")) - 1),
        }
        value = median_wall(entry, runs, cwd=GITEA, env=env)
        print(f"{name:<22} median {value * 1000:7.1f} ms  ratio {value / baseline:5.2f} (target < 100 ms)")


if __name__ == "__main__":
    main()

"""Measuring helpers shared by the benchmarks: CPU time, peak RSS and instruction counts of a child.

- :func:`compile_bytecode` compiles the project's and the venv's modules first,
  so numbers do not depend on ``PYTHONDONTWRITEBYTECODE`` (with it set and no
  ``.pyc`` on disk every run would compile the sources again).
- :func:`child_usage` runs a command and returns the CPU time (user + system)
  and the peak RSS of that one child, from ``os.wait4`` — unlike wall time it
  hardly moves when other processes share the machine; :func:`median_wall`
  and :func:`best_wall` the median and the least wall time of several runs
  (what a person waits for).
- :func:`instructions` runs a command under ``valgrind --tool=callgrind`` and
  returns the number of instructions executed (``None`` without valgrind);
  the most repeatable measure for runs of a few milliseconds.
- :func:`import_tree` runs a Python command with ``-X importtime`` and returns
  every module it imported with its importer, so a benchmark can name the
  modules outside the project a command cannot do without.

Nothing here asserts on a number.
"""

from __future__ import annotations

import compileall
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compile_bytecode() -> None:
    """Write ``.pyc`` files for ``src/`` and the venv's site-packages (no-op when up to date)."""
    for directory in {ROOT / "src", Path(sysconfig.get_paths()["purelib"]), Path(sysconfig.get_paths()["platlib"])}:
        if directory.is_dir():
            compileall.compile_dir(str(directory), quiet=2, workers=1)


def kompoxops() -> list[str]:
    """The installed console script, as operators run it (``python -m`` as a fallback)."""
    script = Path(sys.executable).with_name("kompoxops")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kompox.cli.main"]


@dataclass(frozen=True)
class Usage:
    cpu: float  # seconds, user + system
    wall: float  # seconds
    max_rss_kb: int
    code: int


def child_usage(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Usage:
    """Run ``cmd`` once (output discarded); its own CPU time, wall time and peak RSS."""
    import time

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Usage(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss, proc.returncode)


def best_usage(cmd: list[str], runs: int, *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Usage:
    """The run with the least CPU time out of ``runs`` (peak RSS: the largest seen)."""
    samples = [child_usage(cmd, cwd=cwd, env=env) for _ in range(runs)]
    best = min(samples, key=lambda u: u.cpu)
    return Usage(best.cpu, best.wall, max(s.max_rss_kb for s in samples), max(s.code for s in samples))


def _walls(cmd: list[str], runs: int, cwd: Path | None, env: dict[str, str] | None) -> list[float]:
    """Wall times of ``runs`` runs of ``cmd`` (a run that exits non-zero raises)."""
    walls = []
    for _ in range(runs):
        usage = child_usage(cmd, cwd=cwd, env=env)
        if usage.code != 0:
            raise subprocess.CalledProcessError(usage.code, cmd)
        walls.append(usage.wall)
    return walls


def median_wall(cmd: list[str], runs: int, *, cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    """The median wall time of ``runs`` runs of ``cmd`` (a run that exits non-zero raises)."""
    import statistics

    return statistics.median(_walls(cmd, runs, cwd, env))


def best_wall(cmd: list[str], runs: int, *, cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    """The least wall time of ``runs`` runs of ``cmd`` (a run that exits non-zero raises)."""
    return min(_walls(cmd, runs, cwd, env))


_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def instructions(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> int | None:
    """Instructions executed by ``cmd`` (callgrind ``Collected``); ``None`` without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    proc = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
    )
    found = _COLLECTED.search(proc.stderr)
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Imported:
    name: str
    parent: str | None  # the module whose import imported this one; None at top level
    cumulative_us: int


_IMPORT_LINE = re.compile(r"^import time:\s*(\d+) \|\s*(\d+) \|( *)(\S+)$")


def import_tree(cmd: list[str], *, cwd: Path | None = None) -> list[Imported]:
    """The modules ``cmd`` (a Python program) imports, from ``PYTHONPROFILEIMPORTTIME`` (``-X importtime``).

    Python prints a module after the modules its import pulled in, indented
    one step deeper, so the importer of a line is the next line one step
    shallower.
    """
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=False)
    rows: list[tuple[int, str, int]] = []
    for line in proc.stderr.splitlines():
        found = _IMPORT_LINE.match(line)
        if found:
            rows.append(((len(found.group(3)) - 1) // 2, found.group(4), int(found.group(2))))
    result: list[Imported] = []
    pending: dict[int, list[int]] = {}  # depth -> indexes of lines still waiting for their importer
    for depth, name, cumulative in rows:
        result.append(Imported(name, None, cumulative))
        for child in pending.pop(depth + 1, []):
            result[child] = Imported(result[child].name, name, result[child].cumulative_us)
        pending.setdefault(depth, []).append(len(result) - 1)
    return result

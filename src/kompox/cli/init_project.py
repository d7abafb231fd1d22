"""``kompoxops init``: plan every file, check every target, then write (all or nothing).

Upstream's ``init`` writes ``.kompox/{config.yml,kom/,logs/,.gitignore}``;
this one also scaffolds a project (:mod:`kompox.cli.init_app`) unless
``--bare``.  Only ``.kompox/config.yml`` is ever overwritten, and only with
``--force`` (upstream's ``-f``); any other target that exists is kept or, when it
is in the way (a directory where a file goes), refused before anything is
written.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from kompox.cli.init_app import plan_app
from kompox.cli.init_templates import CONFIG_TEMPLATE, GITIGNORE, next_steps
from kompox.domain.errors import ConfigError


@dataclass
class InitPlan:
    kdir: Path
    dirs: list[Path] = field(default_factory=list)
    files: list[tuple[Path, str]] = field(default_factory=list)  # config.yml first: the only overwrite
    created: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    steps: list[tuple[str, str]] = field(default_factory=list)  # (command, comment)


def plan_init(root: Path, *, driver: str, force: bool, bare: bool) -> InitPlan:
    """Every directory and file ``init`` would create in ``root``; :class:`ConfigError` when one is in the way."""
    kdir = root / ".kompox"
    config = kdir / "config.yml"
    if config.exists() and not force:
        raise ConfigError(f"{config} already exists (use --force to overwrite)")
    plan = InitPlan(kdir=kdir, dirs=[kdir, kdir / "kom", kdir / "logs"])
    for directory in plan.dirs:
        if directory.exists() and not directory.is_dir():
            raise ConfigError(f"{directory} exists and is not a directory; nothing was written")
    plan.files.append((config, CONFIG_TEMPLATE))
    plan.created += [str(config), f"{kdir / 'kom'}/", f"{kdir / 'logs'}/"]
    gitignore = kdir / ".gitignore"
    if not gitignore.exists():
        plan.files.append((gitignore, GITIGNORE))
        plan.created.append(str(gitignore))
    else:
        plan.lines += _gitignore_gaps(gitignore)
    if bare:
        return plan
    part = plan_app(root, kdir / "kom", driver)
    for path, text, what in part.files:
        if path.exists():  # plan_app proposes only missing files; this catches what is in the way
            raise ConfigError(f"{path} already exists; init never overwrites it, and nothing was written")
        plan.files.append((path, text))
        plan.created.append(f"{path} ({what})")
    plan.lines += part.lines
    if part.has_app:
        starter = str(part.starter.relative_to(root)) if part.starter is not None else None
        plan.steps = next_steps(driver if starter else None, starter)
    return plan


def _gitignore_gaps(gitignore: Path) -> list[str]:
    """A note per line of :data:`GITIGNORE` an existing ``.gitignore`` lacks (it is kept as it is)."""
    try:
        present = {line.strip() for line in gitignore.read_text(encoding="utf-8").splitlines()}
    except (OSError, UnicodeDecodeError):
        return []
    why = {"/logs": "the run logs", "/kubeconfig": "the admin credential app kubectl writes"}
    return [
        f"Note: {gitignore} does not ignore {entry} ({why[entry]}); add the line {entry}"
        for entry in GITIGNORE.split()
        if entry not in present and entry.lstrip("/") not in present
    ]


def write_plan(plan: InitPlan) -> None:
    """Create the directories and files; only ``config.yml`` (first in the list) may replace a file."""
    for directory in plan.dirs:
        directory.mkdir(mode=0o755, parents=True, exist_ok=True)
    for index, (path, text) in enumerate(plan.files):
        try:
            with path.open("w" if index == 0 else "x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            raise ConfigError(f"{path} appeared while init was writing; it was left as it is") from None
        path.chmod(0o644)


def render(plan: InitPlan, chdir: str) -> str:
    """Upstream's summary, the scaffold's notes, then the next steps (``cd`` first after ``-C``)."""
    lines = [f"Initialized Kompox CLI Env in {plan.kdir}", "Created:", *(f"  - {item}" for item in plan.created)]
    lines += plan.lines
    if plan.steps:
        lines += ["", "Next steps:"]
        if chdir:
            lines.append(f"     cd {shlex.quote(chdir)}")
        width = max((len(command) for command, comment in plan.steps if comment), default=0)
        for number, (command, comment) in enumerate(plan.steps, start=1):
            lines.append(f"  {number}. {command.ljust(width)}  # {comment}" if comment else f"  {number}. {command}")
    return "".join(line + "\n" for line in lines)

"""``kompoxops init`` and ``kompoxops version``: commands that need no project."""

from __future__ import annotations

from pathlib import Path

import click

from kompox.cli.base import KompoxCommand, deprecated_short, runtime
from kompox.cli.quick import OPTIONS_HELP, version_text
from kompox.domain.errors import ConfigError

CONFIG_TEMPLATE = "version: 1\nstore:\n  type: local\n"
GITIGNORE = "/logs\n/kubeconfig\n"


@click.command("init", cls=KompoxCommand)
@click.option("--force", is_flag=True, help="Overwrite an existing .kompox/config.yml.")
@deprecated_short("-f", "force", "--force", "-f is --file elsewhere", is_flag=True)
def init_cmd(force: bool) -> None:
    """Create the .kompox/ project directory in the current (or -C) directory.

    With a compose file there (compose.yaml, compose.yml, docker-compose.yaml
    or docker-compose.yml) and no kompoxapp.yml yet, also write kompoxapp.yml:
    an App declaring each compose named volume (normalised name, default
    size), an ingress rule per published HTTP port, and a list of what could
    not be mapped.  An empty .kompox/kom gets a starter K3s cluster.

    \b
    Examples:
      kompoxops init
      kompoxops init -C myproject       # creates myproject/ if missing
      kompoxops init --force            # rewrite .kompox/config.yml
    """
    rt = runtime(click.get_current_context())
    rt.apply_chdir(create=True)
    kdir = Path.cwd() / ".kompox"
    config = kdir / "config.yml"
    if config.exists() and not force:
        raise ConfigError(f"{config} already exists (use --force to overwrite)")
    created: list[str] = []
    for sub in (kdir, kdir / "kom", kdir / "logs"):
        sub.mkdir(mode=0o755, parents=True, exist_ok=True)
    config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
    config.chmod(0o644)
    created += [str(config), f"{kdir / 'kom'}/", f"{kdir / 'logs'}/"]
    gitignore = kdir / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(GITIGNORE, encoding="utf-8")
        created.append(str(gitignore))
    lines = [f"Initialized Kompox CLI Env in {kdir}", "Created:", *(f"  - {path}" for path in created)]
    from kompox.cli.init_app import init_app

    lines += init_app(Path.cwd(), kdir / "kom")
    rt.out("".join(line + "\n" for line in lines))


@click.command("version", cls=KompoxCommand)
def version_cmd() -> None:
    """Print build information (works anywhere, also outside a Kompox project).

    \b
    Examples:
      kompoxops version
      kompoxops --version
    """
    runtime(click.get_current_context()).out(version_text())


@click.command("options", cls=KompoxCommand)
def options_cmd() -> None:
    """Print the global flags, which every command takes, and the common command flags.

    \b
    Examples:
      kompoxops options
      kompoxops -C ~/src/gitea --log-level debug app validate
    """
    runtime(click.get_current_context()).out(OPTIONS_HELP)

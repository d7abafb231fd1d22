"""``kompoxops init`` and ``kompoxops version``: commands that need no project."""

from __future__ import annotations

from pathlib import Path

import click

from kompox.cli.base import KompoxCommand, deprecated_short, runtime
from kompox.cli.init_templates import DEFAULT_DRIVER, DRIVERS
from kompox.cli.quick import OPTIONS_HELP, version_text


@click.command("init", cls=KompoxCommand)
@click.option(
    "--force", is_flag=True, help="Overwrite an existing .kompox/config.yml (nothing else is ever overwritten)."
)
@deprecated_short("-f", "force", "--force", "-f is --file elsewhere", is_flag=True)
@click.option(
    "--driver",
    type=click.Choice(DRIVERS),
    default=None,
    help=f"Driver of the starter cluster written into an empty .kompox/kom (default {DEFAULT_DRIVER}).",
)
@click.option("--bare", is_flag=True, help="Only .kompox/ (config.yml, kom/, logs/, .gitignore): no cluster, no app.")
def init_cmd(force: bool, driver: str | None, bare: bool) -> None:
    """Create a Kompox project in the current (or -C) directory and print the next steps.

    Writes .kompox/ (config.yml, kom/, logs/, and a .gitignore ignoring logs/
    and kubeconfig), a starter Workspace, Provider and Cluster for --driver in
    .kompox/kom/cluster.yml (only when .kompox/kom has no YAML file yet), and
    kompoxapp.yml: the App of the compose file found there (compose.yaml,
    compose.yml, docker-compose.yaml or docker-compose.yml: one App volume per
    named volume, an ingress rule per published HTTP port, and a list of what
    could not be mapped), or of a sample compose.yml (one stateless web
    service) written when there is none.  Existing files are kept; every
    target is checked before anything is written.  Placeholders to edit are
    marked FILL IN.

    \b
    Examples:
      kompoxops init                    # K3s: a cluster you reach by kubeconfig
      kompoxops init --driver aks       # AKS: a cluster Kompox provisions
      kompoxops init -C myproject       # creates myproject/ if missing
      kompoxops init --force            # rewrite .kompox/config.yml
      kompoxops init --bare             # .kompox/ only
    """
    if bare and driver is not None:
        raise click.UsageError("--driver has no effect with --bare (which writes no cluster)")
    rt = runtime(click.get_current_context())
    rt.apply_chdir(create=True)
    from kompox.cli.init_project import plan_init, render, write_plan

    plan = plan_init(Path.cwd(), driver=driver or DEFAULT_DRIVER, force=force, bare=bare)
    write_plan(plan)
    rt.out(render(plan, rt.flags.chdir or ""))


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

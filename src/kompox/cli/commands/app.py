"""``kompoxops app``: validate (built), and the commands of later issues."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kompox.cli.base import KompoxCommand, KompoxGroup, bare_group_callback, planned, runtime

APP_TARGET_HELP = "App Resource ID (or name) to act on; default: the app of ./kompoxapp.yml."


def app_target_options(func: Any) -> Any:
    func = click.option("--app-name", default="", help="App name (backward-compatible selector).")(func)
    return click.option("-A", "--app-id", default="", help=APP_TARGET_HELP)(func)


def _write(path: str, text: str) -> None:
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(0o644)
    tmp.replace(target)


@click.command("validate", cls=KompoxCommand)
@app_target_options
@click.option("--out-compose", default="", metavar="PATH", help="Write the normalised compose YAML ('-' = stdout).")
@click.option("--out-manifest", default="", metavar="PATH", help="Write the Kubernetes manifest ('-' = stdout).")
def validate_cmd(app_id: str, app_name: str, out_compose: str, out_manifest: str) -> None:
    """Validate the compose app and generate its Kubernetes manifest.

    Warnings (e.g. a volume with no assigned disk yet) are printed to stderr and
    logged; the manifest is still written, with unbound volumes marked.  Any
    error fails the command and nothing is written.

    \b
    Examples:
      kompoxops app validate
      kompoxops app validate --out-manifest - | less
      kompoxops app validate -A /ws/w1/prv/k3s1/cls/home/app/gitea --out-manifest gitea.yaml
    """
    from kompox.cli.validate import run_validate

    rt = runtime(click.get_current_context())
    rt.prerun()
    result = run_validate(rt, app_id, app_name)
    if out_compose:
        from kompox.cli.validate import normalised_compose_yaml

        text = normalised_compose_yaml(result)
        if text:
            _write(out_compose, text if text.startswith("---\n") else "---\n" + text)
    if out_manifest and result.objects:
        _write(out_manifest, result.manifest())


def build_app() -> KompoxGroup:
    app = KompoxGroup(
        name="app",
        help="Validate, deploy and operate the app.",
        aliases={"port-forward": "tunnel", "pf": "tunnel"},
        callback=click.pass_context(bare_group_callback),
    )
    app.add_command(validate_cmd)
    planned(app, "deploy", "Apply the app's manifests to the cluster.", "issue 6")
    planned(app, "destroy", "Delete the app's resources from the cluster.", "issue 6")
    planned(app, "status", "Print the app status as JSON.", "issue 6")
    planned(app, "exec", "Run a command in an app container.", "issue 6")
    planned(app, "logs", "Show logs of an app container.", "issue 6")
    planned(app, "tunnel", "Forward local ports to the app pod (aliases: port-forward, pf).", "issue 6")
    planned(app, "kubectl", "Run kubectl with the app's context.", "issue 6")
    return app

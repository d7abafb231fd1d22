"""``kompoxops secret env|pull set|delete`` (cli.md §10.6): the override and image-pull Secrets of an app.

Input files are parsed and checked before the cluster is contacted; values never reach stdout,
a log line or an error message (the output lists key names and the content hash only).
"""

from __future__ import annotations

from typing import Any

import click

from kompox.cli.base import KompoxCommand, KompoxGroup, new_group, runtime
from kompox.cli.commands.app import app_target_options
from kompox.cli.output import output_only_option
from kompox.cli.runtime import Runtime
from kompox.domain.errors import ValidationError

SECRET_HELP = """Manage the per-service env override Secret and the image pull Secret of an app.

\b
Examples:
  kompoxops secret env set -S web -f web.env        # <app>-app-web-override
  kompoxops secret env delete -S web
  kompoxops secret pull set -f ~/.docker/config.json  # <app>-app--pull
  kompoxops secret pull delete --dry-run
"""


def _common(func: Any) -> Any:
    func = output_only_option(func)
    func = click.option("--dry-run", is_flag=True, help="Parse and hash only; write nothing.")(func)
    func = click.option("--component", default="app", show_default=True, help="Component (app or a Box name).")(func)
    return app_target_options(func)


def _read_input(rt: Runtime, path: str) -> tuple[str, bytes]:
    from kompox.usecase.secret_override import MAX_SECRET_FILE

    if path == "-":
        data = rt.stdin.buffer.read(MAX_SECRET_FILE + 1)
        return "<stdin>", data
    try:
        with open(path, "rb") as handle:
            return path, handle.read(MAX_SECRET_FILE + 1)
    except OSError as err:
        raise ValidationError(f"read file: {err.strerror}", file=path) from None


def _run(kind: str, verb: str, app_id: str, app_name: str, component: str, dry_run: bool, **kw: str) -> None:
    from kompox.cli.secret_kube import secret_port
    from kompox.logging import span
    from kompox.usecase import secret_override as uc

    rt = runtime(click.get_current_context())
    rt.prerun()
    session = rt.session()
    ctx = session.app(app_id, app_name)
    component = component or "app"
    names = ctx.names(component)
    service = kw.get("service", "")
    if kind == "env":
        if not service:
            raise ValidationError("--service is required", field="--service")
        if component == "app":
            _check_service(ctx.app, service)
        name = names.env_override_secret(service)
        resource = f"{ctx.app.id}/component:{component}/service:{service}"
    else:
        name = names.pull_secret
        resource = f"{ctx.app.id}/component:{component}"
    data = None
    if verb == "set":
        source, content = _read_input(rt, kw["path"])
        data = uc.parse_env_input(source, content) if kind == "env" else uc.parse_pull_input(source, content)
    always = kind == "pull"  # upstream patches the Deployment after every pull set/delete, even a noop
    secret_type = uc.TYPE_OPAQUE if kind == "env" else uc.TYPE_DOCKER
    with span(f"CMD:secret.{kind}.{verb}", resource):
        if dry_run:
            no_kube = _NoKube()
            if data is not None:
                result = uc.set_secret(no_kube, names, name, secret_type, data, dry_run=True)
            else:
                result = uc.delete_secret(no_kube, names, name, dry_run=True)
        else:
            port = secret_port(session.app_kube(ctx))
            if data is not None:
                result = uc.set_secret(port, names, name, secret_type, data, always_refresh=always)
            else:
                result = uc.delete_secret(port, names, name, always_refresh=always)
    if kind == "pull":
        result.keys_field = "Auths"
        if verb == "delete":
            result.keys = None
    _print_result(rt, result.to_json(), kw["output_format"])


def _print_result(rt: Runtime, result: dict[str, Any], output_format: str) -> None:
    """The result (key names and hash, never a value): JSON with upstream's Go field names, or a table."""
    from kompox.cli.output import emit

    keys = result.get("Keys", result.get("Auths"))
    emit(
        rt.stdout,
        output_format,
        kind="secret",
        value=result,
        names=[result["SecretName"]],
        headers=("NAME", "ACTION", "APPLIED", "HASH"),
        rows=[(result["SecretName"], result["Action"], str(result["Applied"]).lower(), result["Hash"])],
        wide_headers=("KEYS", "WARNINGS"),
        wide_rows=[(",".join(keys or []), "; ".join(result["Warnings"] or []))],
    )


class _NoKube:
    """Dry runs never reach the cluster: any call is a bug."""

    def _never(self, *_args: Any) -> Any:
        raise AssertionError("a dry run called the cluster")

    namespace_exists = read_secret = apply_secret = delete_secret = refresh_pod_hash = _never


def _check_service(app: Any, service: str) -> None:
    from kompox.cli.validate import load_compose

    services = sorted(load_compose(app).services)
    if service not in services:
        raise ValidationError(
            f"service {service!r} is not in the compose file (services: {', '.join(services) or 'none'})",
            field="--service",
        )


def build_secret() -> KompoxGroup:
    secret = new_group("secret", SECRET_HELP)
    env = new_group(
        "env",
        "The env override Secret <app>-<component>-<service>-override of one compose service.\n\n\b\n"
        "Examples:\n  kompoxops secret env set -S web -f web.env\n  kompoxops secret env delete -S web",
    )
    pull = new_group(
        "pull",
        "The image pull Secret <app>-<component>--pull (a docker config.json).\n\n\b\n"
        "Examples:\n  kompoxops secret pull set -f ~/.docker/config.json\n  kompoxops secret pull delete --dry-run",
    )

    @env.command("set", cls=KompoxCommand)
    @_common
    @click.option("-S", "--service", default="", help="Compose service (container) name. Required.")
    @click.option(
        "-f", "--file", "path", required=True, help="dotenv file; .yml/.yaml mapping; .json object; - = stdin."
    )
    def env_set(
        app_id: str, app_name: str, component: str, dry_run: bool, output_format: str, service: str, path: str
    ) -> None:
        """Create or replace the env override Secret of a service (values win over env_file).

        \b
        Examples:
          kompoxops secret env set -S web -f web.env
          kompoxops secret env set -S web -f overrides.yml --dry-run    # parse and hash only
          sops -d web.enc.env | kompoxops secret env set -S web -f -
        """
        _run(
            "env", "set", app_id, app_name, component, dry_run, service=service, path=path, output_format=output_format
        )

    @env.command("delete", cls=KompoxCommand)
    @_common
    @click.option("-S", "--service", default="", help="Compose service (container) name. Required.")
    def env_delete(app_id: str, app_name: str, component: str, dry_run: bool, output_format: str, service: str) -> None:
        """Delete the env override Secret of a service (absent is fine).

        \b
        Examples:
          kompoxops secret env delete -S web
          kompoxops secret env delete -S web -A app1 --dry-run
        """
        _run("env", "delete", app_id, app_name, component, dry_run, service=service, output_format=output_format)

    @pull.command("set", cls=KompoxCommand)
    @_common
    @click.option(
        "-f", "--file", "path", required=True, help="Docker config.json (a non-empty JSON object); - = stdin."
    )
    def pull_set(app_id: str, app_name: str, component: str, dry_run: bool, output_format: str, path: str) -> None:
        """Create or replace the image pull Secret (stored verbatim); the Deployment then uses it.

        \b
        Examples:
          kompoxops secret pull set -f ~/.docker/config.json
          kompoxops secret pull set -f registry-auth.json -A app1 --dry-run
        """
        _run("pull", "set", app_id, app_name, component, dry_run, path=path, output_format=output_format)

    @pull.command("delete", cls=KompoxCommand)
    @_common
    def pull_delete(app_id: str, app_name: str, component: str, dry_run: bool, output_format: str) -> None:
        """Delete the image pull Secret (absent is fine); the Deployment stops referring to it.

        \b
        Examples:
          kompoxops secret pull delete
          kompoxops secret pull delete -A app1 --dry-run
        """
        _run("pull", "delete", app_id, app_name, component, dry_run, output_format=output_format)

    secret.add_command(env)
    secret.add_command(pull)
    return secret

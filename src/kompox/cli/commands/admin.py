"""``kompoxops admin``: CRUD on the database store (cli.md §10.12), one sub-group per resource kind.

The store is the database ``--db-url`` (or ``KOMPOX_DB_URL``) names: ``sqlite:PATH`` or
``postgresql://…``.  Resources are KOM documents; ``create``/``update`` store the file's
bytes as given and ``get -o yaml`` prints them back unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from kompox.cli.base import KompoxCommand, KompoxGroup, new_group, runtime
from kompox.cli.runtime import Runtime
from kompox.domain.errors import ConfigError, KompoxError

if TYPE_CHECKING:
    from kompox.domain.ports import StoredResource
    from kompox.store.rdb.store import RdbStore
    from kompox.usecase.admin_resources import AdminResources

KINDS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("workspace", "Workspace", {"ws": "workspace"}),
    ("provider", "Provider", {"prv": "provider"}),
    ("cluster", "Cluster", {"cls": "cluster"}),
    ("app", "App", {}),
    ("box", "Box", {}),
)
_KIND_NAMES = {kind: name for name, kind, _ in KINDS}
SAMPLE_IDS = {
    "Workspace": "/ws/w1",
    "Provider": "/ws/w1/prv/p1",
    "Cluster": "/ws/w1/prv/p1/cls/c1",
    "App": "/ws/w1/prv/p1/cls/c1/app/a1",
    "Box": "/ws/w1/prv/p1/cls/c1/app/a1/box/b1",
}
ADMIN_HELP = """Create, read, update and delete resources in the database store.

The store is the database named by --db-url (or KOMPOX_DB_URL): sqlite:PATH or
postgresql://USER:PASSWORD@HOST/DB.  Resources are KOM documents, stored byte for byte.

\b
Examples:
  kompoxops --db-url sqlite:./kompox.db admin ws create -f ws.yml
  kompoxops --db-url sqlite:./kompox.db admin app get /ws/w1/prv/p1/cls/c1/app/a1 -o yaml
  kompoxops --db-url sqlite:./kompox.db admin ws delete /ws/w1 --cascade
"""


def open_admin_store(rt: Runtime) -> RdbStore:
    from pathlib import Path

    from kompox.kom.legacy import resolve_db_url
    from kompox.store.rdb.url import is_database_url, mask_url

    url = resolve_db_url(rt.flags.db_url, rt.env)
    if not is_database_url(url):
        raise ConfigError(
            f"admin needs a database store, not {mask_url(url)}: pass --db-url sqlite:PATH or "
            "postgresql://USER:PASSWORD@HOST/DB (or set KOMPOX_DB_URL)",
            field="--db-url",
        )
    from kompox.store.rdb.store import open_rdb

    return open_rdb(url, Path.cwd())


def _use_case() -> tuple[AdminResources, RdbStore]:
    from kompox.usecase.admin_resources import AdminResources

    rt = runtime(click.get_current_context())
    rt.prerun()
    store = open_admin_store(rt)
    return AdminResources(store), store


def _print_rows(rows: list[StoredResource], output: str, *, single: bool) -> None:
    """json: Go field names (a list: one object per line, as upstream); yaml: the stored documents verbatim.

    table/wide/name as everywhere: ``<kind>/<name>`` lines, a NAME/ID table (wide adds the parent,
    the version and the times); a Resource ID from the table is what get/update/delete take.
    """
    from kompox.cli.admin_output import go_fields, yaml_stream
    from kompox.cli.output import emit, go_json
    from kompox.domain.timefmt import rfc3339_nano
    from kompox.usecase.admin_resources import model_of

    rt = runtime(click.get_current_context())
    if output == "yaml":
        out = rt.binary(rt.stdout)
        out.write(yaml_stream([r.document for r in rows]))
        out.flush()
        return
    if output == "json":
        for row in rows:
            rt.out(go_json(go_fields(model_of(row)), pretty=single) + "\n")
        return
    emit(
        rt.stdout,
        output,
        kind=_KIND_NAMES.get(rows[0].kind, rows[0].kind.lower()) if rows else "",
        value=None,
        names=[r.name for r in rows],
        headers=("NAME", "ID"),
        rows=[(r.name, r.id) for r in rows],
        wide_headers=("PARENT", "VERSION", "CREATED", "UPDATED"),
        wide_rows=[(r.parent_id, r.version, rfc3339_nano(r.created_at), rfc3339_nano(r.updated_at)) for r in rows],
    )


def _read_spec(path: str) -> tuple[str, bytes]:
    if not path:
        raise ConfigError("spec file required (-f)", field="--file")
    if path == "-":
        return "<stdin>", runtime(click.get_current_context()).stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return path, handle.read()
    except OSError as err:
        raise ConfigError(f"cannot read spec file: {err.strerror}", file=path) from None


def _output_option(func: Any) -> Any:
    from kompox.cli.output import OUTPUTS

    return click.option(
        "-o",
        "--output",
        type=click.Choice(OUTPUTS),
        default="json",
        show_default=True,
        help="json: Go field names (list: one object per line); yaml: the stored KOM document(s) verbatim; "
        "table, wide (more columns) or name (kind/name lines).",
    )(func)


def _file_option(func: Any) -> Any:
    return click.option("-f", "--file", "path", required=True, help="KOM document file (YAML or JSON; - = stdin).")(
        func
    )


def _help(summary: str, *examples: str) -> str:
    """A leaf's help: the summary and its examples (the first names the store, the others assume KOMPOX_DB_URL)."""
    first, *rest = examples
    lines = [f"kompoxops --db-url sqlite:./kompox.db admin {first}", *(f"kompoxops admin {e}" for e in rest)]
    return f"{summary}\n\n\b\nExamples:\n" + "".join(f"  {line}\n" for line in lines)


def build_kind(name: str, kind: str) -> KompoxGroup:
    rid = SAMPLE_IDS[kind]
    group = new_group(
        name,
        f"Manage {kind} resources in the database store.\n\n\b\nExamples:\n"
        f"  kompoxops admin {name} list\n"
        f"  kompoxops admin {name} create -f {name}.yml\n"
        f"  kompoxops admin {name} get <resource-id> -o yaml",
    )

    @group.command(
        "list",
        cls=KompoxCommand,
        help=_help(f"List the {kind} resources (in Resource ID order).", f"{name} list", f"{name} list -o yaml"),
    )
    @_output_option
    def list_cmd(output: str) -> None:
        uc, store = _use_case()
        try:
            _print_rows(uc.list(kind), output, single=False)
        finally:
            store.close()

    @group.command(
        "get",
        cls=KompoxCommand,
        help=_help(f"Print one {kind} by Resource ID.", f"{name} get {rid}", f"{name} get {rid} -o yaml > {name}.yml"),
    )
    @click.argument("resource_id")
    @_output_option
    def get_cmd(resource_id: str, output: str) -> None:
        uc, store = _use_case()
        try:
            _print_rows([uc.get(kind, resource_id)], output, single=True)
        finally:
            store.close()

    @group.command(
        "create",
        cls=KompoxCommand,
        help=_help(
            f"Create a {kind} from one KOM document; its parent must exist.",
            f"{name} create -f {name}.yml",
            f"{name} create -f - -o yaml < {name}.yml",
        ),
    )
    @_file_option
    @_output_option
    def create_cmd(path: str, output: str) -> None:
        source, data = _read_spec(path)
        uc, store = _use_case()
        try:
            _print_rows([uc.create(kind, source, data)], output, single=True)
        finally:
            store.close()

    @group.command(
        "update",
        cls=KompoxCommand,
        help=_help(
            f"Replace a {kind}'s document (same Resource ID); fails if another writer changed it meanwhile.",
            f"{name} update {rid} -f {name}.yml",
            f"{name} update {rid} -f - -o yaml < {name}.yml",
        ),
    )
    @click.argument("resource_id")
    @_file_option
    @_output_option
    def update_cmd(resource_id: str, path: str, output: str) -> None:
        source, data = _read_spec(path)
        uc, store = _use_case()
        try:
            _print_rows([uc.update(kind, resource_id, source, data)], output, single=True)
        finally:
            store.close()

    @group.command(
        "delete",
        cls=KompoxCommand,
        help=_help(
            f"Delete a {kind}; one with resources below it only with --cascade.",
            f"{name} delete {rid}",
            f"{name} delete {rid} --cascade",
        ),
    )
    @click.argument("resource_id")
    @click.option("--cascade", is_flag=True, help="Also delete every resource below this one.")
    def delete_cmd(resource_id: str, cascade: bool) -> None:
        uc, store = _use_case()
        try:
            result = uc.delete(kind, resource_id, cascade=cascade)
        finally:
            store.close()
        rt = runtime(click.get_current_context())
        for deleted in result.deleted:
            rt.out(f"deleted {deleted}\n")

    if kind == "Cluster":
        _add_lifecycle(group)
    return group


def _add_lifecycle(group: KompoxGroup) -> None:
    for verb in ("provision", "deprovision"):

        def make(verb: str) -> None:
            summary = f"{verb.capitalize()} the cluster (by Resource ID)."
            rid = SAMPLE_IDS["Cluster"]

            @group.command(verb, cls=KompoxCommand, help=_help(summary, f"cluster {verb} {rid}"))
            @click.argument("resource_id")
            def _cmd(resource_id: str) -> None:
                _lifecycle(verb, resource_id)

        make(verb)


def _lifecycle(verb: str, resource_id: str) -> None:
    from kompox.cli.cluster_support import failed, progress_to_stderr
    from kompox.cli.session import provider_of
    from kompox.logging import span
    from kompox.providers import registry
    from kompox.store.inmem import InMemoryRepositories
    from kompox.usecase import cluster_lifecycle as lc
    from kompox.usecase.admin_resources import resources_from_rows

    uc, store = _use_case()
    try:
        uc.get("Cluster", resource_id)
        repos = InMemoryRepositories(resources_from_rows(store.list()))
    finally:
        store.close()
    cluster = repos.clusters.get(resource_id)
    run = lc.cluster_provision if verb == "provision" else lc.cluster_deprovision
    rt = runtime(click.get_current_context())
    try:
        with progress_to_stderr(rt.stderr), span(f"CMD:admin.cluster.{verb}", cluster.id):
            result = run(registry.new_driver(*provider_of(repos, cluster)), cluster)
    except KompoxError as err:
        raise failed(rt, f"failed to {verb} cluster {cluster.name}", err, cluster) from err
    rt.out(f"skipped {resource_id} ({result.message})\n" if result.skipped else f"{verb}ed {resource_id}\n")


def build_admin() -> KompoxGroup:
    admin = new_group("admin", ADMIN_HELP)
    for name, kind, aliases in KINDS:
        admin.add_command(build_kind(name, kind))
        admin.aliases.update(aliases)
    return admin

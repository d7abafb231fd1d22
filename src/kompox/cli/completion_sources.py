"""Shell-completion candidates read from the local project (apps, clusters, volumes, services, …).

Only local files are read: the KOM (or a legacy ``kompoxops.yml``) found the
way every command finds it, honouring the global flags already typed on the
line (``-C``, ``--kompox-root``, ``--kompox-dir``, ``--kom-path``,
``--kom-app``, ``--db-url``), and the selected app's compose file.  No provider,
cluster or database is contacted, nothing is logged, and any problem (no
project, a broken KOM, an unreadable compose file) simply yields no candidates.

Disk and snapshot names are not completed: only the provider knows them (a
cluster node for K3s, Azure for AKS), and a TAB must never call either.

Completers are attached centrally by :func:`attach_completers` (called when a
root command is loaded), keyed by the click parameter name and, where one name
means different things, by the path of the group the command belongs to
(``disk``, ``cluster nodepool``; ``admin app`` is not ``app``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

import click
from click.shell_completion import CompletionItem

from kompox.cli.argv import LOG_FORMAT_CHOICES, LOG_LEVEL_CHOICES, GlobalFlags

if TYPE_CHECKING:
    from kompox.domain.model import App, Box, Cluster


class _Named(Protocol):
    id: str
    name: str


R = TypeVar("R", bound=_Named)
Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]


@dataclass
class LocalProject:
    """What completion needs from the project's resource store."""

    apps: list[App] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    default_app: str = ""  # an id (KOM) or a name (legacy)
    default_cluster: str = ""


def load_local_project(flags: GlobalFlags, env: Mapping[str, str]) -> LocalProject | None:
    """The project's resources as the command line's global flags select them; ``None`` when unavailable.

    Mirrors ``Runtime.prerun`` and ``open_store`` without logging: ``-C``
    changes this (completion-only) process's directory; a database store
    (``sqlite:``/``postgresql://``) is not opened.
    """
    from pathlib import Path

    from kompox.kom.loader import Mode, initialize_kom
    from kompox.kom.project import resolve_project

    if flags.chdir:
        os.chdir(flags.chdir)
    cwd = Path.cwd()
    environ = dict(env)
    project = resolve_project(cwd, environ, flags.kompox_root, flags.kompox_dir)
    environ.update(project.environ())
    kom = initialize_kom(project, cwd, environ, flags.kom_path, flags.kom_app)
    if kom.mode is Mode.KOM and kom.resources is not None:
        res = kom.resources
        return LocalProject(res.apps, res.clusters, res.boxes, kom.default_app_id, kom.default_cluster_id)
    from kompox.kom.legacy import load_legacy_db_url, resolve_db_url
    from kompox.store.rdb.url import is_database_url

    db_url = resolve_db_url(flags.db_url, environ)
    if is_database_url(db_url):
        return None
    legacy = load_legacy_db_url(db_url, cwd)
    return LocalProject([legacy.app], [legacy.cluster], [], legacy.app.name, legacy.cluster.name)


class CompletionEnv:
    """The click context object during completion: the typed global flags, the project loaded once."""

    def __init__(self, flags: GlobalFlags | None = None, env: Mapping[str, str] | None = None) -> None:
        self.flags = flags or GlobalFlags()
        self.env = dict(os.environ if env is None else env)
        self._project: LocalProject | None = None
        self._loaded = False

    @property
    def project(self) -> LocalProject | None:
        if not self._loaded:
            self._loaded = True
            try:
                self._project = load_local_project(self.flags, self.env)
            except Exception:  # a broken project gives no candidates, never an error in the shell
                self._project = None
        return self._project


def completion_env(ctx: click.Context) -> CompletionEnv:
    """The context's :class:`CompletionEnv` (one is created for a context without it, e.g. plain click)."""
    found = ctx.find_object(CompletionEnv)
    if found is None:
        root = ctx.find_root()
        found = CompletionEnv()
        if root.obj is None:
            root.obj = found
    return found


# --- selection of the app / cluster the line already names ---------------------


def _param(ctx: click.Context, name: str) -> str:
    """A string parameter typed on the line (this command or a parent group)."""
    node: click.Context | None = ctx
    while node is not None:
        value = node.params.get(name)
        if isinstance(value, str) and value:
            return value
        node = node.parent
    return ""


def _pick(items: Iterable[R], candidate: str) -> R | None:
    """By id when ``candidate`` contains ``/``, else the one item of that name (as the commands resolve it)."""
    pool = list(items)
    if "/" in candidate:
        return next((i for i in pool if i.id == candidate), None)
    named = [i for i in pool if i.name == candidate]
    return named[0] if len(named) == 1 else None


def selected_app(ctx: click.Context) -> App | None:
    """``-A``/``--app-name`` typed on the line, else the project's default app."""
    project = completion_env(ctx).project
    if project is None:
        return None
    candidate = _param(ctx, "app_id") or _param(ctx, "app_name") or project.default_app
    return _pick(project.apps, candidate) if candidate else None


def selected_cluster(ctx: click.Context) -> Cluster | None:
    """``--cluster-id``/``--cluster-name`` typed on the line, else the default cluster (or the default app's)."""
    project = completion_env(ctx).project
    if project is None:
        return None
    candidate = _param(ctx, "cluster_id") or _param(ctx, "cluster_name") or project.default_cluster
    if not candidate:
        app = selected_app(ctx)
        candidate = app.cluster_id if app is not None else ""
    return _pick(project.clusters, candidate) if candidate else None


# --- candidates -----------------------------------------------------------------


def _items(values: Iterable[str | tuple[str, str]], incomplete: str) -> list[CompletionItem]:
    """Unique values starting with ``incomplete``, in first-seen order; a tuple is (value, help)."""
    out: list[CompletionItem] = []
    seen: set[str] = set()
    for entry in values:
        value, help_text = entry if isinstance(entry, tuple) else (entry, "")
        if value and value not in seen and value.startswith(incomplete):
            seen.add(value)
            out.append(CompletionItem(value, help=help_text or None))
    return out


def _ids_or_names(resources: list[App] | list[Cluster], incomplete: str, *, names_only: bool) -> list[CompletionItem]:
    """Resource IDs when ``incomplete`` starts with ``/``; else names (the ID of an ambiguous name instead)."""
    if incomplete.startswith("/") and not names_only:
        return _items(((r.id, r.name) for r in resources), incomplete)
    counts: dict[str, int] = {}
    for r in resources:
        counts[r.name] = counts.get(r.name, 0) + 1
    values: list[tuple[str, str]] = []
    for r in resources:
        if counts[r.name] == 1 or names_only:
            values.append((r.name, r.id))
        elif r.id.startswith(incomplete):
            values.append((r.id, r.name))
    return _items(values, incomplete)


def complete_app_id(ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    project = completion_env(ctx).project
    return _ids_or_names(project.apps, incomplete, names_only=False) if project else []


def complete_app_name(ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    project = completion_env(ctx).project
    return _ids_or_names(project.apps, incomplete, names_only=True) if project else []


def complete_cluster_id(ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    project = completion_env(ctx).project
    return _ids_or_names(project.clusters, incomplete, names_only=False) if project else []


def complete_cluster_name(ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    project = completion_env(ctx).project
    return _ids_or_names(project.clusters, incomplete, names_only=True) if project else []


def complete_volume(ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The selected app's ``spec.volumes``."""
    app = selected_app(ctx)
    if app is None:
        return []
    return _items(((v.name, f"{v.type} volume of app {app.name}") for v in app.volumes), incomplete)


def compose_services(app: App) -> list[str]:
    """Service names of the app's compose file, in file order (``include``/``extends`` are not followed)."""
    import yaml

    from kompox.compose.source import local_file_reader, ref_base_dir, resolve_compose_source

    source = resolve_compose_source(app.compose, app.ref_base, local_file_reader(ref_base_dir(app.ref_base) or "/"))
    data = yaml.safe_load(source.text)
    services = data.get("services") if isinstance(data, dict) else None
    return [str(name) for name in services] if isinstance(services, dict) else []


def complete_service(ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The selected app's compose services (its containers)."""
    app = selected_app(ctx)
    if app is None:
        return []
    try:
        names = compose_services(app)
    except Exception:  # an unreadable compose file gives no candidates
        return []
    return _items(((name, f"service of app {app.name}") for name in names), incomplete)


def complete_box(ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The selected app's standalone KOM Boxes (the ones ``--box`` accepts)."""
    app = selected_app(ctx)
    project = completion_env(ctx).project
    if app is None or project is None:
        return []
    boxes = [b for b in project.boxes if b.app_id == app.id and b.standalone]
    return _items(((b.name, f"box of app {app.name}") for b in boxes), incomplete)


def complete_pool(ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Node pools the selected cluster's apps ask for (``spec.deployment.pool``/``pools``).

    KOM clusters declare no pools; the pools their apps are scheduled to are
    the names an operator creates, updates and deletes.
    """
    cluster = selected_cluster(ctx)
    project = completion_env(ctx).project
    if cluster is None or project is None:
        return []
    values: list[tuple[str, str]] = []
    for app in project.apps:
        if app.cluster_id == cluster.id:
            for pool in [app.deployment.pool, *app.deployment.pools]:
                values.append((pool, f"pool of app {app.name}"))
    return _items(values, incomplete)


def complete_component(ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """``app`` and the components of the selected app's KOM Boxes (``spec.component`` or the Box name)."""
    app = selected_app(ctx)
    project = completion_env(ctx).project
    values: list[tuple[str, str]] = [("app", "the app's own pods")]
    if app is not None and project is not None:
        values += [(b.component or b.name, f"box {b.name}") for b in project.boxes if b.app_id == app.id]
    return _items(values, incomplete)


def complete_zone(ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The selected app's ``spec.deployment.zone``/``zones``."""
    app = selected_app(ctx)
    if app is None:
        return []
    zones = [app.deployment.zone, *app.deployment.zones]
    return _items(((z, f"zone of app {app.name}") for z in zones), incomplete)


def complete_path(_ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """A file path: the shell completes it (click returns nothing for a plain string option otherwise)."""
    return [CompletionItem(incomplete, type="file")]


def _words(*values: str) -> Completer:
    """A fixed set of values (for options whose help lists them but whose type is a plain string)."""

    def complete(_ctx: click.Context, _param_: click.Parameter, incomplete: str) -> list[CompletionItem]:
        return _items(values, incomplete)

    complete.__name__ = f"complete_{'_'.join(values)}"
    return complete


# --- registry -----------------------------------------------------------------

# (path of the command's group, e.g. "disk" or "cluster nodepool", or None for any; click parameter name)
COMPLETERS: dict[tuple[str | None, str], Completer] = {
    (None, "app_id"): complete_app_id,
    (None, "app_name"): complete_app_name,
    (None, "cluster_id"): complete_cluster_id,
    (None, "cluster_name"): complete_cluster_name,
    (None, "vol_name"): complete_volume,
    (None, "service"): complete_service,
    ("app", "container"): complete_service,  # app logs/exec -c: a compose service (cluster logs -c is Traefik's)
    (None, "box_name"): complete_box,
    ("cluster nodepool", "name"): complete_pool,
    ("cluster nodepool", "mode"): _words("system", "user"),
    ("cluster nodepool", "priority"): _words("regular", "spot"),
    ("cluster", "output_format"): _words("yaml", "json"),  # cluster kubeconfig --format (a plain string)
    (None, "component"): complete_component,
    (None, "to_cluster"): complete_cluster_id,  # app move --to-cluster
    ("app", "zone"): complete_zone,
    ("disk", "zone"): complete_zone,
    # file paths (plain string options: without these the shell would offer nothing)
    **{
        (None, name): complete_path
        for name in (
            "env_file",
            "file_",
            "kubeconfig_path",
            "out",
            "out_compose",
            "out_manifest",
            "path",
            "spec_file",
            "ssh_pubkey",
        )
    },
}

# option spelling -> completer, for a flag typed before any command word (``kompoxops -A <TAB>``)
FLAG_COMPLETERS: dict[str, Completer] = {
    "-A": complete_app_id,
    "--app-id": complete_app_id,
    "--app-name": complete_app_name,
    "-K": complete_cluster_id,
    "--cluster-id": complete_cluster_id,
    "--cluster-name": complete_cluster_name,
    "-V": complete_volume,
    "--vol-name": complete_volume,
}


def _completer_for(group: str | None, name: str | None) -> Completer | None:
    if name is None:
        return None
    return COMPLETERS.get((group, name)) or COMPLETERS.get((None, name))


def attach_completers(command: click.Command, group: str = "") -> None:
    """Give every known parameter of ``command`` and its sub-commands its completer.

    A parameter with its own completer or a ``click.Choice`` (which completes its choices) is left alone.
    """
    for param in command.params:
        completer = _completer_for(group or None, param.name)
        if completer is not None and param._custom_shell_complete is None and not isinstance(param.type, click.Choice):
            param._custom_shell_complete = completer
    if isinstance(command, click.Group):
        for child in command.commands.values():
            attach_completers(child, f"{group} {command.name}".strip())


# --- values of the global flags (not click options: argv.py takes them out) -----

GLOBAL_VALUE_KINDS: dict[str, str] = {
    "-C": "dir",
    "--chdir": "dir",
    "--kompox-root": "dir",
    "--kompox-dir": "dir",
    "--kom-path": "file",
    "--kom-app": "file",
    "--log-output": "file",
    "--db-url": "none",
    "--log-format": "choice",
    "--log-level": "choice",
}
GLOBAL_CHOICES: dict[str, tuple[str, ...]] = {"--log-format": LOG_FORMAT_CHOICES, "--log-level": LOG_LEVEL_CHOICES}
GLOBAL_FLAG_NAMES = ("--chdir", "--kompox-root", "--kompox-dir", "--kom-path", "--kom-app", "--db-url",
                     "--log-format", "--log-level", "--log-output", "--debug")  # fmt: skip


def global_value_items(flag: str, incomplete: str) -> list[CompletionItem]:
    """Candidates for the value of a global flag: a path for the shell to complete, or the allowed values."""
    kind = GLOBAL_VALUE_KINDS[flag]
    if kind in ("dir", "file"):
        return [CompletionItem(incomplete, type=kind)]
    return _items(GLOBAL_CHOICES.get(flag, ()), incomplete.lower())


def global_flag_items(incomplete: str) -> list[CompletionItem]:
    """Global flag names starting with ``incomplete`` (they are valid on every command)."""
    names = [*GLOBAL_FLAG_NAMES, "-C"] if incomplete in ("-", "-C") else GLOBAL_FLAG_NAMES
    return _items(names, incomplete)

"""``kompoxops app kubectl -- ARGS``: the user's kubectl, pointed at the app (kube-and-ops.md §16.2).

Each app gets its own context ``<app>-<inHASH>`` (namespace = the app
namespace) in the project-local kubeconfig ``$KOMPOX_DIR/kubeconfig``.

Decisions (documented deviations from upstream):

* The refresh runs in-process (cli.md §19 allows it): the driver's kubeconfig
  bytes are normalised and merged with ``force`` into that file — no child
  ``kompoxops cluster kubeconfig`` process, so the parent's flags
  (``--kom-path``, ``--db-url``…) always apply.  The file is written with
  mode 0600, atomically: it is the one kubeconfig file the spec lets Kompox
  write for this command.
* Then ``kubectl --context <ctx> ARGS`` runs — launching the external
  ``kubectl`` *is* the command's purpose (the user asked for kubectl); it is
  started directly (no shell) with ``KUBECONFIG`` pointing at that file, and
  its exit code becomes ours.  Kompox itself never shells out to kubectl for
  its own work.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from kompox.cli.private_file import write_private
from kompox.cli.runtime import Runtime
from kompox.domain.errors import ValidationError

log = logging.getLogger("kompox.cli")

KUBECONFIG_FILE = "kubeconfig"


def kubectl_context(app: str, instance_hash: str) -> str:
    return f"{app}-{instance_hash}"


def needs_refresh(path: Path, context: str, namespace: str) -> bool:
    """True unless ``path`` holds ``context`` with exactly ``namespace`` (a corrupt file is an error)."""
    from kompox.kube.kubeconfig_merge import parse

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return True
    except OSError as err:
        raise ValidationError(f"cannot read {path}: {err.strerror}") from None
    doc = parse(data, str(path))
    for entry in doc.get("contexts") or []:
        if isinstance(entry, dict) and entry.get("name") == context:
            return str((entry.get("context") or {}).get("namespace") or "") != namespace
    return True


def refresh_kubeconfig(path: Path, kubeconfig: bytes, context: str, namespace: str) -> None:
    """Merge the cluster's kubeconfig into ``path`` as ``context`` (replacing same-named entries)."""
    from kompox.kube.kubeconfig_merge import dump_yaml, merge_entry, normalize, parse

    entry = normalize(kubeconfig, context, namespace=namespace)
    target = parse(path.read_bytes(), str(path)) if path.exists() else {}
    merged = merge_entry(target, entry, force=True)
    write_private(path, dump_yaml(merged.doc).encode("utf-8"))


def run_kubectl(rt: Runtime, app_id: str, app_name: str, args: Sequence[str], *, refresh: bool) -> int:
    from kompox.cli.app_process import find_program, run_child

    if not args:
        raise ValidationError("kubectl arguments are required after --")
    session = rt.session()
    ctx = session.app(app_id, app_name)
    names = ctx.names()
    context = kubectl_context(names.app, names.hashes.app_instance)
    assert rt.project is not None  # prerun resolved the project
    path = rt.project.dir / KUBECONFIG_FILE
    if refresh or needs_refresh(path, context, names.namespace):
        driver = session.app_driver(ctx)
        assert ctx.cluster is not None
        refresh_kubeconfig(path, driver.cluster_kubeconfig(ctx.cluster), context, names.namespace)
        log.debug("CMD:app.kubectl", extra={"attrs": {"desc": f"refreshed context {context} in {path}"}})
    kubectl = find_program("kubectl")
    log.debug("CMD:app.kubectl", extra={"attrs": {"desc": f"run {kubectl} --context {context}"}})
    return run_child([kubectl, "--context", context, *args], {"KUBECONFIG": str(path)}, errors=rt.stderr)

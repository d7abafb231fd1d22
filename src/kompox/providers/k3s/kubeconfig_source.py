"""Where the K3s driver finds the kubeconfig of an existing cluster.

Cluster settings:

* ``KUBECONFIG`` — a kubeconfig file path.  ``~`` (home), ``$KOMPOX_ROOT`` and
  ``$KOMPOX_DIR`` are expanded (literal replacement, as in ``komPath``);
  a relative path is resolved against the project root (``KOMPOX_ROOT``), or
  the working directory when no project root is known.
* ``KUBECONFIG_CONTEXT`` — optional context name; default: the file's
  current context (or its only context).

Without ``KUBECONFIG`` the standard resolution applies: the ``KUBECONFIG``
environment variable (a path list, merged with kubectl's rules, missing files
skipped), else ``~/.kube/config``.

The environment is an explicit input (:class:`KubeconfigEnv`); the registered
factory takes it from the process environment, to which the CLI exports the
resolved ``KOMPOX_ROOT``/``KOMPOX_DIR`` before any command runs (cli.md §4.2).
The result is self-contained bytes: one context, made current, with
referenced certificate files inlined.  Nothing is written to disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kompox.domain.errors import KubeconfigMissingError, ValidationError
from kompox.domain.model import Cluster
from kompox.kube import kubeconfig_merge as kcm

SETTING_KUBECONFIG = "KUBECONFIG"
SETTING_CONTEXT = "KUBECONFIG_CONTEXT"
DEFAULT_KUBECONFIG = "~/.kube/config"


@dataclass(frozen=True)
class KubeconfigEnv:
    """The environment values kubeconfig resolution depends on (all strings, empty = unknown)."""

    kompox_root: str = ""
    kompox_dir: str = ""
    home: str = ""
    kubeconfig: str = ""  # the KUBECONFIG environment variable (a path list)
    cwd: str = ""

    @classmethod
    def from_environ(cls, env: Mapping[str, str], cwd: str = "") -> KubeconfigEnv:
        return cls(
            kompox_root=env.get("KOMPOX_ROOT", ""),
            kompox_dir=env.get("KOMPOX_DIR", ""),
            home=env.get("HOME", "") or os.path.expanduser("~"),  # noqa: PTH111
            kubeconfig=env.get("KUBECONFIG", ""),
            cwd=cwd or os.getcwd(),  # noqa: PTH109
        )

    def expand(self, value: str) -> str:
        """``~`` / ``~/…``, ``$KOMPOX_ROOT``, ``$KOMPOX_DIR`` expanded; relative → project root."""
        text = value.strip()
        if text == "~" or text.startswith("~/"):
            if not self.home:
                raise ValidationError(f"cannot expand {value!r}: home directory unknown")
            text = self.home + text[1:]
        if "$KOMPOX_ROOT" in text and not self.kompox_root:
            raise ValidationError(f"cannot expand {value!r}: KOMPOX_ROOT is not set")
        if "$KOMPOX_DIR" in text and not self.kompox_dir:
            raise ValidationError(f"cannot expand {value!r}: KOMPOX_DIR is not set")
        text = text.replace("$KOMPOX_ROOT", self.kompox_root).replace("$KOMPOX_DIR", self.kompox_dir)
        if not Path(text).is_absolute():
            text = os.path.join(self.kompox_root or self.cwd or os.getcwd(), text)  # noqa: PTH109, PTH118
        return os.path.normpath(text)

    def expand_env_path(self, value: str) -> str:
        """A ``$KUBECONFIG`` entry as kubectl reads it: ``~`` expanded, relative to the working directory."""
        text = value.strip()
        if (text == "~" or text.startswith("~/")) and self.home:
            text = self.home + text[1:]
        return os.path.normpath(os.path.join(self.cwd or os.getcwd(), text))  # noqa: PTH109, PTH118


def _setting_error(cluster: Cluster, key: str, message: str) -> ValidationError:
    return ValidationError(message, document=f"Cluster {cluster.name!r}", field=f"spec.settings.{key}")


def _read_config(path: str, read: Callable[[str], bytes]) -> kcm.Doc:
    return kcm.absolutize_paths(kcm.parse(read(path), f"kubeconfig {path}"), os.path.dirname(path))  # noqa: PTH120


def _from_setting(cluster: Cluster, raw: str, env: KubeconfigEnv, read: Callable[[str], bytes]) -> kcm.Doc:
    try:
        path = env.expand(raw)
    except ValidationError as err:
        raise _setting_error(cluster, SETTING_KUBECONFIG, err.message) from None
    try:
        return _read_config(path, read)
    except FileNotFoundError:
        raise _setting_error(cluster, SETTING_KUBECONFIG, f"kubeconfig file {path} does not exist") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _setting_error(cluster, SETTING_KUBECONFIG, f"cannot read kubeconfig file {path}: {reason}") from None
    except ValidationError as err:
        raise _setting_error(cluster, SETTING_KUBECONFIG, err.message) from None


def _standard(cluster: Cluster, env: KubeconfigEnv, read: Callable[[str], bytes]) -> kcm.Doc:
    if env.kubeconfig.strip():
        paths = [p for p in env.kubeconfig.split(os.pathsep) if p.strip()]
        docs: list[kcm.Doc] = []
        for raw in paths:
            path = env.expand_env_path(raw)
            try:
                docs.append(_read_config(path, read))
            except FileNotFoundError:
                continue  # kubectl skips missing entries of the list
            except OSError as exc:
                raise ValidationError(f"cannot read kubeconfig file {path}: {exc.strerror}") from None
        if not docs:
            raise KubeconfigMissingError(
                f"cluster {cluster.name!r}: no kubeconfig: spec.settings.KUBECONFIG is not set and none of the "
                f"files in $KUBECONFIG exists ({env.kubeconfig})"
            )
        return kcm.merge_documents(docs)
    path = env.expand_env_path(DEFAULT_KUBECONFIG)
    try:
        return _read_config(path, read)
    except FileNotFoundError:
        raise KubeconfigMissingError(
            f"cluster {cluster.name!r}: no kubeconfig: spec.settings.KUBECONFIG is not set, $KUBECONFIG is empty "
            f"and {path} does not exist"
        ) from None
    except OSError as exc:
        raise ValidationError(f"cannot read kubeconfig file {path}: {exc.strerror}") from None


def cluster_kubeconfig(cluster: Cluster, env: KubeconfigEnv, *, read: Callable[[str], bytes] = kcm.read_file) -> bytes:
    """Self-contained kubeconfig bytes for ``cluster`` (one context, current, certificates inlined)."""
    settings = cluster.settings or {}
    raw = settings.get(SETTING_KUBECONFIG, "").strip()
    doc = _from_setting(cluster, raw, env, read) if raw else _standard(cluster, env, read)
    context = settings.get(SETTING_CONTEXT, "").strip() or None
    try:
        minified = kcm.minify(doc, context, read=read)
    except ValidationError as err:
        key = SETTING_CONTEXT if context else SETTING_KUBECONFIG
        raise _setting_error(cluster, key, err.message) from None
    return kcm.dump_yaml(minified).encode()

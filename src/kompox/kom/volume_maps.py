"""App ``spec.composeVolumes`` and ``spec.hostPaths``: where compose volumes land (issue #20).

Both are mappings whose values name an App volume, optionally with a
sub-path: ``<volume>`` or ``<volume>/<sub/path>``.

- ``composeVolumes``: compose named volume → App volume.  Needed only when
  the documented normalisation (lower-case, ``_`` and ``.`` → ``-``, so
  ``db_data`` → ``db-data``) does not give the App volume's name, or to put
  several compose volumes on one App volume under different sub-paths.
- ``hostPaths``: absolute host path prefix → App volume.  A bind mount whose
  source is under the prefix becomes the remaining path below the target
  (``/mnt/docker-volumes/answer: data`` turns
  ``/mnt/docker-volumes/answer/db:/var/lib/db`` into sub-path ``db`` of
  volume ``data``), without editing the compose file.

The checks here run at KOM load time; messages name the field and the
allowed form.
"""

from __future__ import annotations

import posixpath
from typing import Any

from kompox.kom.resource_id import quote

VALUE_FORM = "<volume> or <volume>/<sub/path> with an App volume name and a relative sub-path without '..'"


def target_problem(value: Any, volume_names: list[str]) -> str | None:
    """Why ``value`` is not a valid ``<volume>[/<sub/path>]`` target (None when it is)."""
    if not isinstance(value, str) or not value:
        return f"must be {VALUE_FORM}"
    volume, _, sub = value.partition("/")
    if volume not in volume_names:
        known = ", ".join(volume_names) or "none"
        return f"volume {quote(volume)} is not an App volume (spec.volumes: {known})"
    if sub and (sub.startswith("/") or ".." in sub.split("/") or posixpath.normpath(sub) != sub.rstrip("/")):
        return f"sub-path {quote(sub)} must be a clean relative path without '..'"
    return None


def compose_volume_key_problem(key: str) -> str | None:
    if not key or "/" in key:
        return f"key {quote(key)} must be a compose volume name (no '/')"
    return None


def host_path_key_problem(key: str) -> str | None:
    if not key.startswith("/") or key == "/":
        return f"key {quote(key)} must be an absolute host path below / (e.g. /mnt/docker-volumes/app)"
    if ".." in key.split("/") or posixpath.normpath(key) != key:
        return f"key {quote(key)} must be a clean absolute path (no '..', no trailing '/')"
    return None

"""RefBase and the compose source of an App (converter.md §3.1).

``resolve_compose_source(compose, ref_base, read_file)`` returns the compose
text and the working directory.  The only file access is the ``read_file``
callable the caller passes (``local_file_reader`` builds one for a directory).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from kompox.domain.errors import ConfigError
from kompox.kom.fs import read_regular_file

AbsoluteReader = Callable[[str], bytes]

# Cap on the bytes read from one compose-side file (compose.yml, extends/include files, env files).
MAX_COMPOSE_FILE_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True)
class ComposeSource:
    """Compose text plus the working directory for Kompox's own file reads (``None``: no local access)."""

    text: str
    working_dir: str | None
    file: str


def check_ref_base(ref_base: str) -> str:
    """Validate RefBase; returns its scheme (``""`` for an empty RefBase)."""
    if not ref_base:
        return ""
    try:
        parsed = urlparse(ref_base)
    except ValueError as exc:
        raise ConfigError(f'invalid RefBase "{ref_base}": {exc}') from None
    if not parsed.scheme:
        raise ConfigError(f'invalid RefBase "{ref_base}": must have a scheme (file://, http://, https://)')
    if parsed.scheme not in ("file", "http", "https"):
        raise ConfigError(f'invalid RefBase "{ref_base}": unsupported scheme "{parsed.scheme}"')
    return parsed.scheme


def ref_base_dir(ref_base: str) -> str | None:
    """The local directory of a ``file://`` RefBase (``None`` for other schemes)."""
    if check_ref_base(ref_base) != "file":
        return None
    return urlparse(ref_base).path or "/"


def resolve_compose_source(compose: str, ref_base: str, read_file: AbsoluteReader | None = None) -> ComposeSource:
    """Inline text or a ``file:`` reference relative to RefBase (§3.1 item 2)."""
    scheme = check_ref_base(ref_base)
    directory = ref_base_dir(ref_base)
    if not compose.startswith("file:"):
        return ComposeSource(text=compose, working_dir=directory, file="app.compose")
    if scheme != "file" or directory is None:
        raise ConfigError(f'file: reference not allowed (RefBase: "{ref_base}")')
    rel = compose[len("file:"):]
    if rel.startswith("/"):
        raise ConfigError(f'file: reference must be relative path (got absolute path: "{rel}")')
    if ".." in rel:
        raise ConfigError(f'file: reference must not contain parent directory (..) references: "{rel}"')
    full = posixpath.join(directory, rel)
    if read_file is None:
        raise ConfigError(f'reading compose file "{full}": no file reader given')
    try:
        data = read_file(full)
    except OSError as exc:
        raise ConfigError(f'reading compose file "{full}": {exc.strerror or exc}') from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f'reading compose file "{full}": not valid UTF-8 (byte {exc.start})') from None
    return ComposeSource(text=text, working_dir=posixpath.dirname(full), file=rel)


def local_file_reader(directory: str) -> Callable[[str], bytes]:
    """A reader of files relative to ``directory`` for :func:`kompox.compose.loader.load_project`.

    Building the reader is pure; calling it reads the local filesystem, so only
    callers that own I/O (use cases, tests) should create one.
    """

    def read(path: str) -> bytes:
        full = path if posixpath.isabs(path) else posixpath.join(directory, path)
        return read_regular_file(full, MAX_COMPOSE_FILE_SIZE)

    return read

"""The project ``.env`` file (and ``--env-file``), read as docker compose reads it.

Docker compose reads ``<project dir>/.env`` (or the files given with
``--env-file``, which replace it) before loading the compose file, and uses
its variables for interpolation and for ``environment`` entries without a
value.  The grammar is compose-go's dotenv dialect:

- blank lines and lines whose first non-blank character is ``#`` are skipped
  (indented comments included); ``export`` before a key is ignored;
- ``KEY=value`` or ``KEY: value``; a key of letters, digits, ``_ . - [ ]``;
- unquoted values end at the line end, an inline `` #`` starts a comment,
  trailing blanks are trimmed; ``${VAR}`` is interpolated from the keys
  already read (and the lookup);
- ``'single'`` quotes are literal; ``"double"`` quotes may span lines,
  understand ``\\n``/``\\r`` and backslash escapes, and are interpolated;
- a key alone on its line (``KEY``) takes its value from the lookup, if any.

Upstream Kompox ignores ``.env`` entirely (its variable source is empty);
the README says what changes for a user who switches.  The process
environment is never consulted (a deploy depends only on files).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping

from kompox.compose.interpolate import InterpolationError, substitute
from kompox.domain.errors import ConfigError

Lookup = Callable[[str], str | None]
_EXPORT = re.compile(r"^export\s+")
_KEY_CHARS = frozenset("_.-[]")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _no_lookup(_: str) -> str | None:
    return None


class _Chained(Mapping[str, str]):
    """Variables read so far, then the lookup (for interpolation inside the file)."""

    def __init__(self, read: dict[str, str], lookup: Lookup) -> None:
        self.read = read
        self.lookup = lookup

    def __getitem__(self, key: str) -> str:
        if key in self.read:
            return self.read[key]
        value = self.lookup(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self.read)

    def __len__(self) -> int:
        return len(self.read)


def _expand_escapes(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        char = match.group(1)
        return {"n": "\n", "r": "\r"}.get(char, char if char != "$" else "\\$")

    return _ESCAPE.sub(one, text)


def parse_project_env(text: str, file: str, lookup: Lookup | None = None) -> dict[str, str]:
    """Parse a project env file; errors name the file and the 1-based line."""
    out: dict[str, str] = {}
    variables = _Chained(out, lookup or _no_lookup)
    rest = text.replace("\r\n", "\n")
    line = 1
    while True:
        stripped = rest.lstrip(" \t\n\r\f\v")
        line += rest[: len(rest) - len(stripped)].count("\n")
        rest = stripped
        if not rest:
            return out
        if rest.startswith("#"):
            newline = rest.find("\n")
            if newline < 0:
                return out
            rest = rest[newline:]
            continue
        if _EXPORT.match(rest):
            rest = _EXPORT.sub("", rest, count=1)
        key, sep, rest = _key(rest, file, line)
        if sep == "\n" or sep == "":
            value = variables.lookup(key)
            if value is not None:
                out[key] = value
            line += 1 if sep else 0
            continue
        rest = rest.lstrip(" \t")
        value, rest, lines = _value(rest, variables, file, line)
        out[key] = value
        line += lines


def _key(text: str, file: str, line: int) -> tuple[str, str, str]:
    for index, char in enumerate(text):
        if char in "=:\n":
            key = text[:index].rstrip()
            if not key:
                raise ConfigError(f"{file} line {line}: missing variable name before {char!r}", file=file)
            return key, char, text[index + 1 :]
        if char in " \t" or char in _KEY_CHARS or char.isalnum():
            continue
        first = text.split("\n", 1)[0]
        raise ConfigError(f'{file} line {line}: unexpected character "{char}" in variable name "{first}"', file=file)
    return text.rstrip(), "", ""


def _interpolate(value: str, variables: Mapping[str, str], file: str, line: int) -> str:
    try:
        return substitute(value, variables)
    except InterpolationError as exc:
        raise ConfigError(f"{file} line {line}: {exc.message}", file=file) from None


def _value(text: str, variables: Mapping[str, str], file: str, line: int) -> tuple[str, str, int]:
    """(value, the text after it, newlines consumed)."""
    quote = text[:1]
    if quote not in ("'", '"'):
        value, newline, rest = text.partition("\n")
        value = value.split(" #", 1)[0].rstrip()
        return _interpolate(value, variables, file, line), rest, 1 if newline else 0
    chars: list[str] = []
    escaped = False
    for index in range(1, len(text)):
        char = text[index]
        if char != quote:
            if not escaped and char == "\\":
                escaped = True
                continue
            if escaped:
                escaped = False
                chars.append("\\")
            chars.append(char)
            continue
        if escaped:
            escaped = False
            chars.append(char)
            continue
        value = "".join(chars)
        if quote == '"':
            value = _interpolate(_expand_escapes(value), variables, file, line)
        return value, text[index + 1 :], text[:index].count("\n")
    first = text.split("\n", 1)[0]
    raise ConfigError(f"{file} line {line}: unterminated quoted value {first}", file=file)


def read_project_env(read_file: Callable[[str], bytes] | None, env_files: list[str]) -> dict[str, str]:
    """The project variables: ``env_files`` in order if given, else ``.env`` when it exists.

    ``read_file`` reads a path relative to the project directory (absolute
    paths as they are).  A listed file that cannot be read is an error; a
    missing ``.env`` is not.  A later file sees and overrides earlier ones.
    """
    if read_file is None:
        return {}
    out: dict[str, str] = {}
    for path in env_files or [".env"]:
        try:
            data = read_file(path)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            if env_files:
                raise ConfigError(f"env file {path} not found", file=path, field="--env-file") from None
            continue
        except OSError as exc:
            raise ConfigError(f"reading env file {path}: {exc.strerror or exc}", file=path) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"env file {path}: not valid UTF-8", file=path) from None
        out.update(parse_project_env(text, path, dict(out).get))
    return out

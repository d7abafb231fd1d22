"""``env_file`` → the ``<app>-<component>-<service>-base`` Secret data (converter.md §13.1).

The parser is shared with ``secret env set`` (§16.4): :func:`parse_env_file`
and :func:`validate_env` are public.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from kompox.compose.model import EnvFile
from kompox.compose.scalars import go_format_float
from kompox.kube.convert.errors import ConversionError
from kompox.kube.convert.files import FileKind, FileSource, join
from kompox.kube.convert.go_format import GoUint64, go_type_name, load_yaml_go

ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_SECRET_BYTES = 1_000_000
MAX_DOTENV_LINE = 64 * 1024
_CONTROL = frozenset([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}


def parse_dotenv(text: str) -> dict[str, str]:
    """Parse dotenv text with upstream's grammar; errors name the 1-based line."""
    out: dict[str, str] = {}
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if len(line.encode("utf-8")) > MAX_DOTENV_LINE:
            raise ConversionError(f".env line {number} too long")
        if line.strip() == "" or line.lstrip().startswith("#"):
            continue  # blank and (indented) comment lines, as docker compose skips them
        if line.startswith("export "):
            line = line[len("export ") :]
        key, sep, value = line.partition("=")
        if not sep:
            raise ConversionError(f".env line {number} missing '='")
        key = key.strip()
        if not ENV_KEY.match(key):
            raise ConversionError(f'invalid env key "{key}" at line {number}')
        out[key] = _dotenv_value(value, number)
    return out


def _dotenv_value(value: str, number: int) -> str:
    if value.startswith('"'):
        if len(value) < 2 or not value.endswith('"'):
            raise ConversionError(f"unterminated double quote line {number}")
        inner = value[1:-1]
        chars: list[str] = []
        i = 0
        while i < len(inner):
            ch = inner[i]
            if ch == "\\":
                if i + 1 >= len(inner):
                    raise ConversionError(f"dangling escape line {number}")
                nxt = inner[i + 1]
                if nxt not in _ESCAPES:
                    raise ConversionError(f"unsupported escape \\{nxt} line {number}")
                chars.append(_ESCAPES[nxt])
                i += 2
                continue
            chars.append(ch)
            i += 1
        return "".join(chars)
    if value.startswith("'"):
        if len(value) < 2 or not value.endswith("'"):
            raise ConversionError(f"unterminated single quote line {number}")
        return value[1:-1]
    return value[1:] if value.startswith(" ") else value


def _scalar_text(key: str, value: Any, ext: str) -> str:
    if value is None:
        raise ConversionError(f"key {key} has null value ({ext} not allowed)")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, GoUint64):
        raise ConversionError(f"key {key} has unsupported value type uint64")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_format_float(value)
    raise ConversionError(f"key {key} has unsupported value type {go_type_name(value)}")


def parse_env_file(name: str, content: bytes) -> dict[str, str]:
    """Parse one env file; the format follows the lower-cased extension of ``name``."""
    dot = name.rfind(".")
    ext = name[dot:] if dot > name.rfind("/") and dot >= 0 else ""
    lower = ext.lower()
    text = content.decode("utf-8", errors="surrogateescape")
    if lower in (".yml", ".yaml"):
        try:
            doc = load_yaml_go(text)
        except Exception as err:
            raise ConversionError(f"parse {name}: {err}") from err
        if doc is None:
            return {}
        if not isinstance(doc, dict):
            raise ConversionError(f"{name}: env file must be a mapping")
        return {str(k): _scalar_text(str(k), v, ext) for k, v in doc.items()}
    if lower == ".json":
        try:
            doc = json.loads(text, parse_int=float)
        except ValueError as err:
            raise ConversionError(f"parse {name}: {err}") from err
        if doc is None:
            return {}
        if not isinstance(doc, dict):
            raise ConversionError(f"{name}: env file must be a JSON object")
        return {str(k): _scalar_text(str(k), v, ".json") for k, v in doc.items()}
    return parse_dotenv(text)


def validate_env(env: Mapping[str, str]) -> None:
    """Key syntax, value control characters and the 1,000,000-byte total (§13.1)."""
    total = 0
    for key, value in env.items():
        if not ENV_KEY.match(key):
            raise ConversionError(f"invalid env key {key}")
        for ch in value:
            code = ord(ch)
            if code == 0:
                raise ConversionError(f"value for {key}: contains NUL byte")
            if code in _CONTROL:
                raise ConversionError(f"value for {key}: contains control char 0x{code:02X}")
        total += len(key.encode("utf-8")) + len(value.encode("utf-8", errors="surrogateescape"))
        if total > MAX_SECRET_BYTES:
            raise ConversionError(f"secret data exceeds {MAX_SECRET_BYTES} bytes")


def merge_env_files(
    service: str, env_files: list[EnvFile], ref_base: str, working_dir: str | None, files: FileSource
) -> dict[str, str]:
    """Merged, validated env-file map of one service (later files win key by key)."""
    if not ref_base.startswith("file://"):
        raise ConversionError(f'env_file for service {service}: env_file not allowed (RefBase: "{ref_base}")')
    try:
        merged: dict[str, str] = {}
        for entry in env_files:
            path = entry.path
            if not path.strip():
                continue
            merged.update(_read_env_file(path, entry.required, working_dir, files))
        validate_env(merged)
    except ConversionError as err:
        raise ConversionError(f"env_file for service {service}: {err.message}") from err
    return merged


def _read_env_file(path: str, required: bool, working_dir: str | None, files: FileSource) -> dict[str, str]:
    if path.startswith("/"):
        raise ConversionError(f"env_file must be relative: {path}")
    if ".." in path:
        raise ConversionError(f"env_file path must not contain '..': {path}")
    full = join(working_dir, path)
    try:
        info = files.lstat(full)
    except FileNotFoundError as err:
        if not required:
            return {}
        raise ConversionError(f"env_file stat failed: lstat {full}: no such file or directory") from err
    except OSError as err:
        raise ConversionError(f"env_file stat failed: {err}") from err
    if info.kind is FileKind.SYMLINK:
        raise ConversionError(f"env_file symlink not allowed: {path}")
    if info.kind is FileKind.DIRECTORY:
        raise ConversionError(f"env_file is directory: {path}")
    if info.kind is FileKind.OTHER:
        raise ConversionError(f"env_file is not a regular file: {path}")
    try:
        data = files.read(full)
    except OSError as err:
        raise ConversionError(f"env_file read failed: {path}: {err.strerror or err}") from err
    return parse_env_file(path, data)

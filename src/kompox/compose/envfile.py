"""Env files as the converter reads them (converter.md §13.1): dotenv, JSON and YAML.

``parse_env_file(name, data)`` picks the parser from the lower-cased extension
of ``name`` (``.yml``/``.yaml`` → YAML, ``.json`` → JSON, else dotenv).
``merge_env_files`` applies the later-wins merge and the key/value checks.
All functions take bytes and names; reading files is the caller's job.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from typing import Any

from kompox.compose.scalars import go_format_float
from kompox.compose.yaml_dialect import load_documents
from kompox.domain.errors import ConfigError

_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MAX_LINE = 64 * 1024
_MAX_TOTAL = 1_000_000
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}
_INT64_MAX = 2**63 - 1


def parse_dotenv(text: str) -> dict[str, str]:
    """The line-based dotenv grammar of §13.1 (no variable expansion)."""
    result: dict[str, str] = {}
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if number == len(lines) and line == "":
            break
        if line.endswith("\r"):
            line = line[:-1]
        if len(line) > _MAX_LINE:
            raise ConfigError(f".env line {number} too long")
        if line == "" or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):]
        key, sep, value = line.partition("=")
        if not sep:
            raise ConfigError(f".env line {number} missing '='")
        key = key.strip()
        if not _KEY_RE.match(key):
            raise ConfigError(f'invalid env key "{key}" at line {number}')
        result[key] = _dotenv_value(value, number)
    return result


def _dotenv_value(value: str, number: int) -> str:
    if value.startswith('"'):
        if len(value) < 2 or not value.endswith('"'):
            raise ConfigError(f"unterminated double quote line {number}")
        inner = value[1:-1]
        out: list[str] = []
        i = 0
        while i < len(inner):
            ch = inner[i]
            if ch == "\\":
                if i + 1 >= len(inner):
                    raise ConfigError(f"dangling escape line {number}")
                esc = inner[i + 1]
                if esc not in _ESCAPES:
                    raise ConfigError(f"unsupported escape \\{esc} line {number}")
                out.append(_ESCAPES[esc])
                i += 2
                continue
            out.append(ch)
            i += 1
        return "".join(out)
    if value.startswith("'"):
        if len(value) < 2 or not value.endswith("'"):
            raise ConfigError(f"unterminated single quote line {number}")
        return value[1:-1]
    return value[1:] if value.startswith(" ") else value


def _go_type(value: Any) -> str:
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return type(value).__name__


def parse_json_env(data: bytes) -> dict[str, str]:
    try:
        doc = json.loads(data.decode("utf-8"), parse_int=float)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"invalid JSON env file: {exc}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ConfigError("JSON env file must be an object")
    result: dict[str, str] = {}
    for key, value in doc.items():
        if value is None:
            raise ConfigError(f"key {key} has null value (.json not allowed)")
        if isinstance(value, bool):
            result[key] = "true" if value else "false"
        elif isinstance(value, float):
            result[key] = go_format_float(value)
        elif isinstance(value, str):
            result[key] = value
        else:
            raise ConfigError(f"key {key} has unsupported value type {_go_type(value)}")
    return result


def parse_yaml_env(data: bytes, ext: str) -> dict[str, str]:
    docs = load_documents(data.decode("utf-8", errors="replace"), file=f"env file{ext}")
    doc = docs[0] if docs else None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ConfigError("YAML env file must be a mapping")
    result: dict[str, str] = {}
    for key, value in doc.items():
        if value is None:
            raise ConfigError(f"key {key} has null value ({ext} not allowed)")
        if isinstance(value, bool):
            result[str(key)] = "true" if value else "false"
        elif isinstance(value, int):
            if value > _INT64_MAX:
                raise ConfigError(f"key {key} has unsupported value type uint64")
            result[str(key)] = str(value)
        elif isinstance(value, float):
            result[str(key)] = go_format_float(value)
        elif isinstance(value, str):
            result[str(key)] = value
        else:
            raise ConfigError(f"key {key} has unsupported value type {_go_type(value)}")
    return result


def parse_env_file(name: str, data: bytes) -> dict[str, str]:
    """Parse one env file; the format follows the lower-cased extension of ``name``."""
    ext = posixpath.splitext(name)[1]
    low = ext.lower()
    if low in (".yml", ".yaml"):
        return parse_yaml_env(data, ext)
    if low == ".json":
        return parse_json_env(data)
    return parse_dotenv(data.decode("utf-8", errors="surrogateescape"))


def validate_env(env: dict[str, str]) -> None:
    """Key syntax, control characters and total size checks of §13.1."""
    total = 0
    for key, value in env.items():
        if not _KEY_RE.match(key):
            raise ConfigError(f"invalid env key {key}")
        for ch in value:
            code = ord(ch)
            if code == 0:
                raise ConfigError(f"value for {key}: contains NUL byte")
            if (code < 0x20 and ch not in "\t\n\r") or code == 0x7F:
                raise ConfigError(f"value for {key}: contains control char 0x{code:02X}")
        total += len(key.encode()) + len(value.encode("utf-8", errors="surrogateescape"))
        if total > _MAX_TOTAL:
            raise ConfigError(f"secret data exceeds {_MAX_TOTAL} bytes")


def merge_env_files(parsed: Iterable[dict[str, str]]) -> dict[str, str]:
    """Later files override earlier ones key by key; the result is validated."""
    merged: dict[str, str] = {}
    for env in parsed:
        merged.update(env)
    validate_env(merged)
    return merged

"""Use cases ``app logs`` and ``app exec`` (kube-and-ops.md §7, §8.1, §8.2; cli.md §10.5.5–6).

Deviations from upstream, on purpose (spec README "Upstream defects"):
``logs --follow`` follows until the stream ends or the user interrupts (no
two-minute cut), and ``exec`` returns the remote exit code instead of
turning it into exit 1.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from kompox.domain.errors import NotFoundError, ValidationError
from kompox.kube.convert import AppNames
from kompox.usecase.app_kube import AppKube

log = logging.getLogger("kompox.usecase")

DEFAULT_ESCAPE = "~."


def parse_escape(spec: str) -> bytes | None:
    """The detach sequence: ``^X`` control character, ``^^`` a caret, ``^?`` DEL, other characters as is.

    ``none`` (any case) or an empty string disables detaching (``None``).
    """
    if not spec or spec.lower() == "none":
        return None
    out = bytearray()
    i = 0
    while i < len(spec):
        char = spec[i]
        if char == "^" and i + 1 < len(spec):
            nxt = spec[i + 1]
            if nxt == "^":
                out.append(ord("^"))
            elif nxt == "?":
                out.append(127)
            else:
                out.append(nxt.encode("utf-8")[0] & 31)
            i += 2
            continue
        out.extend(char.encode("utf-8"))
        i += 1
    return bytes(out)


class EscapeFilter:
    """Withholds the bytes of a possible detach sequence; reports a complete one.

    Call with each chunk of stdin: returns ``(bytes to send, detach)``.  A
    partial match is sent as soon as the next byte shows it is not the
    sequence.
    """

    def __init__(self, sequence: bytes) -> None:
        if not sequence:
            raise ValidationError("escape sequence must not be empty")
        self.sequence = sequence
        self.held = b""

    def __call__(self, data: bytes) -> tuple[bytes, bool]:
        out = bytearray()
        for value in data:
            byte = bytes([value])
            candidate = self.held + byte
            if not self.sequence.startswith(candidate):
                out += self.held
                candidate = byte if self.sequence.startswith(byte) else b""
                if not candidate:
                    out += byte
            self.held = candidate
            if self.held == self.sequence:
                self.held = b""
                return bytes(out), True
        return bytes(out), False


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    message: str = ""


def _pod_name(kube: AppKube, names: AppNames, rule: str, container: str) -> str:
    pod = kube.find_pod(names.namespace, names.component_selector, rule=rule, container=container)
    if pod is None:
        raise NotFoundError(f"app pod not found (namespace {names.namespace}, selector {names.component_selector})")
    return str((pod.get("metadata") or {}).get("name", ""))


def app_logs(
    kube: AppKube,
    names: AppNames,
    out: BinaryIO,
    *,
    container: str = "",
    follow: bool = False,
    tail_lines: int = 200,
) -> int:
    """Copy the chosen pod's log to ``out`` (``tail_lines`` ≤ 0: all); returns the bytes copied."""
    pod = _pod_name(kube, names, "logs", container)
    log.info("UC:app.logs:Pod", extra={"attrs": {"pod": pod, "container": container, "follow": follow}})
    return kube.stream_logs(names.namespace, pod, out, container=container, follow=follow, tail_lines=tail_lines)


def app_exec(
    kube: AppKube,
    names: AppNames,
    command: Sequence[str],
    *,
    stdout: BinaryIO,
    stderr: BinaryIO | None = None,
    stdin: BinaryIO | None = None,
    tty: bool = False,
    container: str = "",
    escape: str = DEFAULT_ESCAPE,
    terminal_size: Callable[[], tuple[int, int]] | None = None,
) -> ExecResult:
    """Run ``command`` in the app pod; the result carries the remote exit code (``detached`` → 0)."""
    if not command or not command[0].strip():
        raise ValidationError("command is required after --")
    sequence = parse_escape(escape) if stdin is not None and tty else None
    pod = _pod_name(kube, names, "exec", container)
    log.info("UC:app.exec:Pod", extra={"attrs": {"pod": pod, "container": container, "tty": tty}})
    outcome = kube.exec(
        names.namespace,
        pod,
        list(command),
        container=container,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        tty=tty,
        terminal_size=terminal_size if tty else None,
        stdin_filter=EscapeFilter(sequence) if sequence else None,
    )
    if outcome.detached:
        return ExecResult(0, "detached")
    return ExecResult(outcome.exit_code)

"""HTTP transport of the kube client: one request, retries, and one-line errors.

Every request of :class:`kompox.kube.client.KubeClient` goes through
:meth:`Transport.request`.  It builds the request with the official client's
``ApiClient`` (authentication, user agent, TLS), sends it, retries transient
failures with exponential backoff and turns failures into
:class:`KubeAPIError` (a :class:`~kompox.domain.errors.ProviderAPIError`) whose
message is a single line naming what was attempted.

Retried: 429, 500, 502, 503, 504, 409 on PATCH/PUT (write conflicts; server-side
apply with force never conflicts on ownership, so a 409 there is an optimistic
concurrency conflict), and connection-level failures (reset, refused, timeout).
``Retry-After`` is honoured up to ``RetryPolicy.max_delay``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kompox.domain.errors import ProviderAPIError

log = logging.getLogger("kompox.kube")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CONNECT_TIMEOUT = 10.0
"""Upper bound for establishing a connection, also for streams that may then run forever."""
CONFLICT_RETRY_METHODS = frozenset({"PATCH", "PUT"})

JSON = "application/json"
APPLY_PATCH = "application/apply-patch+yaml"
JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"


class KubeAPIError(ProviderAPIError):
    """A Kubernetes API request failed; ``status_code`` is ``None`` when no answer came back."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        reason: str = "",
        verb: str = "",
        resource: str = "",
        name: str = "",
        namespace: str = "",
        server_message: str = "",
    ) -> None:
        super().__init__(message, status_code=status_code, error_code=reason or None)
        self.reason = reason
        self.verb = verb
        self.resource = resource
        self.name = name
        self.namespace = namespace
        self.server_message = server_message

    def reworded(self, message: str) -> KubeAPIError:
        """The same failure (status, reason, request, server message) under a new message."""
        return KubeAPIError(
            message,
            status_code=self.status_code,
            reason=self.reason,
            verb=self.verb,
            resource=self.resource,
            name=self.name,
            namespace=self.namespace,
            server_message=self.server_message,
        )


def is_not_found(exc: BaseException) -> bool:
    return isinstance(exc, KubeAPIError) and exc.status_code == 404


@dataclass
class RetryPolicy:
    """``attempts`` tries in total; delays ``base_delay * 2**n`` capped at ``max_delay``."""

    attempts: int = 5
    base_delay: float = 0.25
    max_delay: float = 5.0
    sleep: Callable[[float], None] = field(default=time.sleep)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        backoff = min(float(self.max_delay), float(self.base_delay) * (2.0**attempt))
        if retry_after is not None:
            return min(float(self.max_delay), max(backoff, retry_after))
        return backoff


@dataclass(frozen=True)
class RequestTarget:
    """What a request addresses, derived from its path, for messages."""

    verb: str
    resource: str
    namespace: str = ""
    name: str = ""
    subresource: str = ""

    def describe(self) -> str:
        what = self.resource + (f"/{self.subresource}" if self.subresource else "")
        text = f"{self.verb} {what}"
        if self.name:
            text += f' "{self.name}"'
        if self.namespace:
            text += f' in namespace "{self.namespace}"'
        return text


def describe_request(method: str, path: str, query: Sequence[tuple[str, str]] = ()) -> RequestTarget:
    """Kubernetes verb and resource of a REST request (``GET /api/v1/namespaces/a/pods`` → list pods)."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    if parts[:1] == ["api"]:
        rest = parts[2:]
    elif parts[:1] == ["apis"]:
        rest = parts[3:]
    else:
        return RequestTarget(method.lower(), path)
    namespace = ""
    if len(rest) >= 2 and rest[0] == "namespaces" and len(rest) > 2:
        namespace, rest = rest[1], rest[2:]
    resource = rest[0] if rest else path
    name = rest[1] if len(rest) > 1 else ""
    sub = "/".join(rest[2:])
    watch = any(k == "watch" and v in ("true", "1") for k, v in query)
    verb = {
        "GET": "watch" if watch else ("get" if name else "list"),
        "POST": "create",
        "PUT": "update",
        "PATCH": "patch",
        "DELETE": "delete" if name else "deletecollection",
    }.get(method.upper(), method.lower())
    return RequestTarget(verb, resource, namespace, name, sub)


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    raw: Any = None  # urllib3.HTTPResponse when streaming

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def status_message(body: bytes) -> tuple[str, str]:
    """``(reason, message)`` of a Kubernetes ``Status`` body; raw text when not JSON."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        text = body.decode("utf-8", "replace").strip().splitlines()
        return "", text[0][:300] if text else ""
    if isinstance(doc, dict):
        return str(doc.get("reason", "")), str(doc.get("message", ""))
    return "", ""


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After") or headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class Transport:
    """Sends REST requests through an ``ApiClient`` with retries and clear errors."""

    def __init__(self, api_client: Any, server: str, *, timeout: float, retry: RetryPolicy) -> None:
        self.api_client = api_client
        self.server = server
        self.timeout = timeout
        self.retry = retry
        self.request_count = 0

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Sequence[tuple[str, str]] = (),
        body: Any = None,
        content_type: str = JSON,
        stream: bool = False,
        timeout: float | None = -1.0,
        retry: bool = True,
        ok_statuses: frozenset[int] = frozenset(),
    ) -> Response:
        """Send one request; return the answer or raise :class:`KubeAPIError`.

        ``timeout=-1`` uses the client default, ``None`` waits forever (follow
        streams).  Statuses in ``ok_statuses`` are returned instead of raised.
        """
        import urllib3
        from kubernetes.client.exceptions import ApiException

        target = describe_request(method, path, query)
        effective = self.timeout if timeout is not None and timeout < 0 else timeout
        # (connect, read): a black-holed server fails within CONNECT_TIMEOUT per attempt, and a
        # follow stream (no read timeout) still cannot hang on connecting.
        limits = (min(effective, CONNECT_TIMEOUT) if effective else CONNECT_TIMEOUT, effective)
        headers = {"Accept": "application/json", "Content-Type": content_type}
        attempts = max(1, self.retry.attempts if retry else 1)
        last: KubeAPIError | None = None
        started = time.monotonic()
        for attempt in range(attempts):
            _, url, header_params, serialized, _ = self.api_client.param_serialize(
                method,
                path,
                query_params=list(query) or None,
                header_params=dict(headers),
                body=body,
                auth_settings=["BearerToken"],
            )
            self.request_count += 1
            try:
                answer = self.api_client.call_api(
                    method, url, header_params=header_params, body=serialized, _request_timeout=limits
                )
            except (urllib3.exceptions.HTTPError, ApiException, OSError) as exc:
                last = self._connection_error(target, exc, time.monotonic() - started, attempt + 1)
                log.debug("kube request failed: %s (%s)", target.describe(), type(exc).__name__)
                if attempt + 1 < attempts:
                    self.retry.sleep(self.retry.delay(attempt))
                    continue
                raise last from None
            raw = answer.response
            status = int(answer.status)
            resp_headers = dict(raw.headers.items()) if raw is not None else {}
            if 200 <= status < 300 or status in ok_statuses:
                if stream:
                    return Response(status, resp_headers, raw=raw)
                return Response(status, resp_headers, body=answer.read() or b"")
            payload = answer.read() or b""
            last = self._status_error(target, status, payload)
            retryable = status in RETRY_STATUSES or (status == 409 and method.upper() in CONFLICT_RETRY_METHODS)
            if retryable and attempt + 1 < attempts:
                log.debug("kube request retry: %s → %s", target.describe(), status)
                self.retry.sleep(self.retry.delay(attempt, _retry_after(resp_headers)))
                continue
            if retryable and attempts > 1:
                last = last.reworded(f"{last} (gave up after {attempts} attempts)")
            raise last
        assert last is not None  # pragma: no cover - loop always returns or raises
        raise last  # pragma: no cover

    def _status_error(self, target: RequestTarget, status: int, payload: bytes) -> KubeAPIError:
        reason, message = status_message(payload)
        if status in (401, 403):
            label = "unauthorized" if status == 401 else "forbidden"
            text = f"Kubernetes API server {self.server} refused to {target.describe()}: {status} {label}"
        else:
            text = f"{target.describe()}: {status} {reason or 'error'}"
        if message:
            text += f": {message}"
        return KubeAPIError(
            " ".join(text.split()),
            status_code=status,
            reason=reason,
            verb=target.verb,
            resource=target.resource,
            name=target.name,
            namespace=target.namespace,
            server_message=message,
        )

    def _connection_error(
        self, target: RequestTarget, exc: BaseException, elapsed: float, attempts: int
    ) -> KubeAPIError:
        """No answer came back; the message names the time really spent, not the configured timeout."""
        cause = exc
        reason = getattr(exc, "reason", None)
        if isinstance(reason, BaseException):
            cause = reason
        detail = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
        tries = f"{attempts} attempt" + ("s" if attempts != 1 else "")
        text = (
            f"cannot reach Kubernetes API server {self.server} to {target.describe()}: {detail} "
            f"(gave up after {elapsed:.1f}s, {tries})"
        )
        return KubeAPIError(
            " ".join(text.split()),
            verb=target.verb,
            resource=target.resource,
            name=target.name,
            namespace=target.namespace,
        )

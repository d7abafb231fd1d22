"""Recorded ARM exchanges (request → response JSON) in the Azure SDK test-proxy format, and their replay.

A recording is a JSON file ``{"Entries": [...], "Variables": {}}`` whose
entries carry ``RequestUri``, ``RequestMethod``, ``RequestHeaders``,
``RequestBody``, ``StatusCode``, ``ResponseHeaders`` and ``ResponseBody`` - the
shape the Azure SDK test proxy writes (bodies as JSON when they are JSON), so
recordings made against real Azure (``RecordingAdapter``, used by the opt-in
e2e under ``tests/e2e/aks-volumes``) can be dropped into
``tests/providers/aks/recordings/`` and

* replayed to the real SDK clients and the driver (:class:`ReplayARM`: every
  request must match the next entry, method and path), and
* checked against the strict fakes (:func:`conformance`: the fake must answer
  each recorded request with the recorded outcome - a success, or the same
  status and ARM error code).

Recordings are sanitised when written: the subscription id becomes
:data:`ZERO_SUB`, only the headers the clients act on are kept, and no
``Authorization`` header or token is ever stored.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from .fake_arm import FakeARM, Reply, Seen, error

ZERO_SUB = "00000000-0000-0000-0000-000000000000"
KEPT_RESPONSE_HEADERS = ("Content-Type", "Location", "Azure-AsyncOperation", "Retry-After")
KEPT_REQUEST_HEADERS = ("Content-Type",)
UNMODELLED = re.compile(
    r"/operations|asyncoperations|operationresults|operationstatuses|/locations/|"
    r"/providers/microsoft\.resources/deployments|/providers/microsoft\.containerservice$|"
    r"/managedclusters/[^/]+$|/listclusteradmincredential|/roleassignments",
    re.IGNORECASE,
)
"""Recorded requests :func:`conformance` does not send to the fakes: operation polls (their ids differ),
template deployments and clusters (not modelled), role assignments (the fake's ids are its own)."""
_SUB = re.compile(r"(/subscriptions/)([0-9a-fA-F-]{36})", re.IGNORECASE)


@dataclass
class Entry:
    method: str
    uri: str
    status: int
    request_body: Any = None
    response_body: Any = None
    request_headers: dict[str, str] = field(default_factory=dict)
    response_headers: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return urlsplit(self.uri).path

    @property
    def error_code(self) -> str | None:
        body = self.response_body
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            code = body["error"].get("code")
            return code if isinstance(code, str) else None
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "RequestUri": self.uri,
            "RequestMethod": self.method,
            "RequestHeaders": self.request_headers,
            "RequestBody": self.request_body,
            "StatusCode": self.status,
            "ResponseHeaders": self.response_headers,
            "ResponseBody": self.response_body,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        return cls(
            method=str(data["RequestMethod"]).upper(),
            uri=str(data["RequestUri"]),
            status=int(data["StatusCode"]),
            request_body=data.get("RequestBody"),
            response_body=data.get("ResponseBody"),
            request_headers=dict(data.get("RequestHeaders") or {}),
            response_headers=dict(data.get("ResponseHeaders") or {}),
        )


@dataclass
class Recording:
    entries: list[Entry] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    comment: str = ""

    @classmethod
    def load(cls, path: Path) -> Recording:
        data = json.loads(path.read_text())
        return cls(
            entries=[Entry.from_json(e) for e in data["Entries"]],
            variables=dict(data.get("Variables") or {}),
            comment=str(data.get("Comment", "")),
        )

    def save(self, path: Path) -> None:
        data: dict[str, Any] = {}
        if self.comment:
            data["Comment"] = self.comment
        data["Entries"] = [e.to_json() for e in self.entries]
        data["Variables"] = self.variables
        path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")


def sanitize(text: str) -> str:
    """Replace subscription ids by :data:`ZERO_SUB` (ids, URIs, bodies)."""
    return _SUB.sub(lambda m: m.group(1) + ZERO_SUB, text)


def _json_or_text(raw: bytes | str | None) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        return json.loads(sanitize(text))
    except ValueError:
        return sanitize(text)


def _kept(headers: Any, names: tuple[str, ...]) -> dict[str, str]:
    lowered = {str(k).lower(): str(v) for k, v in dict(headers).items()}
    return {name: sanitize(lowered[name.lower()]) for name in names if name.lower() in lowered}


class RecordingAdapter(HTTPAdapter):
    """A real HTTPS adapter that appends every exchange, sanitised, to :attr:`recording`."""

    def __init__(self) -> None:
        super().__init__()
        self.recording = Recording()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = super().send(request, **kwargs)
        content = response.content  # read once; requests keeps it for the caller
        self.recording.entries.append(
            Entry(
                method=str(request.method),
                uri=sanitize(str(request.url)),
                status=response.status_code,
                request_body=_json_or_text(request.body),
                response_body=_json_or_text(content),
                request_headers=_kept(request.headers, KEPT_REQUEST_HEADERS),
                response_headers=_kept(response.headers, KEPT_RESPONSE_HEADERS),
            )
        )
        return response


class ReplayARM(FakeARM):
    """Answers each request with the next recorded entry; a request that does not match it is a 501.

    Matching is on method and path (case-insensitive) and, when recorded, the
    ``api-version``.  :attr:`mismatches` lists the requests that did not match.
    """

    def __init__(self, recording: Recording) -> None:
        super().__init__()
        self.pending = list(recording.entries)
        self.mismatches: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(str(request.url))
        body = json.loads(request.body) if request.body else None
        self.requests.append(Seen(str(request.method), str(request.url), parts.path, {}, body, dict(request.headers)))
        if not self.pending:
            self.mismatches.append(f"{request.method} {parts.path}: recording exhausted")
            return self._response(request, error(501, "ReplayExhausted", f"{request.method} {parts.path}"))
        entry = self.pending[0]
        wanted_version = re.search(r"api-version=([^&]+)", entry.uri)
        got_version = re.search(r"api-version=([^&]+)", parts.query)
        same_version = wanted_version is None or (
            got_version is not None and got_version.group(1) == wanted_version.group(1)
        )
        if entry.method != request.method or entry.path.lower() != parts.path.lower() or not same_version:
            self.mismatches.append(f"{request.method} {request.url} != recorded {entry.method} {entry.uri}")
            return self._response(request, error(501, "ReplayMismatch", f"expected {entry.method} {entry.path}"))
        self.pending.pop(0)
        return self._response(request, Reply(entry.status, entry.response_body, dict(entry.response_headers)))


def conformance(recording: Recording, fake: FakeARM) -> list[str]:
    """Disagreements of ``fake`` with ``recording``: each recorded request is sent to the fake in order.

    Long-running-operation polls (URLs outside ``/subscriptions/``) are skipped
    (their ids differ).  A recorded success needs a fake success (any 2xx); a
    recorded failure needs the same status and ARM error code.
    """
    problems: list[str] = []
    session = requests.Session()
    session.mount("https://", fake)
    for number, entry in enumerate(recording.entries):
        if not entry.path.lower().startswith("/subscriptions/") or UNMODELLED.search(entry.path):
            continue
        data = None if entry.request_body is None else json.dumps(entry.request_body)
        headers = {"Content-Type": "application/json"} if data is not None else {}
        answer = session.request(entry.method, entry.uri, data=data, headers=headers)
        got_code = None
        if answer.content:
            parsed = json.loads(io.BytesIO(answer.content).read() or b"null")
            if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
                got_code = parsed["error"].get("code")
        where = f"#{number} {entry.method} {entry.path}"
        if entry.status < 400:
            if answer.status_code >= 400:
                problems.append(f"{where}: recorded {entry.status}, fake {answer.status_code} {got_code}")
        elif (answer.status_code, got_code) != (entry.status, entry.error_code):
            problems.append(
                f"{where}: recorded {entry.status} {entry.error_code}, fake {answer.status_code} {got_code}"
            )
    return problems

"""A fake Azure Resource Manager behind the real azure-core ``RequestsTransport``.

Routes match on HTTP method and a case-insensitive path regex; each route
answers with its queued responses in order (the last one repeats).  Every
request is recorded with its parsed query and JSON body so tests can assert on
what the real SDK clients sent.
"""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from azure.core.credentials import AccessToken
from azure.core.pipeline.transport import RequestsTransport
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.response import HTTPResponse

BASE = "https://management.azure.com"


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    url: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]

    @property
    def api_version(self) -> str:
        return self.query.get("api-version", "")


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    replies: list[Reply]
    hits: int = 0


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message}}, headers or {})


def throttled() -> Reply:
    return error(429, "TooManyRequests", "slow down", {"Retry-After": "0"})


class FakeARM(BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.routes: list[_Route] = []
        self.requests: list[Seen] = []

    # configuration
    def on(self, method: str, path: str, *replies: Reply) -> FakeARM:
        """Queue replies for ``method path``; queuing on an existing route appends to its queue."""
        for route in self.routes:
            if route.method == method.upper() and route.pattern.pattern == path:
                route.replies.extend(replies)
                return self
        self.routes.append(_Route(method.upper(), re.compile(path, re.IGNORECASE), list(replies) or [Reply()]))
        return self

    def lro_put(self, path: str, final: Any, *, running: int = 1, status: int = 201) -> FakeARM:
        """PUT answered with ``Azure-AsyncOperation``; the operation runs ``running`` polls, then succeeds."""
        op = f"{BASE}/fakeops/{len(self.routes)}"
        self.on("PUT", path, Reply(status, final, {"Azure-AsyncOperation": op, "Retry-After": "0"}))
        self.on("GET", f"/fakeops/{len(self.routes) - 1}", *self._op_replies(running, "Succeeded"))
        self.on("GET", path, Reply(200, final))
        return self

    def lro_delete(self, path: str, *, running: int = 1) -> FakeARM:
        """DELETE answered 202 with ``Location``; the location answers 202 ``running`` times, then 200."""
        loc = f"{BASE}/fakeloc/{len(self.routes)}"
        self.on("DELETE", path, Reply(202, None, {"Location": loc, "Retry-After": "0"}))
        self.on(
            "GET",
            f"/fakeloc/{len(self.routes) - 1}",
            *([Reply(202, None, {"Retry-After": "0"})] * running + [Reply(200)]),
        )
        return self

    @staticmethod
    def _op_replies(running: int, final: str, err: Any = None) -> list[Reply]:
        body: dict[str, Any] = {"status": final}
        if err is not None:
            body["error"] = err
        return [Reply(200, {"status": "Running"}, {"Retry-After": "0"})] * running + [Reply(200, body)]

    def lro_put_failing(self, path: str, err: dict[str, Any]) -> FakeARM:
        op = f"{BASE}/fakeops/{len(self.routes)}"
        self.on(
            "PUT", path, Reply(201, {"properties": {"provisioningState": "Accepted"}}, {"Azure-AsyncOperation": op})
        )
        self.on("GET", f"/fakeops/{len(self.routes) - 1}", *self._op_replies(1, "Failed", err))
        return self

    # queries
    def seen(self, method: str | None = None, path: str | None = None) -> list[Seen]:
        rx = re.compile(path, re.IGNORECASE) if path else None
        return [
            r
            for r in self.requests
            if (method is None or r.method == method.upper()) and (rx is None or rx.search(r.path))
        ]

    def writes(self) -> list[Seen]:
        return [r for r in self.requests if r.method in ("PUT", "PATCH", "DELETE", "POST")]

    # requests adapter
    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(str(request.url))
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        raw = request.body
        body = json.loads(raw) if raw else None
        self.requests.append(
            Seen(str(request.method), str(request.url), parts.path, query, body, dict(request.headers))
        )
        for route in self.routes:
            if route.method == request.method and route.pattern.fullmatch(parts.path):
                reply = route.replies[min(route.hits, len(route.replies) - 1)]
                route.hits += 1
                return self._response(request, reply)
        return self._response(request, error(501, "FakeNoRoute", f"{request.method} {parts.path}"))

    @staticmethod
    def _response(request: requests.PreparedRequest, reply: Reply) -> requests.Response:
        resp = requests.Response()
        resp.status_code = reply.status
        resp.reason = "fake"
        headers = {"Content-Type": "application/json", "x-ms-request-id": "fake"}
        headers.update(reply.headers)
        resp.headers = CaseInsensitiveDict(headers)
        content = b"" if reply.body is None else json.dumps(reply.body).encode()
        resp.raw = HTTPResponse(body=io.BytesIO(content), headers=headers, status=reply.status, preload_content=False)
        resp._content = content
        resp.encoding = "utf-8"
        resp.url = str(request.url)
        resp.request = request
        return resp

    def close(self) -> None:
        pass

    def transport(self) -> RequestsTransport:
        session = requests.Session()
        session.mount("https://", self)
        return RequestsTransport(session=session, session_owner=False)


class FakeCredential:
    def __init__(self) -> None:
        self.scopes: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken("fake-token", int(time.time()) + 3600)


def client_kwargs(fake: FakeARM) -> dict[str, Any]:
    """Real pipelines with fast retries and polling."""
    return {
        "transport": fake.transport(),
        "retry_total": 3,
        "retry_backoff_factor": 0.0,
        "retry_backoff_max": 0,
        "polling_interval": 0,
    }

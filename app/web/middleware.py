"""Pure ASGI middleware: security headers on every response, one key=value log line per request."""
from __future__ import annotations

import json
import logging
import time

log = logging.getLogger("podclaims.access")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
IMMUTABLE = (b"cache-control", b"public, max-age=31536000, immutable")


class SecurityHeadersMiddleware:
    """CSP (own scripts and styles only, no inline script) and friends, and Server-Timing, on every response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        versioned_static = scope["path"].startswith("/static/") and b"v=" in scope.get("query_string", b"")
        started = time.perf_counter()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] not in {k for k, _ in SECURITY_HEADERS}]
                headers += SECURITY_HEADERS
                # how long the app took to start answering (bench/web.py reads it; so do browsers' devtools)
                headers.append((b"server-timing", b"app;dur=%.2f" % ((time.perf_counter() - started) * 1000)))
                if versioned_static and message["status"] == 200:
                    headers = [h for h in headers if h[0] != b"cache-control"] + [IMMUTABLE]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadMiddleware:
    """HEAD is GET without the body (FastAPI routes declare GET only); the site is read-only."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def send_headers_only(message):
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def _quote(value: str) -> str:
    if value and all(c.isalnum() or c in "-_./:%=&+,;?" for c in value):
        return value
    return json.dumps(value, ensure_ascii=False)  # quotes, backslashes and newlines escaped


class RequestLogMiddleware:
    """`method=GET path=/claims query=… status=200 ms=1.23 bytes=4567 hx=1` per request."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        state = {"status": 500, "bytes": 0}

        async def send_counting(message):
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_counting)
        finally:
            headers = dict(scope.get("headers", ()))
            hx = "restore" if b"hx-history-restore-request" in headers else ("1" if b"hx-request" in headers else "0")
            query = scope.get("query_string", b"").decode("latin-1")
            log.info("method=%s path=%s query=%s status=%d ms=%.2f bytes=%d hx=%s",
                     scope["method"], _quote(scope["path"]), _quote(query), state["status"],
                     (time.perf_counter() - started) * 1000, state["bytes"], hx)

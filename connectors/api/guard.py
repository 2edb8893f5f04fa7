"""Two ASGI middlewares in front of every route: a limit on the request body, and rate limits.

- BodyLimit: a body larger than the limit gets 413, whether it says its length up front
  (Content-Length) or streams it in chunks. The Telegram webhook has its own, larger limit.
- RateLimits: per client address (every request but static files and /health), per chat session
  (POST /api/chat and the form POST /chat, by their session_id) and for /beheer login attempts
  (per address). A refused request gets 429 with Retry-After and one Dutch sentence.

A chat message that shows crisis signs is never refused by the session limit: the resident gets the
crisis lines even when typing fast. The per-address limit still applies to it.

The client address is the socket's peer, or what a trusted proxy says in X-Forwarded-For (proxies.py);
never a header the client sets itself. The exemption (loopback by default, for local tools and
evaluation) holds for the real peer only: a request a proxy forwarded is never exempt, whatever address
its header names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from connectors.api import refusal
from connectors.api.proxies import FORWARDED_KEY, PEER_KEY
from connectors.api.ratelimit import RateLimiter, retry_after
from connectors.api.settings import Limits

TELEGRAM_WEBHOOK = "/telegram/webhook"  # checks its own size (1 MB) and secret; Telegram's servers share addresses
NOT_LIMITED_PATHS = frozenset({"/health", "/widget.js", "/favicon.ico", TELEGRAM_WEBHOOK})
NOT_LIMITED_PREFIXES = ("/static/",)
CHAT_PATHS = frozenset({"/api/chat", "/chat"})
LOGIN_PATH = "/beheer/login"
MAX_SESSION_CHARS = 100

CrisisCheck = Callable[[str], bool]


class BodyTooLarge(HTTPException):
    """Raised while the body is read; FastAPI lets HTTPExceptions through, so the error handlers answer 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, refusal.too_large(limit))


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == TELEGRAM_WEBHOOK:
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await refusal.refusal(scope, 413, refusal.too_large(self.max_bytes))(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await refusal.refusal(scope, 413, refusal.too_large(self.max_bytes))(scope, receive, send)


class RateLimits:
    def __init__(self, app: ASGIApp, limits: Limits, crisis: CrisisCheck | None = None) -> None:
        self.app = app
        self.exempt = limits.exempt
        self.per_address = RateLimiter(limits.address_per_minute)
        self.per_session = RateLimiter(limits.session_per_minute)
        self.logins = RateLimiter(limits.login_per_minute)
        self.crisis = crisis or (lambda message: False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        address = _client(scope)
        limited_address = address is not None and not self._exempt(scope, address) and not _static(path)
        if limited_address:
            wait = self.per_address.take(f"a:{address}")
            if wait:
                await _refuse(scope, receive, send, wait, refusal.too_many_requests)
                return
        if limited_address and method == "POST" and path == LOGIN_PATH:
            wait = self.logins.take(f"l:{address}")
            if wait:
                await _refuse(scope, receive, send, wait, refusal.too_many_logins)
                return
        if method == "POST" and path in CHAT_PATHS and self.per_session.enabled:
            body, disconnected = await _read_body(receive)
            if disconnected:
                return
            receive = _replay(body, receive)
            session, message = _chat_fields(scope, body)
            if session is not None:
                # the conversation's id: the same window when the API re-signs the token (sessions.py)
                wait = self.per_session.take(f"s:{session.partition('.')[0]}")
                if wait and not self._is_crisis(message):
                    await _refuse(scope, receive, send, wait, refusal.too_many_messages)
                    return
        await self.app(scope, receive, send)

    def _exempt(self, scope: Scope, address: str) -> bool:
        if scope.get(FORWARDED_KEY):
            return False
        return str(scope.get(PEER_KEY) or address) in self.exempt

    def _is_crisis(self, message: str | None) -> bool:
        try:
            return bool(message) and self.crisis(message or "")
        except Exception:  # the state is not there yet (start-up): no exception to the limit
            return False


async def _refuse(scope: Scope, receive: Receive, send: Send, wait: float, sentence: Callable[[int], str]) -> None:
    """429 with Retry-After (whole seconds) and the sentence, which names the wait."""
    seconds = retry_after(wait)
    await refusal.refusal(scope, 429, sentence(seconds), seconds)(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return str(value.decode("latin-1").strip())
    return None


def _client(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


def _static(path: str) -> bool:
    return path in NOT_LIMITED_PATHS or path.startswith(NOT_LIMITED_PREFIXES)


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The whole body (the BodyLimit outside keeps it small); True when the client went away meanwhile."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"", True
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), False


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the route the body read here, then passes on (e.g. a disconnect)."""
    done = False

    async def again() -> Message:
        nonlocal done
        if not done:
            done = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


def _chat_fields(scope: Scope, body: bytes) -> tuple[str | None, str | None]:
    """session_id and message of a chat request (JSON for /api/chat, a form for /chat); None when absent.
    A request without a session_id gets a new conversation from the route, so no session limit applies."""
    content_type = (_header(scope, b"content-type") or "").lower()
    data: dict[str, Any] = {}
    if "application/x-www-form-urlencoded" in content_type:
        data = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    else:
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python parses: the route says so
            return None, None
        data = parsed if isinstance(parsed, dict) else {}
    session, message = data.get("session_id"), data.get("message")
    session = session.strip() if isinstance(session, str) else None
    if not session or len(session) > MAX_SESSION_CHARS:
        session = None
    return session, message if isinstance(message, str) else None

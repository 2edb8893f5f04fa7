"""A conversation belongs to the client it was given to: the API issues every session itself.

A session token is `<id>.<signature>`: a random id (128 bits) and an HMAC of it under the session key
(wegwijzer.privacy.keys). A client cannot choose an id, guess one, or reuse one it saw in an example;
a `session_id` that does not carry a valid signature starts a new conversation.

In a browser the token is also bound to the client: the pages and the chat set a random cookie
(`wegwijzer_klant`, HttpOnly, SameSite=Lax, Secure over https) and a token issued to a request that
carried it is signed together with it; such a token works only with that cookie, so a token copied to
another browser starts a new conversation there. A client without cookies (a script, or the widget frame
where the browser keeps third-party cookies away) gets a token signed without one: that works, like any
bearer token, for whoever holds it. When such a token comes back with the cookie, the answer carries a
token bound to it for the same conversation, and the binding is written to the records database (a keyed hash
of the id, `Bindings`): from then on the token without that cookie starts a new conversation, in every API
process and after a restart. When the database cannot be read, an unbound token starts a new conversation;
when it cannot be written, the token stays unbound (as for a client without cookies).

Rasa never sees the token nor the id: the assistant client sends a keyed hash of the id.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from fastapi import Request, Response

log = logging.getLogger("wegwijzer.api.sessions")

COOKIE = "wegwijzer_klant"
_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{22,64}")


@dataclass(frozen=True)
class Session:
    id: str  # the conversation (sent on to the assistant, which hashes it for Rasa)
    token: str  # what the client keeps and sends back
    new: bool  # True when this request started the conversation


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class Bindings(Protocol):
    """Where the API remembers which sessions are bound to a browser (wegwijzer.records.RecordStore)."""

    def bind_session(self, marker: str) -> None: ...

    def session_bound(self, marker: str) -> bool: ...


class Sessions:
    def __init__(self, key: bytes, bindings: Callable[[], Bindings] | None = None) -> None:
        self.key = key
        self.bindings = bindings  # opened on first use; None: a token issued without a cookie is never bound

    def _marker(self, session_id: str) -> str:
        return _b64(hmac.new(self.key, f"wegwijzer-bound:{session_id}".encode(), hashlib.sha256).digest()[:16])

    def _bound(self, session_id: str) -> bool:
        if self.bindings is None:
            return False
        try:
            return self.bindings().session_bound(self._marker(session_id))
        except Exception as error:  # the database is down: the token alone proves too little now
            log.warning("Binding van sessie niet te lezen (%s): nieuw gesprek", type(error).__name__)
            return True

    def _bind(self, session_id: str) -> bool:
        if self.bindings is None:
            return False
        try:
            self.bindings().bind_session(self._marker(session_id))
            return True
        except Exception as error:  # not written: the token stays as it is, unbound
            log.warning("Binding van sessie niet opgeslagen (%s)", type(error).__name__)
            return False

    def _signature(self, session_id: str, client: str) -> str:
        message = f"wegwijzer-session:{session_id}:{client}".encode()
        return _b64(hmac.new(self.key, message, hashlib.sha256).digest()[:16])

    def token(self, session_id: str, client: str | None) -> str:
        return f"{session_id}.{self._signature(session_id, client or '')}"

    def resolve(self, token: str | None, client: str | None) -> Session:
        """The conversation the token proves, or a new one (bound to the client's cookie if it sent one). May read
        and write the bindings' database: call it from a worker thread in async code."""
        client = client if client and _COOKIE_VALUE.fullmatch(client) else None
        session_id, _, signature = (token or "").partition(".")
        if _ID.fullmatch(session_id) and signature:
            if client and hmac.compare_digest(signature, self._signature(session_id, client)):
                return Session(session_id, token or "", new=False)
            if hmac.compare_digest(signature, self._signature(session_id, "")) and not self._bound(session_id):
                if client and self._bind(session_id):
                    return Session(session_id, self.token(session_id, client), new=False)
                return Session(session_id, token or "", new=False)
        session_id = _b64(secrets.token_bytes(16))
        return Session(session_id, self.token(session_id, client), new=True)


def client_cookie(request: Request) -> str | None:
    value = request.cookies.get(COOKIE)
    return value if value and _COOKIE_VALUE.fullmatch(value) else None


def give_client_cookie(request: Request, response: Response) -> None:
    """The client's random cookie, when it has none yet (a browser session: it ends with the browser)."""
    if client_cookie(request) is None:
        response.set_cookie(
            COOKIE,
            _b64(secrets.token_bytes(16)),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )

"""The /beheer token: from WEGWIJZER_ADMIN_TOKEN, given as a Bearer header or via a login form that sets a cookie.

The cookie holds no token: it holds an expiry and an HMAC of it keyed with the token, so it stops working when the
token changes or the time is up. Every comparison is hmac.compare_digest.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from fastapi import Request

from wegwijzer.settings import load_settings

TOKEN_ENV = "WEGWIJZER_ADMIN_TOKEN"
MIN_TOKEN_CHARS = 16
COOKIE = "wegwijzer_beheer"
SESSION_SECONDS = 8 * 3600


class NotConfigured(Exception):
    """No usable token: the admin pages are switched off. The message says how to switch them on."""


def configured_token() -> str:
    token = (load_settings().admin_token or "").strip()
    if not token:
        raise NotConfigured(f"Beheer staat uit: zet {TOKEN_ENV} in de omgeving van de server.")
    if len(token) < MIN_TOKEN_CHARS:
        raise NotConfigured(f"Beheer staat uit: {TOKEN_ENV} moet minstens {MIN_TOKEN_CHARS} tekens lang zijn.")
    return token


def token_matches(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def _signature(token: str, expires: int) -> str:
    return hmac.new(token.encode("utf-8"), f"wegwijzer-beheer|{expires}".encode(), hashlib.sha256).hexdigest()


def session_cookie(token: str, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + SESSION_SECONDS)
    return f"{expires}.{_signature(token, expires)}"


def cookie_valid(value: str, token: str, now: float | None = None) -> bool:
    expires_text, _, signature = value.partition(".")
    if not expires_text.isdigit() or not signature:
        return False
    expires = int(expires_text)
    if expires < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(signature.encode("ascii", "replace"), _signature(token, expires).encode("ascii"))


def is_authorised(request: Request, token: str) -> bool:
    """A Bearer header with the token, or a valid session cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() == "bearer" and given.strip():
        return token_matches(given.strip(), token)
    cookie = request.cookies.get(COOKIE)
    return bool(cookie) and cookie_valid(cookie, token)

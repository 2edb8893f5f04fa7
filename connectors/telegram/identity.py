"""A pseudonym for a Telegram user: the session id and the store key, never the raw user id."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(user_id: int, key: str) -> str:
    """HMAC-SHA256 of the user id under a secret key (the bot token), so it cannot be reversed by
    trying every possible id. Stable for as long as the key stays the same."""
    digest = hmac.new(key.encode("utf-8"), f"telegram-user:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"tg-{digest[:24]}"

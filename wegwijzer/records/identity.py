"""Conversations are stored under a keyed hash of the channel's sender id, never the id itself.

A plain hash of a Telegram user id can be reversed by trying all ids; a keyed hash (HMAC-SHA256) cannot without
the key. The key comes from WEGWIJZER_RECORDS_KEY, or is created once in var/records.key (mode 0600). Every
process that writes records for the same conversations (replicas of the action server) needs the same key: set
the variable when they do not share var/.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from wegwijzer.paths import var_dir
from wegwijzer.settings import load_settings

HASH_CHARS = 32  # 128 bits


def key_file() -> Path:
    return var_dir() / "records.key"


def load_key() -> bytes:
    from_env = (load_settings().records_key or "").strip()
    if from_env:
        return from_env.encode("utf-8")
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it just now
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def conversation_hash(sender_id: str, key: bytes) -> str:
    return hmac.new(key, sender_id.encode("utf-8"), hashlib.sha256).hexdigest()[:HASH_CHARS]

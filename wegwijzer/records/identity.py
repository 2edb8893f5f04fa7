"""Conversations are stored under a keyed hash of the channel's sender id, never the id itself.

A plain hash of a Telegram user id can be reversed by trying all ids; a keyed hash (HMAC-SHA256) cannot without
the key. The key comes from WEGWIJZER_RECORDS_KEY, or is created once in var/records.key (mode 0600). Every
process that writes records for the same conversations (replicas of the action server) needs the same key: set
the variable when they do not share var/.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from wegwijzer.paths import var_dir
from wegwijzer.privacy.keys import load_secret
from wegwijzer.settings import load_settings

KEY_ENV = "WEGWIJZER_RECORDS_KEY"
HASH_CHARS = 32  # 128 bits


def key_file() -> Path:
    return var_dir() / "records.key"


def load_key() -> bytes:
    """WEGWIJZER_RECORDS_KEY, else var/records.key (made once with 256 random bits)."""
    return load_secret(KEY_ENV, key_file().name, load_settings().records_key, var_dir()).encode("utf-8")


def conversation_hash(sender_id: str, key: bytes) -> str:
    return hmac.new(key, sender_id.encode("utf-8"), hashlib.sha256).hexdigest()[:HASH_CHARS]

"""Rasa's endpoints file for a run, from our settings: action server URL and token, tracker store, lock store.

- Action server: Rasa sends the internal token with every call (header X-Wegwijzer-Token); the
  action server refuses calls without it.

- Tracker store: Rasa's SQL tracker store in the same database as our conversation records
  (WEGWIJZER_DATABASE_URL; default SQLite in var/wegwijzer.db), so there is one place of truth
  and one retention rule.
- Lock store: in memory for one Rasa process; Redis (WEGWIJZER_REDIS_URL) when several Rasa
  servers share the conversations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from wegwijzer.privacy.keys import TOKEN_HEADER, internal_token
from wegwijzer.records.rasa import tracker_store_endpoint
from wegwijzer.settings import load_settings


def lock_store() -> dict[str, Any]:
    url = load_settings().redis_url
    if not url:
        return {"type": "in_memory"}
    parts = urlsplit(url)
    store: dict[str, Any] = {"type": "redis", "url": parts.hostname or "127.0.0.1", "port": parts.port or 6379}
    if parts.path.strip("/"):
        store["db"] = int(parts.path.strip("/"))
    if parts.password:
        store["password"] = unquote(parts.password)
    return store


def _token() -> str:
    settings = load_settings()
    return internal_token(settings.internal_token, settings.var)


def write_endpoints(target: Path, action_url: str) -> Path:
    """Write the endpoints file Rasa is started with; the token and password stay in var/ (mode 0600, not logged)."""
    config = {
        "action_endpoint": {"url": action_url, "headers": {TOKEN_HEADER: _token()}},
        "tracker_store": tracker_store_endpoint(),
        "lock_store": lock_store(),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    target.chmod(0o600)
    return target

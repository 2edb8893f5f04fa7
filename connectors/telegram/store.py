"""Where the bot remembers each professional's gemeente, keyed by pseudonym (never the Telegram id)."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Protocol


class GemeenteStore(Protocol):
    def get(self, user: str) -> str | None: ...

    def set(self, user: str, gemeente: str) -> None: ...


class MemoryGemeenteStore:
    """The default: forgotten when the process stops."""

    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    def get(self, user: str) -> str | None:
        return self._data.get(user)

    def set(self, user: str, gemeente: str) -> None:
        self._data[user] = gemeente


class JsonGemeenteStore:
    """A small JSON file ({pseudonym: gemeente id}), rewritten atomically on every change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._data: dict[str, str] = self._read()

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}  # a damaged file only costs the users a /gemeente; never stop the bot for it
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def get(self, user: str) -> str | None:
        return self._data.get(user)

    def set(self, user: str, gemeente: str) -> None:
        with self._lock:
            self._data[user] = gemeente
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".gemeenten-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self._data, handle, indent=1, sort_keys=True)
            os.replace(tmp, self.path)


def open_store(path: Path | None) -> GemeenteStore:
    return JsonGemeenteStore(path) if path else MemoryGemeenteStore()

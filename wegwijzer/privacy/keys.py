"""Secrets shared by our processes, and the pseudonym a conversation has in Rasa.

- The internal token: every call between our services carries it (the API and Telegram to Rasa's REST
  channel, Rasa to the action server), so a local process without it cannot write conversations.
- The session key: Rasa's sender id is a keyed hash of the session, so no identifier a client sent
  (nor one it could look up) reaches Rasa's tracker store or its logs.

Each comes from the environment, or is made once in var/ (mode 0600) for processes on one machine. Standard
library only and Python 3.10-compatible: the Rasa channel imports it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

TOKEN_HEADER = "X-Wegwijzer-Token"
INTERNAL_TOKEN_ENV = "WEGWIJZER_INTERNAL_TOKEN"
SESSION_KEY_ENV = "WEGWIJZER_SESSION_KEY"
SENDER_CHARS = 32  # 128 bits of HMAC-SHA256, hex


def _var_dir() -> Path:
    # Rasa's process has no wegwijzer.settings (pydantic 2): it reads the same variable itself.
    return Path(os.environ.get("WEGWIJZER_VAR", Path(__file__).resolve().parents[2] / "var"))


def load_secret(env_name: str, file_name: str, value: str | None = None, var: Path | None = None) -> str:
    """`value` (the setting, in our own processes), else the variable (Rasa's process), else the content of
    <var>/<file_name>, made once with 256 random bits."""
    given = (value or os.environ.get(env_name, "")).strip()
    if given:
        return given
    path = (var or _var_dir()) / file_name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it just now
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip()


def internal_token(value: str | None = None, var: Path | None = None) -> str:
    return load_secret(INTERNAL_TOKEN_ENV, "internal.key", value, var)


def session_key(value: str | None = None, var: Path | None = None) -> bytes:
    return load_secret(SESSION_KEY_ENV, "session.key", value, var).encode("utf-8")


def token_ok(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode("utf-8"), expected.encode("utf-8"))


def rasa_sender(session: str, key: bytes) -> str:
    """The conversation's name in Rasa: a keyed hash of the session, never the session itself."""
    return hmac.new(key, f"rasa-sender:{session}".encode(), hashlib.sha256).hexdigest()[:SENDER_CHARS]


def is_sender(value: object) -> bool:
    """Whether a sender id has the shape of rasa_sender()'s output (and so holds nothing a client typed)."""
    return isinstance(value, str) and len(value) == SENDER_CHARS and all(char in "0123456789abcdef" for char in value)

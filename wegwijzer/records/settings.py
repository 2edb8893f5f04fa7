"""Where the records live and how long they are kept: from the environment."""

from __future__ import annotations

import os

from wegwijzer.paths import var_dir

DEFAULT_RETENTION_DAYS = 28
DATABASE_URL_ENV = "WEGWIJZER_DATABASE_URL"
RETENTION_ENV = "WEGWIJZER_RETENTION_DAYS"
DEFAULT_CALLBACK_RETENTION_DAYS = 14
CALLBACK_RETENTION_ENV = "WEGWIJZER_CALLBACK_RETENTION_DAYS"
SCHEMA_ENV = "POSTGRESQL_SCHEMA"  # Rasa's own variable for its SQL tracker store: the records follow it


class RecordsConfigError(ValueError):
    """A setting for the records is wrong; the message says which and how to fix it."""


def database_url() -> str:
    """WEGWIJZER_DATABASE_URL, or SQLite at var/wegwijzer.db."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return normalise_url(url)
    return f"sqlite:///{var_dir() / 'wegwijzer.db'}"


def normalise_url(url: str) -> str:
    """'postgresql://' and 'postgres://' mean psycopg 3 here (psycopg2 is not installed in this environment)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_schema(url: str) -> str | None:
    """PostgreSQL schema from POSTGRESQL_SCHEMA (as Rasa's tracker store uses it), else the default schema."""
    if not url.startswith("postgresql"):
        return None
    return os.environ.get(SCHEMA_ENV, "").strip() or None


def retention_days(value: str | int | None = None) -> int:
    """The retention in days: the argument, else WEGWIJZER_RETENTION_DAYS, else 28."""
    return _days(value, RETENTION_ENV, DEFAULT_RETENTION_DAYS)


def callback_retention_days(value: str | int | None = None) -> int:
    """How long a callback request may wait in the queue: the argument, else WEGWIJZER_CALLBACK_RETENTION_DAYS,
    else 14. It holds a name and a phone number, so it is kept shorter than the redacted records."""
    return _days(value, CALLBACK_RETENTION_ENV, DEFAULT_CALLBACK_RETENTION_DAYS)


def _days(value: str | int | None, env: str, default: int) -> int:
    raw = value if value is not None else os.environ.get(env, "").strip() or default
    try:
        days = int(raw)
    except ValueError:
        raise RecordsConfigError(f"{env} moet een aantal dagen zijn, niet {raw!r}.") from None
    if days < 1:
        raise RecordsConfigError(f"De bewaartermijn moet minstens 1 dag zijn, niet {days}.")
    return days

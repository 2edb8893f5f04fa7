"""Where the records live and how long they are kept: from the environment."""

from __future__ import annotations

import os

from wegwijzer.paths import var_dir

DEFAULT_RETENTION_DAYS = 28
DATABASE_URL_ENV = "WEGWIJZER_DATABASE_URL"
RETENTION_ENV = "WEGWIJZER_RETENTION_DAYS"
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
    raw = value if value is not None else os.environ.get(RETENTION_ENV, "").strip() or DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise RecordsConfigError(f"{RETENTION_ENV} moet een aantal dagen zijn, niet {raw!r}.") from None
    if days < 1:
        raise RecordsConfigError(f"De bewaartermijn moet minstens 1 dag zijn, niet {days}.")
    return days

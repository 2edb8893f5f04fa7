"""Where the records live and how long they are kept: from the environment."""

from __future__ import annotations

import os

from wegwijzer.settings import SettingsError, load_settings

SCHEMA_ENV = "POSTGRESQL_SCHEMA"  # Rasa's own variable for its SQL tracker store: the records follow it


def database_url() -> str:
    """WEGWIJZER_DATABASE_URL, or SQLite at var/wegwijzer.db."""
    settings = load_settings()
    if settings.database_url:
        return normalise_url(settings.database_url.strip())
    return f"sqlite:///{settings.var / 'wegwijzer.db'}"


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


def retention_days(value: int | None = None) -> int:
    """The retention in days: the argument (a command's --days), else WEGWIJZER_RETENTION_DAYS, else 28."""
    if value is None:
        return load_settings().retention_days
    if value < 1:
        raise SettingsError(f"De bewaartermijn moet minstens 1 dag zijn, niet {value}.")
    return value


def callback_retention_days(value: int | None = None) -> int:
    """How long a callback request may wait in the queue: the argument, else WEGWIJZER_CALLBACK_RETENTION_DAYS,
    else 14. It holds a name and a phone number, so it is kept shorter than the redacted records."""
    if value is None:
        return load_settings().callback_retention_days
    if value < 1:
        raise SettingsError(f"De bewaartermijn moet minstens 1 dag zijn, niet {value}.")
    return value

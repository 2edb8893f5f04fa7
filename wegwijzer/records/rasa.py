"""Rasa's SQL tracker store in the same database as the records (one place of truth, one retention).

`tracker_store_endpoint()` gives the `tracker_store:` section of Rasa's endpoints.yml for WEGWIJZER_DATABASE_URL:
Rasa 3.6 (SQLAlchemy 1.4, psycopg2 in the Python 3.10 environment) takes dialect, host, port, db and credentials
as separate fields. The purge of this package deletes old rows of its `events` table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import make_url

from wegwijzer.records.settings import database_url


def tracker_store_endpoint(url: str | None = None) -> dict[str, Any]:
    parsed = make_url(url or database_url())
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return {"type": "SQL", "dialect": "sqlite", "db": parsed.database}
    if backend != "postgresql":
        raise ValueError(f"Rasa's tracker store ondersteunt hier alleen sqlite en postgresql, niet {backend}")
    endpoint: dict[str, Any] = {
        "type": "SQL",
        "dialect": "postgresql",  # Rasa's default driver: psycopg2
        "url": parsed.host or "localhost",
        "port": parsed.port or 5432,
        "db": parsed.database,
        "username": parsed.username,
    }
    if parsed.password:
        endpoint["password"] = parsed.password
    return endpoint

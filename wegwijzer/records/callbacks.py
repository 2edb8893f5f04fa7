"""The callback queue: requests to be called back, waiting for staff in /beheer, sealed at rest.

A request is one row: when it came in and for which gemeente, readable (for sorting, filtering and the purge);
everything the resident typed is one sealed value. Marking a request handled deletes the row; the retention purge
deletes what nobody handled in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select

from wegwijzer.records.model import from_stored, to_utc_naive, utc_now
from wegwijzer.records.schema import Tables
from wegwijzer.records.sealing import Sealer, Unreadable

MAX_FIELD = 500  # the form allows far less; a longer value is cut, never stored whole


@dataclass(frozen=True)
class QueuedCallback:
    id: int
    at: datetime  # UTC
    gemeente: str
    fields: dict[str, str] | None  # None: sealed with another key (or changed), cannot be read; can be deleted

    def get(self, name: str) -> str:
        return (self.fields or {}).get(name, "")


def _context(gemeente: str) -> str:
    return f"callback|{gemeente}"


def add(engine: Engine, tables: Tables, sealer: Sealer, gemeente: str, fields: dict[str, str]) -> int:
    values = {str(k): str(v)[:MAX_FIELD] for k, v in fields.items()}
    gemeente = gemeente[:64]
    row = {"at": to_utc_naive(utc_now()), "gemeente": gemeente, "sealed": sealer.seal(values, _context(gemeente))}
    with engine.begin() as connection:
        key = connection.execute(insert(tables.callbacks).values(**row)).inserted_primary_key
    return int(key[0]) if key else 0


def waiting(engine: Engine, tables: Tables, sealer: Sealer, gemeente: str | None = None) -> list[QueuedCallback]:
    """The queue, oldest first (the one waiting longest is called first)."""
    table = tables.callbacks
    query = select(table).order_by(table.c.at, table.c.id)
    if gemeente:
        query = query.where(table.c.gemeente == gemeente)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    queue = []
    for row in rows:
        try:
            fields: dict[str, str] | None = {
                k: str(v) for k, v in sealer.open(row["sealed"], _context(row["gemeente"])).items()
            }
        except Unreadable:
            fields = None
        queue.append(QueuedCallback(int(row["id"]), from_stored(row["at"]), row["gemeente"], fields))
    return queue


def expire(engine: Engine, tables: Tables, cutoff: datetime) -> int:
    with engine.begin() as connection:
        expired = delete(tables.callbacks).where(tables.callbacks.c.at < to_utc_naive(cutoff))
        return int(connection.execute(expired).rowcount)


def handled(engine: Engine, tables: Tables, callback_id: int) -> bool:
    """Delete a request once staff have called; False when it was not (or no longer) in the queue."""
    with engine.begin() as connection:
        return bool(connection.execute(delete(tables.callbacks).where(tables.callbacks.c.id == callback_id)).rowcount)

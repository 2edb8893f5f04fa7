"""Delete what is older than the retention: our records, the sessions bound to a browser and the events of Rasa's SQL
tracker store."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, MetaData, Table, delete, inspect, or_, select

from wegwijzer.records.model import PurgeResult, to_utc_naive, utc_now
from wegwijzer.records.schema import Tables

RASA_EVENTS = "events"  # the table of Rasa's SQLTrackerStore: id, sender_id, type_name, timestamp (epoch float), ...


def _rasa_events(connection: Connection, schema: str | None) -> Table | None:
    if not inspect(connection).has_table(RASA_EVENTS, schema=schema):
        return None
    table = Table(RASA_EVENTS, MetaData(schema=schema), autoload_with=connection)
    return table if {"sender_id", "type_name", "timestamp"} <= set(table.c.keys()) else None  # Rasa's, not another


def purge(
    engine: Engine,
    tables: Tables,
    retention_days: int,
    now: datetime | None = None,
    schema: str | None = None,
    callback_retention_days: int | None = None,
) -> PurgeResult:
    moment = now or utc_now()
    if moment.tzinfo is None:
        raise ValueError("now moet een tijdzone hebben")
    cutoff = moment - timedelta(days=retention_days)
    callback_cutoff = moment - timedelta(days=callback_retention_days or retention_days)
    stored_cutoff = to_utc_naive(cutoff)
    turns, feedback = tables.turns, tables.feedback
    with engine.begin() as connection:
        old_turns = select(turns.c.id).where(turns.c.at < stored_cutoff)
        removed_feedback = connection.execute(
            delete(feedback).where(or_(feedback.c.at < stored_cutoff, feedback.c.turn_id.in_(old_turns)))
        ).rowcount
        removed_turns = connection.execute(delete(turns).where(turns.c.at < stored_cutoff)).rowcount
        callbacks = tables.callbacks
        removed_callbacks = connection.execute(
            delete(callbacks).where(callbacks.c.at < to_utc_naive(callback_cutoff))
        ).rowcount
        # A binding goes with the conversation it protects: the conversation's events go at the same age.
        removed_bound = connection.execute(
            delete(tables.bound_sessions).where(tables.bound_sessions.c.at < stored_cutoff)
        ).rowcount
        events = _rasa_events(connection, schema)
        removed_events = 0
        if events is not None:
            removed_events = connection.execute(delete(events).where(events.c.timestamp < cutoff.timestamp())).rowcount
    return PurgeResult(
        removed_turns, removed_feedback, removed_events, cutoff, removed_callbacks, callback_cutoff, removed_bound
    )

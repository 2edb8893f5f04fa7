"""RecordStore: write turns and feedback, purge by age, build the report. SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from wegwijzer.privacy import redact
from wegwijzer.records import callbacks, settings
from wegwijzer.records.identity import conversation_hash, load_key
from wegwijzer.records.logfiles import purge_logs
from wegwijzer.records.model import ANSWERED, PurgeResult, TurnRecord, to_utc_naive, utc_now
from wegwijzer.records.report import build_report
from wegwijzer.records.retention import purge
from wegwijzer.records.schema import QUESTION_MAX, Tables
from wegwijzer.records.sealing import Sealer
from wegwijzer.settings import load_settings

log = logging.getLogger("wegwijzer.records")
ENGINE_LOGGING_NAME = "wegwijzer_records"
PURGE_EVERY_SECONDS = 24 * 3600  # a long-running process also keeps the retention, not only at start-up


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (the report) do not block the action server's writes
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    url = settings.normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: an error message or log line never carries a stored value (a question, a hash). Our own
    # engine logger stays at WARNING even when the root logger is at DEBUG, which would log result rows.
    engine = create_engine(url, hide_parameters=True, pool_pre_ping=True, logging_name=ENGINE_LOGGING_NAME)
    logging.getLogger(f"sqlalchemy.engine.Engine.{ENGINE_LOGGING_NAME}").setLevel(logging.WARNING)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class RecordStore:
    """Conversation records. Every method is safe to call from several threads."""

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        key: bytes | None = None,
        retention_days: int | None = None,
        callback_retention_days: int | None = None,
        log_dir: Path | None = None,
    ) -> None:
        self.engine = make_engine(url)
        self.schema = schema
        self.tables = Tables(schema)
        self.retention_days = settings.retention_days(retention_days)
        self.callback_retention_days = settings.callback_retention_days(callback_retention_days)
        self._key = key
        self._sealer: Sealer | None = None
        self._ready = False
        self._lock = threading.Lock()
        self._last_purge = time.monotonic()
        self.log_dir = log_dir  # the log files the purge keeps to the retention too (var/logs)

    @classmethod
    def from_settings(cls, *, startup: bool = True) -> RecordStore:
        """WEGWIJZER_DATABASE_URL (default SQLite var/wegwijzer.db), WEGWIJZER_RETENTION_DAYS (default 28),
        WEGWIJZER_CALLBACK_RETENTION_DAYS (default 14) and, for
        PostgreSQL, POSTGRESQL_SCHEMA (Rasa's variable for its tracker store; default: the default schema).
        With startup (the default) the tables are made and everything older than the retention is purged."""
        url = settings.database_url()
        store = cls(url, schema=settings.database_schema(url), log_dir=load_settings().var / "logs")
        if startup:
            store.startup()
        return store

    # ---- set-up ---------------------------------------------------------------------------------

    def create_tables(self) -> None:
        with self._lock:
            if self._ready:
                return
            with self.engine.begin() as connection:
                if self.schema and connection.dialect.name == "postgresql":
                    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
                self.tables.metadata.create_all(connection)
            self._ready = True

    def startup(self) -> PurgeResult:
        """Make the tables and enforce the retention. Call once when a process starts."""
        self.create_tables()
        return self.purge()

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = load_key()
        return self._key

    @property
    def sealer(self) -> Sealer:
        if self._sealer is None:
            self._sealer = Sealer(self.key)
        return self._sealer

    def conversation_id(self, sender_id: str) -> str:
        """The stored form of a conversation: a keyed hash of the sender id."""
        return conversation_hash(sender_id, self.key)

    # ---- writing --------------------------------------------------------------------------------

    def record_turn(self, turn: TurnRecord) -> int | None:
        """Store one turn (the question redacted, the sender hashed). Returns the row id, or None when the database
        could not be written: a failing record never breaks a conversation (the failure is logged without content)."""
        self._maybe_purge()
        row = {
            "conversation": self.conversation_id(turn.conversation),
            "at": to_utc_naive(turn.at),
            "gemeente": (turn.gemeente or "")[:64],
            "lang": (turn.lang or "")[:16],
            "role": (turn.role or "")[:32],
            "channel": (turn.channel or "")[:32],
            "outcome": turn.outcome,
            "places": [str(place)[:128] for place in turn.places],
            "question": redact(turn.question or "").text[:QUESTION_MAX],
            "crisis": bool(turn.crisis),
        }
        try:
            self.create_tables()
            with self.engine.begin() as connection:
                result = connection.execute(insert(self.tables.turns).values(**row))
                key = result.inserted_primary_key
                return int(key[0]) if key else None
        except SQLAlchemyError as error:
            log.warning("Gespreksbeurt niet opgeslagen (%s)", type(error).__name__)
            return None

    def record_feedback(self, conversation: str, helped: bool, at: datetime | None = None) -> int | None:
        """Feedback on the latest answer of the conversation (`conversation` as passed to record_turn). A second
        reaction on the same answer replaces the first. Returns the turn id it was linked to (None: no turn found,
        the feedback is still stored, or the database could not be written)."""
        conversation_id = self.conversation_id(conversation)
        moment = to_utc_naive(at or utc_now())
        try:
            self.create_tables()
            with self.engine.begin() as connection:
                turn_id = self._latest_answer(connection, conversation_id)
            try:
                self._write_feedback(conversation_id, turn_id, moment, bool(helped))
            except IntegrityError:  # a reaction on the same answer arrived at the same moment: replace it
                self._write_feedback(conversation_id, turn_id, moment, bool(helped))
            return turn_id
        except SQLAlchemyError as error:
            log.warning("Reactie niet opgeslagen (%s)", type(error).__name__)
            return None

    def _write_feedback(self, conversation_id: str, turn_id: int | None, moment: datetime, helped: bool) -> None:
        feedback = self.tables.feedback
        with self.engine.begin() as connection:
            if turn_id is not None:
                replaced = connection.execute(
                    update(feedback).where(feedback.c.turn_id == turn_id).values(at=moment, helped=helped)
                ).rowcount
                if replaced:
                    return
            connection.execute(
                insert(feedback).values(conversation=conversation_id, turn_id=turn_id, at=moment, helped=helped)
            )

    def _latest_answer(self, connection: Any, conversation_id: str) -> int | None:
        turns = self.tables.turns
        latest = (
            select(turns.c.id)
            .where(turns.c.conversation == conversation_id)
            .order_by(turns.c.at.desc(), turns.c.id.desc())
        )
        answer = connection.execute(latest.where(turns.c.outcome == ANSWERED).limit(1)).scalar()
        if answer is None:
            answer = connection.execute(latest.limit(1)).scalar()
        return int(answer) if answer is not None else None

    # ---- sessions bound to a browser ------------------------------------------------------------

    def bind_session(self, marker: str) -> None:
        """Remember that a session (its keyed hash, `marker`) is bound to a browser from now on. Raises
        SQLAlchemyError when the database cannot be written: the caller then leaves the session as it was."""
        self.create_tables()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(self.tables.bound_sessions).values(marker=marker[:64], at=to_utc_naive(utc_now()))
                )
        except IntegrityError:
            pass  # bound already (two requests at once)

    def session_bound(self, marker: str) -> bool:
        """Whether the session was bound to a browser. Raises SQLAlchemyError when the database cannot be read."""
        self.create_tables()
        table = self.tables.bound_sessions
        with self.engine.begin() as connection:
            return connection.execute(select(table.c.marker).where(table.c.marker == marker[:64])).first() is not None

    # ---- the callback queue ---------------------------------------------------------------------

    def queue_callback(self, gemeente: str, fields: dict[str, str]) -> int:
        """Put a callback request in the queue, its fields sealed. Raises SQLAlchemyError when the database cannot
        be written: the caller tells the resident, nothing is lost silently."""
        self._maybe_purge()
        self.create_tables()
        return callbacks.add(self.engine, self.tables, self.sealer, gemeente, fields)

    def waiting_callbacks(self, gemeente: str | None = None) -> list[callbacks.QueuedCallback]:
        """The queue, oldest first. What is past the callback retention is deleted first, not only at the daily purge,
        so staff never see (and the database never keeps) a request longer than that."""
        self._maybe_purge()
        self.create_tables()
        callbacks.expire(self.engine, self.tables, utc_now() - timedelta(days=self.callback_retention_days))
        return callbacks.waiting(self.engine, self.tables, self.sealer, gemeente)

    def callback_handled(self, callback_id: int) -> bool:
        """Staff called back: the request is deleted. False when it was not in the queue."""
        self.create_tables()
        return callbacks.handled(self.engine, self.tables, callback_id)

    # ---- retention and report -------------------------------------------------------------------

    def purge(
        self, retention_days: int | None = None, now: datetime | None = None, callback_retention_days: int | None = None
    ) -> PurgeResult:
        """Delete turns, feedback, session bindings and Rasa tracker events (table `events`, same database) older than
        the retention, and callback requests older than theirs; then the log lines and files older than the
        retention in `log_dir` (records.logfiles)."""
        self.create_tables()
        days = settings.retention_days(retention_days) if retention_days is not None else self.retention_days
        callback_days = (
            settings.callback_retention_days(callback_retention_days)
            if callback_retention_days is not None
            else self.callback_retention_days
        )
        result = purge(self.engine, self.tables, days, now, self.schema, callback_days)
        logs = purge_logs(self.log_dir, result.cutoff)
        result = replace(result, log_lines=logs.lines, log_files=logs.files)
        self._last_purge = time.monotonic()
        log.info("Bewaartermijn %d dagen: %d beurten, %d reacties, %d Rasa-gebeurtenissen, %d logregels, "
                 "%d logbestanden verwijderd; terugbelverzoeken %d dagen: %d verwijderd", days, result.turns,
                 result.feedback, result.events, result.log_lines, result.log_files, callback_days,
                 result.callbacks)  # fmt: skip
        return result

    def _maybe_purge(self) -> None:
        if time.monotonic() - self._last_purge < PURGE_EVERY_SECONDS:
            return
        self._last_purge = time.monotonic()
        try:
            self.purge()
        except SQLAlchemyError as error:
            log.warning("Opschonen mislukt (%s)", type(error).__name__)

    def report(self, since: datetime | None = None, gemeente: str | None = None) -> dict[str, Any]:
        """Figures since `since` (None: everything kept), optionally for one gemeente. See records.report."""
        self.create_tables()
        with self.engine.connect() as connection:
            return build_report(connection, self.tables, since, gemeente)

    def close(self) -> None:
        self.engine.dispose()

"""The callback queue in the records database, on SQLite and on the real PostgreSQL: sealed at rest, deleted when
handled, gone after its own retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text, update

from tests.records_support import KEY
from wegwijzer.records import RecordStore
from wegwijzer.records.model import to_utc_naive
from wegwijzer.settings import SettingsError

NAME = "Fatima-Zahra"
PHONE = "06-98765432"
SUMMARY = "Ik heb vragen over mijn huurschuld bij Eigen Haard"
FIELDS = {"first_name": NAME, "contact": PHONE, "best_time": "ochtend", "summary": SUMMARY, "lang": "nl"}


def everything_stored(store: RecordStore) -> str:
    """Every value of every row of every table of the records, as text: what someone with the database sees."""
    seen = []
    with store.engine.connect() as connection:
        for table in store.tables.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                seen.extend(str(value) for value in row)
    return "\n".join(seen)


def test_a_request_is_queued_and_read_back(store: RecordStore) -> None:
    first = store.queue_callback("purmerend", FIELDS)
    second = store.queue_callback("leiderdorp", {**FIELDS, "first_name": "Jan"})
    queue = store.waiting_callbacks()
    assert [item.id for item in queue] == [first, second], "oldest first"
    assert queue[0].fields == FIELDS and queue[0].gemeente == "purmerend"
    assert [item.get("first_name") for item in store.waiting_callbacks("leiderdorp")] == ["Jan"]


def test_nothing_personal_is_stored_readable(store: RecordStore, tmp_path: Path) -> None:
    store.queue_callback("purmerend", FIELDS)
    stored = everything_stored(store)
    assert "purmerend" in stored, "the gemeente stays readable (it routes the request)"
    for secret in (NAME, PHONE, "98765432", SUMMARY, "huurschuld", "ochtend"):
        assert secret not in stored, secret
    if store.engine.dialect.name == "sqlite":  # the file itself, pages and write-ahead log included
        raw = b"".join(path.read_bytes() for path in tmp_path.glob("records.db*"))
        assert NAME.encode() not in raw and PHONE.encode() not in raw and b"huurschuld" not in raw
    else:
        with store.engine.connect() as connection:
            dumped = connection.execute(
                text(f"SELECT string_agg(c::text, '|') FROM \"{store.schema}\".wegwijzer_callbacks c")
            ).scalar()
        assert dumped and NAME not in dumped and PHONE not in dumped


def test_handled_deletes_the_request(store: RecordStore) -> None:
    kept = store.queue_callback("purmerend", FIELDS)
    done = store.queue_callback("purmerend", {**FIELDS, "first_name": "Jan"})
    assert store.callback_handled(done) is True
    assert store.callback_handled(done) is False, "a colleague was first: nothing left to delete"
    assert [item.id for item in store.waiting_callbacks()] == [kept]
    assert "Jan" not in everything_stored(store) and str(done) not in [str(i.id) for i in store.waiting_callbacks()]


def test_the_purge_deletes_requests_past_their_own_retention(store: RecordStore) -> None:
    store.queue_callback("purmerend", FIELDS)
    now = datetime.now(UTC)
    assert store.purge(now=now + timedelta(days=13)).callbacks == 0
    assert len(store.waiting_callbacks()) == 1
    result = store.purge(now=now + timedelta(days=14, minutes=1))
    assert result.callbacks == 1 and "Terugbelverzoeken" in result.describe()
    assert store.waiting_callbacks() == []
    with store.engine.connect() as connection:
        assert connection.execute(select(store.tables.callbacks)).all() == [], "gone from the table, not hidden"


def test_the_retention_is_one_setting(store: RecordStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWIJZER_CALLBACK_RETENTION_DAYS", "3")
    configured = RecordStore(str(store.engine.url.render_as_string(hide_password=False)), schema=store.schema, key=KEY)
    try:
        assert configured.callback_retention_days == 3
        configured.queue_callback("purmerend", FIELDS)
        assert configured.purge(now=datetime.now(UTC) + timedelta(days=3, minutes=1)).callbacks == 1
    finally:
        configured.close()
    monkeypatch.setenv("WEGWIJZER_CALLBACK_RETENTION_DAYS", "twee weken")
    with pytest.raises(SettingsError, match="WEGWIJZER_CALLBACK_RETENTION_DAYS"):
        RecordStore("sqlite://", key=KEY)


def test_the_queue_never_shows_a_request_past_its_retention(store: RecordStore) -> None:
    """Between two daily purges too: reading the queue deletes what is too old first."""
    store.queue_callback("purmerend", FIELDS)
    with store.engine.begin() as connection:
        connection.execute(
            update(store.tables.callbacks).values(at=to_utc_naive(datetime.now(UTC) - timedelta(days=15)))
        )
    assert store.waiting_callbacks() == []
    with store.engine.connect() as connection:
        assert connection.execute(select(store.tables.callbacks)).all() == []


def test_another_key_or_a_moved_value_does_not_open(store: RecordStore) -> None:
    store.queue_callback("purmerend", FIELDS)
    other = RecordStore(str(store.engine.url.render_as_string(hide_password=False)), schema=store.schema, key=b"x")
    try:
        [unreadable] = other.waiting_callbacks()
        assert unreadable.fields is None and other.callback_handled(unreadable.id), "unreadable, still deletable"
    finally:
        other.close()
    store.queue_callback("purmerend", FIELDS)
    with store.engine.begin() as connection:
        sealed = connection.execute(select(store.tables.callbacks.c.sealed)).scalar_one()
        connection.execute(
            insert(store.tables.callbacks).values(
                at=to_utc_naive(datetime.now(UTC)), gemeente="leiderdorp", sealed=sealed
            )
        )
    assert [item.fields is None for item in store.waiting_callbacks()] == [False, True]

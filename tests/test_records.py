"""Conversation records on SQLite and on the real PostgreSQL (127.0.0.1:5432, database test, a schema per test)."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, insert, select, text

from tests.records_support import KEY, PG_URL, drop_schema, make_schema_name
from wegwijzer.records import OUTCOMES, RecordStore, TurnRecord
from wegwijzer.records.identity import conversation_hash

NOW = datetime.now(UTC)

BSN = "123456782"
PHONE = "06-12345678"
SECRET_WORDS = "huurachterstand-kwetsbaar-woord"  # a non-personal part of a question: it must not be logged either


def turn(conversation: str = "web-abc", question: str = "Ik kan de huur niet betalen", **fields: object) -> TurnRecord:
    values: dict[str, object] = {"outcome": "answered", "gemeente": "purmerend", "lang": "nl", "channel": "web"}
    values.update(fields)
    return TurnRecord(conversation=conversation, question=question, **values)  # type: ignore[arg-type]


def raw_rows(store: RecordStore, table: Table) -> list[dict[str, object]]:
    with store.engine.connect() as connection:
        return [dict(row) for row in connection.execute(select(table)).mappings()]


def events_table(store: RecordStore) -> Table:
    """The shape of Rasa's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent)."""
    table = Table(
        "events",
        MetaData(schema=store.schema),
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255), nullable=False, index=True),
        Column("type_name", String(255), nullable=False),
        Column("timestamp", Float),
        Column("intent_name", String(255)),
        Column("action_name", String(255)),
        Column("data", Text),
    )
    table.create(store.engine)
    return table


# ---- what is stored -----------------------------------------------------------------------------------------------


def test_personal_data_in_a_question_never_reaches_the_database(store: RecordStore) -> None:
    sender = "telegram-123456789"
    store.record_turn(turn(sender, f"Mijn BSN is {BSN}, bel me op {PHONE}, mail piet@example.nl"))
    rows = raw_rows(store, store.tables.turns)
    assert len(rows) == 1
    row = rows[0]
    assert row["question"] == "Mijn BSN is [BSN], bel me op [telefoonnummer], mail [e-mailadres]"
    assert row["conversation"] == conversation_hash(sender, KEY) and len(str(row["conversation"])) == 32
    dump = repr(rows)
    for secret in (BSN, "12345678", "piet@example.nl", sender, "123456789"):
        assert secret not in dump
    # and not in any column of any table of the database, read back as text
    with store.engine.connect() as connection:
        for table in (store.tables.turns, store.tables.feedback):
            for values in connection.execute(select(table)):
                assert BSN not in " ".join(str(v) for v in values)


def test_record_turn_stores_every_field(store: RecordStore) -> None:
    at = datetime(2026, 11, 20, 12, 30, tzinfo=UTC)
    store.record_turn(
        turn(
            "web-1",
            "Waar kan ik terecht met schulden?",
            outcome="handoff",
            gemeente="leiderdorp",
            lang="en",
            role="professional",
            channel="telegram",
            places=["leiderdorp-schuldhulp", "nationaal-113"],
            crisis=True,
            at=at,
        )
    )
    row = raw_rows(store, store.tables.turns)[0]
    assert row["outcome"] == "handoff" and row["gemeente"] == "leiderdorp" and row["lang"] == "en"
    assert row["role"] == "professional" and row["channel"] == "telegram" and row["crisis"] is True
    assert row["places"] == ["leiderdorp-schuldhulp", "nationaal-113"]
    assert row["at"] == datetime(2026, 11, 20, 12, 30)  # stored as naive UTC


def test_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="onbekende uitkomst"):
        turn(outcome="great")
    assert len(OUTCOMES) == 8


def test_nothing_of_the_question_is_logged(store: RecordStore, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    question = f"{SECRET_WORDS}: mijn bsn {BSN}"
    store.record_turn(turn("web-log", question, outcome="not_sure"))
    store.record_feedback("web-log", helped=False)
    store.purge()
    store.report()
    # a failing write is logged by class name only
    with store.engine.begin() as connection:
        connection.execute(text(f"DROP TABLE {store.tables.feedback.fullname}"))
        connection.execute(text(f"DROP TABLE {store.tables.turns.fullname}"))
    assert store.record_turn(turn("web-log", question)) is None
    assert "niet opgeslagen" in caplog.text
    assert SECRET_WORDS not in caplog.text and BSN not in caplog.text and "web-log" not in caplog.text


def test_concurrent_writers(store: RecordStore) -> None:
    def write(worker: int) -> None:
        for n in range(20):
            assert store.record_turn(turn(f"worker-{worker}", f"vraag {n}")) is not None

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(raw_rows(store, store.tables.turns)) == 80
    assert store.report()["conversations"] == 4


# ---- feedback ------------------------------------------------------------------------------------------------------


def test_feedback_goes_to_the_latest_answer_and_replaces(store: RecordStore) -> None:
    first = store.record_turn(turn("web-f", "vraag 1", at=NOW - timedelta(minutes=5)))
    store.record_turn(turn("web-f", "bedoelt u ...", outcome="clarified", at=NOW - timedelta(minutes=4)))
    store.record_turn(turn("web-other", "andere vraag", at=NOW - timedelta(minutes=3)))
    assert store.record_feedback("web-f", helped=False) == first
    assert store.record_feedback("web-f", helped=True) == first  # changed their mind: one reaction per answer
    rows = raw_rows(store, store.tables.feedback)
    assert [(r["turn_id"], r["helped"]) for r in rows] == [(first, True)]
    second = store.record_turn(turn("web-f", "vraag 2", at=NOW - timedelta(minutes=1)))
    assert store.record_feedback("web-f", helped=False, at=NOW) == second
    assert sorted((r["turn_id"], r["helped"]) for r in raw_rows(store, store.tables.feedback)) == [
        (first, True),
        (second, False),
    ]
    assert all(r["conversation"] == conversation_hash("web-f", KEY) for r in raw_rows(store, store.tables.feedback))


def test_feedback_without_an_answer_falls_back_to_the_latest_turn_or_none(store: RecordStore) -> None:
    only = store.record_turn(turn("web-g", "hallo", outcome="smalltalk"))
    assert store.record_feedback("web-g", helped=True) == only
    assert store.record_feedback("never-seen", helped=False) is None
    assert {r["turn_id"] for r in raw_rows(store, store.tables.feedback)} == {only, None}


# ---- retention -----------------------------------------------------------------------------------------------------


def test_purge_deletes_records_and_rasa_events_by_age(store: RecordStore) -> None:
    old, recent = NOW - timedelta(days=30), NOW - timedelta(days=2)
    store.record_turn(turn("web-old", "oude vraag", at=old))
    store.record_feedback("web-old", helped=False, at=old + timedelta(minutes=1))
    store.record_turn(turn("web-new", "nieuwe vraag", at=recent))
    store.record_feedback("web-new", helped=True, at=recent)
    # an old turn with feedback just inside the retention: the feedback goes with its turn
    edge = store.record_turn(turn("web-edge", "randgeval", at=NOW - timedelta(days=28, minutes=1)))
    store.record_feedback("web-edge", helped=True, at=NOW - timedelta(days=27))
    events = events_table(store)
    with store.engine.begin() as connection:
        connection.execute(
            insert(events),
            [
                {"sender_id": "a", "type_name": "user", "timestamp": old.timestamp(), "data": "{}"},
                {"sender_id": "a", "type_name": "bot", "timestamp": old.timestamp() + 1, "data": "{}"},
                {"sender_id": "b", "type_name": "user", "timestamp": recent.timestamp(), "data": "{}"},
            ],
        )
    result = store.purge(28, now=NOW)
    assert (result.turns, result.feedback, result.events) == (2, 2, 2)
    assert [r["question"] for r in raw_rows(store, store.tables.turns)] == ["nieuwe vraag"]
    assert [r["helped"] for r in raw_rows(store, store.tables.feedback)] == [True]
    assert edge not in {r["turn_id"] for r in raw_rows(store, store.tables.feedback)}
    assert [r["sender_id"] for r in raw_rows(store, events)] == ["b"]
    assert "2 beurten, 2 reacties, 2 Rasa-gebeurtenissen" in result.describe()


def test_purge_uses_the_configured_retention(store: RecordStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.record_turn(turn("web-a", "vraag", at=NOW - timedelta(days=10)))
    assert store.purge(now=NOW).turns == 0  # default 28 days
    assert store.purge(7, now=NOW).turns == 1
    assert store.purge(now=NOW).events == 0  # no Rasa table: nothing to do, no error


def test_from_env_sqlite_purges_at_startup(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWIJZER_VAR", str(tmp_path))
    monkeypatch.delenv("WEGWIJZER_DATABASE_URL", raising=False)
    monkeypatch.setenv("WEGWIJZER_RETENTION_DAYS", "5")
    monkeypatch.delenv("WEGWIJZER_RECORDS_KEY", raising=False)
    first = RecordStore.from_settings()
    assert str(first.engine.url) == f"sqlite:///{tmp_path}/wegwijzer.db"
    first.record_turn(turn("web-x", "oud", at=NOW - timedelta(days=6)))
    first.record_turn(turn("web-x", "nieuw", at=NOW - timedelta(days=4)))
    first.close()
    key_file = tmp_path / "records.key"  # type: ignore[operator]
    assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
    second = RecordStore.from_settings()  # start-up: purge with WEGWIJZER_RETENTION_DAYS=5
    assert [r["question"] for r in raw_rows(second, second.tables.turns)] == ["nieuw"]
    second.close()


def test_from_env_postgresql_with_rasas_schema_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    schema = make_schema_name()
    monkeypatch.setenv("WEGWIJZER_DATABASE_URL", PG_URL.replace("postgresql+psycopg://", "postgresql://"))
    monkeypatch.setenv("POSTGRESQL_SCHEMA", schema)
    monkeypatch.setenv("WEGWIJZER_RECORDS_KEY", "k" * 32)
    try:
        store = RecordStore.from_settings()
        assert store.engine.dialect.name == "postgresql" and store.schema == schema
        store.record_turn(turn())
        engine = create_engine(PG_URL)
        with engine.connect() as connection:
            count = connection.execute(text(f'SELECT count(*) FROM "{schema}".wegwijzer_turns')).scalar()
        engine.dispose()
        assert count == 1
        store.close()
    finally:
        drop_schema(schema)


def test_bad_retention_setting_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from wegwijzer.settings import SettingsError

    monkeypatch.setenv("WEGWIJZER_RETENTION_DAYS", "vier weken")
    with pytest.raises(SettingsError, match="WEGWIJZER_RETENTION_DAYS"):
        RecordStore(f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("WEGWIJZER_RETENTION_DAYS", "0")
    with pytest.raises(SettingsError, match="minstens 1 dag"):
        RecordStore(f"sqlite:///{tmp_path}/x.db")


# ---- report --------------------------------------------------------------------------------------------------------


def fill(store: RecordStore) -> None:
    """10 conversations in two gemeenten, three languages, three channels; one more from before the report period."""
    day = NOW - timedelta(days=1)
    turns = [
        # conversation, gemeente, lang, channel, outcome, question, crisis
        ("c1", "purmerend", "nl", "web", "smalltalk", "hallo", False),
        ("c1", "purmerend", "nl", "web", "answered", "huur betalen lukt niet", False),
        ("c2", "purmerend", "nl", "web", "answered", "schulden bij de belastingdienst", False),
        ("c3", "purmerend", "en", "telegram", "not_sure", "Wat is een rugzakje ", False),
        ("c4", "purmerend", "nl", "web", "not_sure", "wat is een rugzakje", False),
        ("c5", "purmerend", "nl", "telegram", "clarified", "ik heb hulp nodig", False),
        ("c5", "purmerend", "nl", "telegram", "answered", "met geld", False),
        ("c6", "purmerend", "ar", "web", "crisis", "ik wil niet meer leven", True),
        ("c7", "leiderdorp", "nl", "web", "handoff", f"ik wil een mens spreken, bsn {BSN}", False),
        ("c8", "leiderdorp", "nl", "web", "fallback", "asdf", False),
        ("c9", "leiderdorp", "en", "rest", "out_of_scope", "parking permit", False),
        ("c10", "leiderdorp", "nl", "web", "answered", "mantelzorg", False),
    ]
    for n, (conversation, gemeente, lang, channel, outcome, question, crisis) in enumerate(turns):
        record = turn(conversation, question, outcome=outcome, gemeente=gemeente, lang=lang, channel=channel)
        store.record_turn(replace(record, crisis=crisis, at=day + timedelta(minutes=n)))
    for n, (conversation, helped) in enumerate([("c1", True), ("c2", False), ("c5", False), ("c10", True)]):
        store.record_feedback(conversation, helped=helped, at=day + timedelta(minutes=30 + n))
    store.record_turn(turn("c0", "heel oud", outcome="not_sure", at=NOW - timedelta(days=20)))


def test_report_figures(store: RecordStore) -> None:
    fill(store)
    report = store.report(since=NOW - timedelta(days=7))
    assert report["conversations"] == 10
    assert report["turns"] == 12 and report["questions"] == 11  # 'hallo' is smalltalk
    assert report["outcomes"] == {
        "answered": 4, "clarified": 1, "not_sure": 2, "out_of_scope": 1,
        "handoff": 1, "crisis": 1, "smalltalk": 1, "fallback": 1,
    }  # fmt: skip
    assert report["shares"] == {
        "answered": round(4 / 11, 4),
        "clarified": round(1 / 11, 4),
        "fallen_back": round(3 / 11, 4),
        "handed_over": round(1 / 11, 4),
        "crisis": round(1 / 11, 4),
    }
    assert report["feedback"] == {"helped": 2, "not_helped": 2, "share_helped": 0.5}
    unanswered = report["top_unanswered"]
    assert unanswered[0]["count"] == 2 and unanswered[0]["question"].lower().startswith("wat")  # the rugzakje twice
    assert {q["question"] for q in unanswered[1:]} == {"asdf", "ik heb hulp nodig"}
    assert sorted(q["question"] for q in report["top_badly_rated"]) == ["met geld", "schulden bij de belastingdienst"]
    by_gemeente = {row["key"]: row for row in report["by_gemeente"]}
    assert by_gemeente["purmerend"]["conversations"] == 6 and by_gemeente["purmerend"]["questions"] == 7
    assert by_gemeente["purmerend"]["answered"] == round(3 / 7, 4)
    assert by_gemeente["purmerend"]["helped"] == 1 and by_gemeente["purmerend"]["not_helped"] == 2
    assert by_gemeente["leiderdorp"]["handed_over"] == 0.25 and by_gemeente["leiderdorp"]["fallen_back"] == 0.25
    assert {row["key"]: row["conversations"] for row in report["by_lang"]} == {"ar": 1, "en": 2, "nl": 7}
    assert {row["key"]: row["conversations"] for row in report["by_channel"]} == {"rest": 1, "telegram": 2, "web": 7}


def test_report_filters_and_redaction(store: RecordStore) -> None:
    fill(store)
    everything = store.report()
    assert everything["conversations"] == 11 and everything["period"]["since"] is None
    only = store.report(since=NOW - timedelta(days=7), gemeente="leiderdorp")
    assert only["conversations"] == 4 and only["period"]["gemeente"] == "leiderdorp"
    assert only["feedback"] == {"helped": 1, "not_helped": 0, "share_helped": 1.0}
    assert [row["key"] for row in only["by_gemeente"]] == ["leiderdorp"]
    assert BSN not in repr(everything)


def test_empty_report(store: RecordStore) -> None:
    report = store.report(since=NOW - timedelta(days=7))
    assert report["conversations"] == 0 and report["shares"]["answered"] is None
    assert report["feedback"] == {"helped": 0, "not_helped": 0, "share_helped": None}
    assert report["top_unanswered"] == [] and report["by_gemeente"] == []


# ---- Rasa's tracker store in the same database -----------------------------------------------------------------


def test_tracker_store_endpoint_from_the_records_url() -> None:
    from wegwijzer.records.rasa import tracker_store_endpoint

    assert tracker_store_endpoint("sqlite:////srv/var/wegwijzer.db") == {
        "type": "SQL",
        "dialect": "sqlite",
        "db": "/srv/var/wegwijzer.db",
    }
    assert tracker_store_endpoint("postgresql+psycopg://rasa:geheim@db:5433/wegwijzer") == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "db",
        "port": 5433,
        "db": "wegwijzer",
        "username": "rasa",
        "password": "geheim",
    }


def test_an_events_table_that_is_not_rasas_is_left_alone(store: RecordStore) -> None:
    other = Table(
        "events", MetaData(schema=store.schema), Column("id", Integer, primary_key=True), Column("when", Float)
    )
    other.create(store.engine)
    with store.engine.begin() as connection:
        connection.execute(insert(other), [{"when": 0.0}])
    assert store.purge(now=NOW).events == 0
    assert len(raw_rows(store, other)) == 1

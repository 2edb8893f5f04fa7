"""Issue 15's search of every store, with the stack on the real PostgreSQL (127.0.0.1:5432, database `test`, a
schema of its own, dropped afterwards): our records and Rasa's tracker store (psycopg2 in Rasa's environment) both
there, as in production (docker-compose). The same search as tests/test_privacy_stack.py on SQLite, over every
second message with personal data (the SQLite run has them all), each through one of the three ways in (the API,
Rasa's channel, Telegram's handler) by turns, to keep the run short. Skipped, with the reason, only when no
PostgreSQL answers (CI has one; `WEGWIJZER_TEST_POSTGRES_URL` points elsewhere)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.exc import OperationalError

from tests.records_support import KEY, PG_URL, drop_schema, make_schema_name
from tests.test_privacy_stack import (
    Running,
    items_with_data,
    search_everywhere,
    start_stack,
    through_telegram,
    through_the_api,
    through_the_channel,
)
from wegwijzer.records import RecordStore

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def running_on_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    schema = make_schema_name()
    store = RecordStore(PG_URL, schema=schema, key=KEY)
    try:
        store.create_tables()  # also the schema, which Rasa's tracker store needs to exist
    except OperationalError as error:
        pytest.skip(f"PostgreSQL antwoordt niet op {PG_URL} ({type(error).__name__}); CI heeft er een")
    finally:
        store.close()
    url = PG_URL.replace("postgresql+psycopg://", "postgresql://")  # the form a deployment sets (docker-compose)
    try:
        with start_stack(tmp_path_factory.mktemp("privacy-stack-pg"), url, schema) as running:
            yield running
    finally:
        drop_schema(schema)


def test_no_identifier_of_any_format_is_kept_anywhere_on_postgresql(running_on_postgres: Running) -> None:
    running = running_on_postgres
    assert running.rows("SELECT current_schema()")[0][0] == running.schema
    items = items_with_data()
    through_the_api(running, items[::3])  # each message through one of the three ways in
    through_the_channel(running, items[1::3])
    through_telegram(running, items[2::3])
    with_data = running.rows("SELECT count(*) FROM events WHERE type_name = 'user'")[0][0]
    assert with_data >= len(items), "Rasa's events are in PostgreSQL, in the stack's schema"
    search_everywhere(running, items)

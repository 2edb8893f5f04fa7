"""The records database of the tests: the real PostgreSQL (127.0.0.1:5432, database test, a schema per test)
and a key; the `store` fixture (tests/conftest.py) opens it on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text

PG_URL = os.environ.get("WEGWIJZER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
KEY = b"test-key-for-records"


def make_schema_name() -> str:
    return f"wegwijzer_test_{uuid.uuid4().hex[:12]}"


def drop_schema(schema: str) -> None:
    engine = create_engine(PG_URL)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()

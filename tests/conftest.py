"""Shared fixtures: the real knowledge base, and a writable copy of it for breaking things."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.records_support import KEY, PG_URL, drop_schema, make_schema_name
from wegwijzer.paths import REPO_ROOT
from wegwijzer.records import RecordStore
from wegwijzer.settings import Settings

# The services' shared secrets for every process the tests start (they inherit the environment), so no
# test writes key files into the shared var/ (wegwijzer.privacy.keys makes them there when unset).
os.environ.setdefault("WEGWIJZER_INTERNAL_TOKEN", secrets.token_hex(24))
os.environ.setdefault("WEGWIJZER_SESSION_KEY", secrets.token_hex(24))

KNOWLEDGE = REPO_ROOT / "knowledge"
EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
STACK_ADMIN_TOKEN = "toegangscode-van-de-test-stack"


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RecordStore]:
    """The records database, once on SQLite and once on the real PostgreSQL (a schema of its own)."""
    if request.param == "sqlite":
        records = RecordStore(f"sqlite:///{tmp_path}/records.db", key=KEY)
        records.create_tables()
        yield records
        records.close()
        return
    schema = make_schema_name()
    records = RecordStore(PG_URL, schema=schema, key=KEY)
    records.create_tables()
    try:
        yield records
    finally:
        records.close()
        drop_schema(schema)


def settings_of(env: dict[str, str]) -> Settings:
    """The settings with these WEGWIJZER_* variables on top of the environment (no .env file)."""
    return Settings(_env_file=None, **{name.removeprefix("WEGWIJZER_").lower(): value for name, value in env.items()})


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The whole assistant on free ports: action server, Rasa (its own Python 3.10) and the web API.

    Its conversations go to a database of its own (`stack.database`: SQLite with our records and
    Rasa's tracker store). Started once per test session; skipped with the reason when Rasa or
    its model is not installed."""
    import os

    from connectors.api.launch import free_port
    from wegwijzer.stack import Ports, Stack, StackError

    database = tmp_path_factory.mktemp("stack") / "wegwijzer.db"
    os.environ["WEGWIJZER_DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["WEGWIJZER_ADMIN_TOKEN"] = STACK_ADMIN_TOKEN  # /beheer of the stack (the callback queue)

    ports = Ports(actions=free_port(), rasa=free_port(), api=free_port())
    running = Stack(ports, say=lambda line: None)
    try:
        running.check_ready()
    except StackError as error:
        pytest.skip(str(error))
    # The browser tests' host site may embed the stack's widget (by default only the gemeente's own
    # site may); set for the stack's processes only, not for APIs other tests start later.
    os.environ["WEGWIJZER_WIDGET_HOSTS"] = "http://localhost:*"
    try:
        running.start()
    finally:
        os.environ.pop("WEGWIJZER_WIDGET_HOSTS", None)
    running.database = database  # type: ignore[attr-defined]
    yield running
    running.stop()
    os.environ.pop("WEGWIJZER_DATABASE_URL", None)
    os.environ.pop("WEGWIJZER_ADMIN_TOKEN", None)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API leaves the event loop closed for the async tests after it."""
    items.sort(key=lambda item: "/browser/" in str(item.path))

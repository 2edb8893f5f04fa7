"""Rasa's own SQLTrackerStore (Rasa 3.6 in .venv-rasa) writes its `events` table in the records' database; our purge
deletes the old conversations there, and Rasa still reads the recent ones. SQLite and the real PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.records_support import KEY, PG_URL, drop_schema, make_schema_name
from wegwijzer.paths import REPO_ROOT
from wegwijzer.records import RecordStore, TurnRecord
from wegwijzer.records.rasa import tracker_store_endpoint

RASA_PYTHON = REPO_ROOT / ".venv-rasa" / "bin" / "python"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not RASA_PYTHON.exists(), reason="no .venv-rasa (WEGWIJZER_SKIP_RASA)"),
]

RASA_SCRIPT = """
import asyncio, json, sys, time, logging
logging.disable(logging.WARNING)
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

config = json.loads(sys.argv[2])
config.pop("type")
store = SQLTrackerStore(Domain.empty(), **config)

async def main():
    if sys.argv[1] == "write":
        now = time.time()
        for sender, days in (("oud-gesprek", 40), ("nieuw-gesprek", 1)):
            tracker = DialogueStateTracker(sender, [])
            moment = now - days * 86400
            tracker.update(ActionExecuted("action_listen", timestamp=moment))
            tracker.update(UserUttered("ik kan de huur niet betalen", timestamp=moment + 1))
            tracker.update(BotUttered("Het Loket Schulddienstverlening helpt u.", timestamp=moment + 2))
            await store.save(tracker)
    else:
        counts = {}
        for sender in ("oud-gesprek", "nieuw-gesprek"):
            tracker = await store.retrieve_full_tracker(sender)
            counts[sender] = 0 if tracker is None else len(tracker.events)
        print(json.dumps(counts))

asyncio.run(main())
"""


def run_rasa(mode: str, endpoint: dict[str, object], schema: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "POSTGRESQL_SCHEMA")}
    if schema:
        env["POSTGRESQL_SCHEMA"] = schema
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", RASA_SCRIPT, mode, json.dumps(endpoint)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


@pytest.fixture(params=["sqlite", "postgresql"])
def shared(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[RecordStore, dict[str, object], str | None]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/wegwijzer.db"
        store = RecordStore(url, key=KEY)
        store.create_tables()
        yield store, tracker_store_endpoint(url), None
        store.close()
        return
    schema = make_schema_name()
    store = RecordStore(PG_URL, schema=schema, key=KEY)
    store.create_tables()  # also creates the schema, which Rasa requires to exist
    try:
        yield store, tracker_store_endpoint(PG_URL), schema
    finally:
        store.close()
        drop_schema(schema)


def test_purge_deletes_old_rasa_conversations_and_rasa_keeps_working(
    shared: tuple[RecordStore, dict[str, object], str | None],
) -> None:
    store, endpoint, schema = shared
    run_rasa("write", endpoint, schema)
    assert json.loads(run_rasa("read", endpoint, schema)) == {"oud-gesprek": 3, "nieuw-gesprek": 3}
    store.record_turn(TurnRecord("nieuw-gesprek", "ik kan de huur niet betalen", "answered", at=datetime.now(UTC)))
    result = store.purge(28)
    assert result.events == 3 and result.turns == 0
    assert json.loads(run_rasa("read", endpoint, schema)) == {"oud-gesprek": 0, "nieuw-gesprek": 3}

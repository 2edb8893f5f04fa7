"""Scaling the way Rasa deployments do: two Rasa servers share a PostgreSQL tracker store and a Redis
lock store; the API spreads sessions over them. One is killed mid-conversation; the conversation
goes on on the other, with its context, and the resident sees no error."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from connectors.api.launch import free_port
from connectors.assistant_client import spread
from wegwijzer.stack import Ports, Stack, StackError

pytestmark = pytest.mark.slow
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    name = f"wegwijzer_failover_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL op 127.0.0.1:5432 is niet bereikbaar: {error}")
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def replicated(database: str) -> Iterator[Stack]:
    ports = Ports(actions=free_port(), rasa=free_port(), api=free_port(), more_rasa=(free_port(),))
    saved = {key: os.environ.get(key) for key in ("WEGWIJZER_DATABASE_URL", "WEGWIJZER_REDIS_URL")}
    os.environ["WEGWIJZER_DATABASE_URL"] = database
    os.environ["WEGWIJZER_REDIS_URL"] = "redis://127.0.0.1:6379/3"
    try:
        stack = Stack(ports, say=lambda line: None)
        try:
            stack.check_ready()
        except StackError as error:
            pytest.skip(str(error))
        stack.start(timeout=400)
        yield stack
        stack.stop()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_conversation_survives_the_loss_of_its_rasa_server(replicated: Stack) -> None:
    api = f"http://127.0.0.1:{replicated.ports.api}"
    urls = [f"http://127.0.0.1:{port}" for port in replicated.ports.all_rasa]
    body = {"gemeente": "purmerend", "role": "inwoner", "lang": "nl"}
    with httpx.Client(base_url=api, timeout=90) as client:
        first = client.post("/api/chat", json={**body, "message": "ik heb schulden en weet niet waar ik moet beginnen"})
        assert first.status_code == 200 and not first.json()["degraded"]
        assert "Loket Schulddienstverlening" in " ".join(r["text"] for r in first.json()["replies"])
        token = first.json()["session_id"]  # the API issues the session; its id is the part before the dot
        own = spread(urls, token.partition(".")[0])[0]
        own_name = "rasa" if own.endswith(str(replicated.ports.rasa)) else "rasa-2"

        replicated.kill(own_name)  # the Rasa server holding this session goes down, as in a crash

        second = client.post("/api/chat", json={**body, "session_id": token, "message": "hoe bereik ik ze?"})
    assert second.status_code == 200
    answer = second.json()
    assert not answer["degraded"], "the other replica answered, not the emergency fallback"
    text = " ".join(r["text"] for r in answer["replies"])
    assert "Loket Schulddienstverlening" in text and "(0299) 452 452" in text, "the context came along"

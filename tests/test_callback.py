"""The warm hand-over: the callback form over real HTTP, delivered to a local webhook and SMTP receiver.

What the resident fills in reaches only the receivers: not the API's log."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from aiosmtpd.controller import Controller

from connectors.api.launch import free_port, running_api
from tests.records_support import PG_URL, drop_schema, make_schema_name
from wegwijzer.records import RecordStore


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture(scope="module")
def receivers() -> Iterator[tuple[str, list[dict[str, Any]], _Mailbox, int]]:
    http = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    mailbox = _Mailbox()
    smtp_port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield f"http://127.0.0.1:{http.server_address[1]}/callback", _Receiver.received, mailbox, smtp_port
    controller.stop()
    http.shutdown()


@pytest.fixture(scope="module")
def api(receivers: tuple[str, list[dict[str, Any]], _Mailbox, int], tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    webhook, _, _, smtp_port = receivers
    log = tmp_path_factory.mktemp("callback") / "api.log"
    down = f"http://127.0.0.1:{free_port()}"
    env = {
        "WEGWIJZER_RASA_URL": down,
        "WEGWIJZER_ACTION_URL": down,
        "WEGWIJZER_CALLBACK_WEBHOOK": webhook,
        "WEGWIJZER_SMTP_HOST": "127.0.0.1",
        "WEGWIJZER_SMTP_PORT": str(smtp_port),
        "WEGWIJZER_CALLBACK_FROM": "wegwijzer@example.invalid",
        "WEGWIJZER_CALLBACK_TO": "team@example.invalid",
    }
    with running_api(env, log=log) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client, log


FORM = {
    "gemeente": "purmerend",
    "first_name": "Fatima",
    "contact": "06-12345678",
    "best_time": "ochtend",
    "summary": "Ik heb vragen over schulden",
    "consent": "ja",
    "lang": "nl",
}


def test_the_form_works_without_javascript_and_says_where_the_data_goes(api) -> None:  # type: ignore[no-untyped-def]
    client, _ = api
    page = client.get("/terugbellen", params={"gemeente": "purmerend"})
    assert page.status_code == 200
    assert '<form method="post" action="/terugbellen"' in page.text
    assert "gaat alleen naar de gemeente" in page.text
    assert "<script" not in page.text.split("</main>")[0].split("<main")[1]


def test_a_callback_request_reaches_webhook_and_mailbox_and_not_the_log(api, receivers) -> None:  # type: ignore[no-untyped-def]
    client, log = api
    _, received, mailbox, _ = receivers
    response = client.post("/terugbellen", data=FORM)
    assert response.status_code == 200, response.text
    assert "Wat gebeurt er nu?" in response.text
    assert received[-1]["first_name"] == "Fatima" and received[-1]["contact"] == "06-12345678"
    assert received[-1]["gemeente"] == "purmerend"
    assert b"06-12345678" in mailbox.messages[-1] and b"Fatima" in mailbox.messages[-1]
    logged = Path(log).read_text(encoding="utf-8", errors="replace")
    assert "06-12345678" not in logged and "Fatima" not in logged


def test_missing_fields_show_the_form_again_with_what_was_typed(api, receivers) -> None:  # type: ignore[no-untyped-def]
    client, _ = api
    _, received, _, _ = receivers
    before = len(received)
    response = client.post("/terugbellen", data={**FORM, "contact": "abc", "consent": ""})
    assert response.status_code == 422
    assert "Vul een telefoonnummer" in response.text and "Geef toestemming" in response.text
    assert 'value="Fatima"' in response.text, "what the resident typed is kept"
    assert len(received) == before, "nothing is sent when the form is not complete"


# ---- the queue: no webhook and no e-mail set (the `make run` default) -----------------------------------------------

ADMIN_TOKEN = "toegangscode-voor-de-terugbeltest"
RECORDS_KEY = "sleutel-van-de-terugbeltest"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def queue_api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The API with nothing but the records database: requests go into the queue that /beheer shows."""
    folder = tmp_path_factory.mktemp("queue")
    down = f"http://127.0.0.1:{free_port()}"
    env = {
        "WEGWIJZER_RASA_URL": down,
        "WEGWIJZER_ACTION_URL": down,
        "WEGWIJZER_ADMIN_TOKEN": ADMIN_TOKEN,
        "WEGWIJZER_RECORDS_KEY": RECORDS_KEY,
        # A webhook that is down: what it did not accept goes into the queue, not lost.
        "WEGWIJZER_CALLBACK_WEBHOOK": f"{down}/callback" if request.param == "postgresql" else "",
        "WEGWIJZER_SMTP_HOST": "",
    }
    schema = None
    if request.param == "sqlite":
        env["WEGWIJZER_DATABASE_URL"] = f"sqlite:///{folder / 'records.db'}"
    else:
        schema = make_schema_name()
        env["WEGWIJZER_DATABASE_URL"] = PG_URL
        env["POSTGRESQL_SCHEMA"] = schema
    log = folder / "api.log"
    try:
        with running_api(env, log=log, need_index=False) as base, httpx.Client(base_url=base, timeout=30) as client:
            store = RecordStore(env["WEGWIJZER_DATABASE_URL"], schema=schema, key=RECORDS_KEY.encode())
            yield client, store, log
            store.close()
    finally:
        if schema:
            drop_schema(schema)


def test_without_webhook_or_mail_a_request_waits_in_the_beheer_queue(queue_api) -> None:  # type: ignore[no-untyped-def]
    client, store, log = queue_api
    form = client.get("/terugbellen", params={"gemeente": "purmerend"})
    assert "nog niet ingesteld" not in form.text and "hoogstens 14 dagen" in form.text
    sent = client.post("/terugbellen", data={**FORM, "first_name": "Noor", "contact": "06-11223344"})
    assert sent.status_code == 200, sent.text
    assert "Wat gebeurt er nu?" in sent.text and "op slot" in sent.text and "Bel (0299) 452 452" in sent.text
    bearer = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    assert client.get("/beheer/terugbellen").status_code == 401, "the queue is behind the token"
    queue = client.get("/beheer/terugbellen", headers=bearer)
    assert queue.status_code == 200 and queue.headers["cache-control"] == "no-store"
    assert "Noor (purmerend)" in queue.text and 'href="tel:0611223344"' in queue.text
    assert "Ik heb vragen over schulden" in queue.text and "ochtends (9-12 uur)" in queue.text
    assert re.search(r"Terugbelverzoeken</a>\. Er (wacht|wachten) \d+\.", client.get("/beheer", headers=bearer).text)
    [item] = [i for i in store.waiting_callbacks() if i.get("first_name") == "Noor"]
    done = client.post(f"/beheer/terugbellen/{item.id}/afgehandeld", headers=bearer, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/beheer/terugbellen?verwijderd=1"
    assert "Noor" not in client.get("/beheer/terugbellen", headers=bearer).text
    assert all(i.id != item.id for i in store.waiting_callbacks())
    logged = Path(log).read_text(encoding="utf-8", errors="replace")
    assert "Noor" not in logged and "06-11223344" not in logged


def test_handled_needs_the_token(queue_api) -> None:  # type: ignore[no-untyped-def]
    client, store, _ = queue_api
    client.post("/terugbellen", data={**FORM, "first_name": "Sem"})
    [item] = [i for i in store.waiting_callbacks() if i.get("first_name") == "Sem"]
    refused = client.post(f"/beheer/terugbellen/{item.id}/afgehandeld", follow_redirects=False)
    assert refused.status_code == 401
    assert any(i.id == item.id for i in store.waiting_callbacks()), "still waiting"


def test_login_from_the_queue_returns_to_the_queue(queue_api) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = queue_api
    page = client.get("/beheer/terugbellen")
    assert 'name="next" value="/beheer/terugbellen"' in page.text
    back = client.post("/beheer/login", data={"token": ADMIN_TOKEN, "next": "/beheer/terugbellen"})
    assert back.status_code == 303 and back.headers["location"] == "/beheer/terugbellen"
    elsewhere = client.post("/beheer/login", data={"token": ADMIN_TOKEN, "next": "https://example.org/"})
    assert elsewhere.headers["location"] == "/beheer", "no open redirect"
    client.cookies.clear()


def test_the_confirmation_is_in_the_conversations_language(queue_api) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = queue_api
    english = client.post("/terugbellen", data={**FORM, "lang": "en"})
    assert "What happens now?" in english.text and 'lang="en"' in english.text
    arabic = client.post("/terugbellen", data={**FORM, "lang": "ar"})
    assert "ماذا يحدث الآن؟" in arabic.text and 'lang="ar" dir="rtl"' in arabic.text

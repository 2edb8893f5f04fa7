"""The warm hand-over: the callback form over real HTTP, delivered to a local webhook and SMTP receiver.

What the resident fills in reaches only the receivers: not the API's log."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from aiosmtpd.controller import Controller

from connectors.api.launch import free_port, running_api


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

"""A stand-in for Rasa's REST channel, for the page and widget tests: a few scripted turns in the
shape Rasa sends (text, buttons, and the wegwijzer custom message with sources), recording every call."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CLARIFY = (
    "Ik weet niet zeker wat u bedoelt. Gaat het om een van deze plekken: Loket Schulddienstverlening of "
    "Bijstandsuitkering? Kies hieronder, of vertel wat meer."
)
DEBT_PAYLOAD = '/choose{"place":"purmerend-schulddienstverlening"}'
ANSWER = "U kunt terecht bij Loket Schulddienstverlening.\nZo bereikt u het loket: bel de gemeente op (0299) 452 452."
# The same answer said simpler (A2), as the action server sends it with the turn's custom message.
SIMPLE_ANSWER = (
    "U kunt naar Loket Schulddienstverlening. Hebt u schulden of zorgen over geld? Dit loket helpt u.\n"
    "Bel de gemeente op (0299) 452 452."
)
SOURCE = {
    "document": "Programmadoelen sociaal domein 2023",
    "section": "Wat gaan we doen en wat willen we hiermee bereiken? > Armoede en schulden",
    "gemeente": "purmerend",
    "year": 2023,
}
UNSURE = "Ik weet niet zeker waar u het beste terecht kunt. Bel de gemeente op (0299) 452 452."


OFFER = "Wilt u liever dat iemand u terugbelt? Dan vult u een kort formulier in. Daarna belt de gemeente u terug."
CALLBACK_LINK = {"title": "Ja, bel mij terug", "payload": "/affirm", "url": "/terugbellen?gemeente=purmerend&lang=nl"}


FEEDBACK = "Heeft dit u geholpen?"
FEEDBACK_BUTTONS = [
    {"title": "Ja, dit helpt", "payload": "/feedback_helped"},
    {"title": "Nee, niet echt", "payload": "/feedback_not_helped"},
]
ENGLISH = "You can go to Loket Schulddienstverlening. Call (0299) 452 452 or visit purmerend.nl."
ARABIC = "يمكنك التوجه إلى Loket Schulddienstverlening. اتصل بالرقم (0299) 452 452 أو زر purmerend.nl."
CRISIS = (
    "Denkt u aan zelfdoding? U bent niet alleen. Praat erover met 113 Zelfmoordpreventie. "
    "Bel 113 of gratis 0800-0113. Dat kan dag en nacht, ook zonder uw naam."
)


def _answer(
    text: str, lang: str, crisis: bool = False, sources: tuple[dict[str, Any], ...] = ()
) -> list[dict[str, Any]]:
    return [{"text": text}, {"custom": {"wegwijzer": {"sources": list(sources), "crisis": crisis, "lang": lang}}}]


def script(message: str) -> list[dict[str, Any]]:
    if "iemand spreken" in message:  # the hand-over: a link to the form next to an ordinary button
        return [{"text": OFFER, "buttons": [CALLBACK_LINK, {"title": "Nee, bedankt", "payload": "/deny"}]}]
    if "rent" in message:
        return _answer(ENGLISH, "en", sources=(SOURCE,))
    if "الإيجار" in message:
        return _answer(ARABIC, "ar", sources=(SOURCE,))
    if "niet meer leven" in message:
        return _answer(CRISIS, "nl", crisis=True)
    if message == DEBT_PAYLOAD:
        facts = {"sources": [SOURCE], "crisis": False, "lang": "nl", "simple": [SIMPLE_ANSWER, None]}
        return [{"text": ANSWER}, {"text": FEEDBACK, "buttons": FEEDBACK_BUTTONS}, {"custom": {"wegwijzer": facts}}]
    if "huur" in message or "schuld" in message:
        buttons = [
            {"title": "Loket Schulddienstverlening", "payload": DEBT_PAYLOAD},
            {"title": "Bijstandsuitkering", "payload": '/choose{"place":"purmerend-bijstand"}'},
        ]
        return [{"text": CLARIFY, "buttons": buttons}]
    return [{"text": UNSURE}]


class FakeRasa:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _json(self, data: object, status: int = 200) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path == "/":
                    body = b"Hello from Rasa: 3.6.21"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif self.path == "/health":
                    self._json({"status": "ok"})
                else:
                    self._json({"error": "not found"}, 404)

            def do_POST(self) -> None:
                data = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                fake.calls.append(data)
                messages = script(str(data.get("message", "")))
                self._json([{"recipient_id": data.get("sender"), **m} for m in messages])

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeRasa:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

"""Issue 15 against the running stack: action server, Rasa (its own Python 3.10) and the API, on free ports, with
a var/ of their own (logs, keys, endpoints; the models and index are the shared ones) and their own SQLite
database (our records and Rasa's tracker store).

- the internal ports: Rasa's channel and the action server hear only callers with the internal token, store
  nothing for others, and answer a malformed tracker with 400 that logs no value; Rasa's HTTP API is off;
- no raw identifier reaches Rasa: its sender ids are keyed hashes, metadata is whitelisted, a crafted
  '/intent{...}' never reaches it as an intent with entities and nothing of it is in rasa.log;
- a session belongs to its client: another client's session token starts a new conversation;
- a number split over two messages is redacted;
- every store: a conversation full of the formats of tests/data/pii_formats.yaml goes through the API (and a
  part of it straight through Rasa's channel, as Telegram's bridge sends it); then the database (every
  table: Rasa's events with the last_question slot, our records), every log file the stack wrote and
  /beheer's page and report are searched for every identifier in every form: none may be found.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from connectors.api.launch import free_port
from wegwijzer.chat import ChatAnswer, ChatRequest
from wegwijzer.paths import REPO_ROOT
from wegwijzer.privacy.keys import TOKEN_HEADER, rasa_sender
from wegwijzer.privacy.measure import Item, load_corpus
from wegwijzer.privacy.normalise import normalise
from wegwijzer.records.settings import normalise_url

pytestmark = pytest.mark.slow

ADMIN_TOKEN = f"beheer-{secrets.token_urlsafe(20)}"
INTERNAL_TOKEN = secrets.token_hex(24)
SESSION_KEY = secrets.token_hex(24)
METADATA = {"gemeente": "purmerend", "role": "inwoner", "lang": "nl"}


@dataclass
class Running:
    stack: object
    root: Path
    url: str  # the database of our records and Rasa's tracker store
    logs: Path
    schema: str | None = None  # PostgreSQL: the schema both use (POSTGRESQL_SCHEMA)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.stack.ports.api}"  # type: ignore[attr-defined]

    @property
    def rasa(self) -> str:
        return f"http://127.0.0.1:{self.stack.ports.rasa}"  # type: ignore[attr-defined]

    @property
    def actions(self) -> str:
        return f"http://127.0.0.1:{self.stack.ports.actions}"  # type: ignore[attr-defined]

    def engine(self) -> Engine:
        if self.schema:
            return create_engine(normalise_url(self.url), connect_args={"options": f"-csearch_path={self.schema}"})
        return create_engine(self.url)

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        engine = self.engine()
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(sql))]
        finally:
            engine.dispose()

    def tables(self) -> list[str]:
        engine = self.engine()
        try:
            return sorted(inspect(engine).get_table_names(schema=self.schema))
        finally:
            engine.dispose()

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


@contextmanager
def start_stack(root: Path, url: str, schema: str | None = None) -> Iterator[Running]:
    """The stack on free ports with a var/ of its own (the built models, index and crisis model shared, read
    only) and its database at `url` (records and Rasa's tracker store, in `schema` on PostgreSQL)."""
    from wegwijzer.stack import Ports, Stack, StackError

    var = root / "var"
    var.mkdir()
    for name in ("models", "index", "crisis"):  # built once in the shared var/, read only
        (var / name).symlink_to((REPO_ROOT / "var" / name).resolve())
    env = {
        "WEGWIJZER_VAR": str(var),
        "WEGWIJZER_DATABASE_URL": url,
        "POSTGRESQL_SCHEMA": schema or "",
        "WEGWIJZER_ADMIN_TOKEN": ADMIN_TOKEN,
        "WEGWIJZER_INTERNAL_TOKEN": INTERNAL_TOKEN,
        "WEGWIJZER_SESSION_KEY": SESSION_KEY,
        "WEGWIJZER_RATE_SESSION": "0",  # the conversation below sends many messages in a row
    }
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    if not schema:
        os.environ.pop("POSTGRESQL_SCHEMA")
    stack = Stack(Ports(actions=free_port(), rasa=free_port(), api=free_port()), say=lambda line: None)
    try:
        try:
            stack.check_ready()
        except StackError as error:
            pytest.skip(str(error))
        try:
            stack.start()
            yield Running(stack, root, url, var / "logs", schema)
        finally:
            stack.stop()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    root = tmp_path_factory.mktemp("privacy-stack")
    with start_stack(root, f"sqlite:///{root / 'wegwijzer.db'}") as stack:
        yield stack


def chat(client: httpx.Client, message: str, session: str | None = None) -> dict[str, object]:
    response = client.post("/api/chat", json={"session_id": session, "message": message, "gemeente": "purmerend"})
    assert response.status_code == 200, response.text
    data: dict[str, object] = response.json()
    assert data["degraded"] is False, "the stack answered, not the fallback"
    return data


def text_of(answer: dict[str, object]) -> str:
    return "\n".join(str(reply["text"]) for reply in answer["replies"])  # type: ignore[index,union-attr]


def to_channel(running: Running, message: str, sender: str, metadata: object = None, **headers: str) -> httpx.Response:
    body = {"sender": sender, "message": message, "metadata": METADATA if metadata is None else metadata}
    return httpx.post(f"{running.rasa}/webhooks/rest/webhook", json=body, headers=headers, timeout=60)


def events_text(running: Running) -> str:
    return " ".join(str(row[0]) for row in running.rows("SELECT data FROM events"))


# ---- the internal ports -------------------------------------------------------------------------------------


def test_rasas_channel_refuses_a_caller_without_the_token_and_stores_nothing(running: Running) -> None:
    before = running.rows("SELECT count(*) FROM events")[0][0]
    sender = rasa_sender(uuid.uuid4().hex, SESSION_KEY.encode())
    without = to_channel(running, "ik heb schulden, bsn 123456782", sender)
    wrong = to_channel(running, "ik heb schulden", sender, **{TOKEN_HEADER: "geraden"})
    assert (without.status_code, wrong.status_code) == (401, 401)
    assert running.rows("SELECT count(*) FROM events")[0][0] == before
    assert running.rows(f"SELECT count(*) FROM events WHERE sender_id = '{sender}'")[0][0] == 0


def test_rasas_own_http_api_is_off(running: Running) -> None:
    for path in ("/conversations/x/tracker", "/model/parse", "/status"):
        assert httpx.get(f"{running.rasa}{path}", timeout=30).status_code in (404, 405), path


def test_a_sender_that_is_not_our_keyed_hash_is_refused(running: Running) -> None:
    response = to_channel(running, "ik heb schulden", "123456782", **{TOKEN_HEADER: INTERNAL_TOKEN})
    assert response.status_code == 400
    assert running.rows("SELECT count(*) FROM events WHERE sender_id = '123456782'")[0][0] == 0


def made_up_tracker(text: str) -> dict[str, object]:
    return {
        "next_action": "action_wegwijzer",
        "sender_id": "verzonnen",
        "tracker": {
            "sender_id": "verzonnen",
            "slots": {"gemeente": "purmerend"},
            "latest_message": {"text": text, "intent": {"name": "hulp_schulden", "confidence": 0.9}},
            "events": [],
        },
        "domain": {"slots": {}},
    }


def test_the_action_server_hears_only_rasa_and_records_nothing_for_others(running: Running) -> None:
    before = running.rows("SELECT count(*) FROM wegwijzer_turns")[0][0]
    url = f"{running.actions}/webhook"
    without = httpx.post(url, json=made_up_tracker("ik heb schulden"), timeout=60)
    wrong = httpx.post(url, json=made_up_tracker("ik heb schulden"), headers={TOKEN_HEADER: "x" * 48}, timeout=60)
    assert (without.status_code, wrong.status_code) == (401, 401)
    assert running.rows("SELECT count(*) FROM wegwijzer_turns")[0][0] == before


@pytest.mark.parametrize(
    "body",
    [
        {"next_action": "action_wegwijzer", "tracker": {"latest_message": "bsn 987654321 en 06-87654321"}},
        {"next_action": "action_wegwijzer", "tracker": {"slots": {"last_places": 987654321}, "latest_message": {}}},
        {"next_action": "action_wegwijzer", "tracker": {"latest_message": {"entities": ["987654321"]}}},
        ["987654321"],
        "bsn 987654321",
    ],
    ids=["message-not-an-object", "slot-of-wrong-kind", "entities-not-objects", "a-list", "a-string"],
)
def test_a_malformed_tracker_gets_400_and_its_values_are_logged_nowhere(running: Running, body: object) -> None:
    response = httpx.post(f"{running.actions}/webhook", json=body, headers={TOKEN_HEADER: INTERNAL_TOKEN}, timeout=60)
    assert response.status_code == 400, response.text
    assert "987654321" not in response.text and "87654321" not in running.log("actions")


def test_a_body_that_is_no_json_gets_400(running: Running) -> None:
    response = httpx.post(
        f"{running.actions}/webhook",
        content=b"{bsn: 987654321",
        headers={TOKEN_HEADER: INTERNAL_TOKEN, "Content-Type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 400 and "987654321" not in running.log("actions")


# ---- nothing raw reaches Rasa ---------------------------------------------------------------------------------


def test_rasa_knows_sessions_only_by_their_keyed_hash(running: Running) -> None:
    with httpx.Client(base_url=running.api, timeout=120) as client:
        answer = chat(client, "ik heb schulden", session="123456782")
    token = str(answer["session_id"])
    assert not token.startswith("123456782"), "a session id the API did not give starts a new one"
    senders = {str(row[0]) for row in running.rows("SELECT DISTINCT sender_id FROM events")}
    assert senders and all(re.fullmatch(r"[0-9a-f]{32}", sender) for sender in senders), senders
    assert token.split(".")[0] not in events_text(running) and "123456782" not in events_text(running)


def test_metadata_keeps_only_the_channel_context(running: Running) -> None:
    sender = rasa_sender(uuid.uuid4().hex, SESSION_KEY.encode())
    metadata = {**METADATA, "telefoon": "06-87654321", "lang": "nl bsn 987654321", "role": {"x": "987654321"}}
    response = to_channel(running, "ik heb schulden", sender, metadata, **{TOKEN_HEADER: INTERNAL_TOKEN})
    assert response.status_code == 200 and response.json()
    data = " ".join(str(r[0]) for r in running.rows(f"SELECT data FROM events WHERE sender_id = '{sender}'"))
    assert '"gemeente": "purmerend"' in data
    for value in ("telefoon", "87654321", "987654321"):
        assert value not in data, value


def test_a_crafted_intent_message_is_read_as_words_and_never_logged(running: Running) -> None:
    secret = f"geheim{uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=running.api, timeout=120) as client:
        session = str(chat(client, "ik heb schulden")["session_id"])
        for crafted in (f'/inform{{"x": "{secret}"}}', f'/choose{{"place": "{secret}"}}', f"/{secret}{{"):
            chat(client, crafted, session)
    assert secret not in running.log("rasa")
    user_events = [json.loads(str(r[0])) for r in running.rows("SELECT data FROM events WHERE type_name = 'user'")]
    crafted_events = [e for e in user_events if secret in str(e.get("text"))]
    assert len(crafted_events) == 3
    for event in crafted_events:
        assert not str(event["text"]).startswith("/")
        assert secret not in json.dumps(event["parse_data"].get("entities")), "no entity from the typed text"
        assert event["parse_data"]["intent"].get("name") not in ("inform", "choose")


def test_a_button_payload_still_works(running: Running) -> None:
    with httpx.Client(base_url=running.api, timeout=120) as client:
        session = str(chat(client, "ik heb schulden")["session_id"])
        answer = chat(client, "/feedback_helped", session)
    assert answer["replies"], "the bot thanks for the feedback"
    assert running.rows("SELECT count(*) FROM wegwijzer_feedback WHERE helped")[0][0] >= 1


# ---- a session belongs to its client ------------------------------------------------------------------------


def test_another_clients_session_starts_a_new_conversation(running: Running) -> None:
    with (
        httpx.Client(base_url=running.api, timeout=120) as owner,
        httpx.Client(base_url=running.api, timeout=120) as other,
    ):
        owner.get("/", params={"gemeente": "purmerend"})  # the page gives the browser its cookie
        other.get("/", params={"gemeente": "purmerend"})
        first = chat(owner, "ik heb schulden en kan de huur niet betalen")
        token = str(first["session_id"])
        assert "Schulddienstverlening" in text_of(first)
        followed = chat(owner, "hoe bereik ik ze?", token)
        assert followed["session_id"] == token and "452 452" in text_of(followed), text_of(followed)
        taken = chat(other, "hoe bereik ik ze?", token)
        assert taken["session_id"] != token
        assert "Schulddienstverlening" not in text_of(taken), "someone else's conversation did not continue"
        without_cookie = httpx.post(
            f"{running.api}/api/chat",
            json={"session_id": token, "message": "hoe bereik ik ze?", "gemeente": "purmerend"},
            timeout=120,
        ).json()
        assert without_cookie["session_id"] != token
        assert chat(other, "ik heb schulden", "abc123")["session_id"] != "abc123"


def test_a_token_first_issued_without_a_cookie_is_dead_alone_once_a_browser_holds_it(running: Running) -> None:
    def bare(message: str, token: str | None) -> dict[str, object]:  # a script: no cookie jar
        body = {"session_id": token, "message": message, "gemeente": "purmerend"}
        response = httpx.post(f"{running.api}/api/chat", json=body, timeout=120)
        assert response.status_code == 200 and "set-cookie" in response.headers  # offered, never kept
        return response.json()  # type: ignore[no-any-return]

    first = bare("ik heb schulden en kan de huur niet betalen", None)
    token = str(first["session_id"])
    assert "Schulddienstverlening" in text_of(first)
    assert bare("hoe bereik ik ze?", token)["session_id"] == token, "a bearer token while nobody bound it"
    with httpx.Client(base_url=running.api, timeout=120) as browser:
        browser.get("/", params={"gemeente": "purmerend"})  # the page gives the browser its cookie
        held = chat(browser, "hoe bereik ik ze?", token)
        bound = str(held["session_id"])
        assert bound != token and bound.split(".")[0] == token.split(".")[0], "the same conversation, bound"
        assert "452 452" in text_of(held), text_of(held)
        alone = bare("hoe bereik ik ze?", token)
        assert alone["session_id"] != token and str(alone["session_id"]).split(".")[0] != token.split(".")[0]
        assert "Schulddienstverlening" not in text_of(alone), text_of(alone)
        assert chat(browser, "dank je", bound)["session_id"] == bound, "the browser's conversation goes on"
    assert running.rows("SELECT count(*) FROM wegwijzer_bound_sessions")[0][0] >= 1


def test_the_api_description_holds_no_real_session(running: Running) -> None:
    spec = httpx.get(f"{running.api}/openapi.json", timeout=30).json()
    chat_in = spec["components"]["schemas"]["ChatIn"]
    assert "abc123" not in json.dumps(spec)
    assert all("session_id" not in example for example in chat_in.get("examples", []))
    responses = spec["paths"]["/api/chat"]["post"]["responses"]
    assert "429" in responses and "429" in spec["paths"]["/api/search"]["get"]["responses"]
    assert "503" in spec["paths"]["/api/search"]["get"]["responses"]


# ---- a number over two messages -----------------------------------------------------------------------------


def test_a_bsn_split_over_two_messages_is_stored_nowhere_whole(running: Running) -> None:
    with httpx.Client(base_url=running.api, timeout=120) as client:
        session = None  # each answer's token goes with the next message (it is re-signed for the cookie)
        for message in ("mijn bsn is 1634", "20178", "bel me op 06", "19283746 alstublieft"):  # 163420178: elfproef
            session = str(chat(client, message, session)["session_id"])
    questions = " ".join(str(row[0]) for row in running.rows("SELECT question FROM wegwijzer_turns"))
    stored = events_text(running) + questions
    assert "20178" not in stored and "19283746" not in stored
    assert not re.search(r"\b1634\b", stored), "the announced first part is not stored either"
    assert "mijn bsn is [BSN]" in questions and "bel me op [telefoonnummer]" in questions


# ---- every store, every form --------------------------------------------------------------------------------


def forms(value: str) -> set[str]:
    """The ways a value could be kept: as typed, normalised, without separators, lower case."""
    normal = normalise(value).text.strip()
    compact = re.sub(r"[\s.\-/_()]", "", normal)
    found = {value.strip(), normal, compact, compact.lower(), normal.lower()}
    found.add(re.sub(r"\D", "", normal))
    # Short forms would turn up anywhere (inside timestamps, ids): at least 6 characters, 8 when only digits.
    return {form for form in found if len(form) >= (8 if form.isdigit() else 6)}


def searchable(text: str) -> list[str]:
    normal = normalise(text).text
    return [text, normal, normal.lower(), re.sub(r"(?<=\w)[\s.\-/_]+(?=\w)", "", normal).lower()]


def spoken_by_the_bot() -> str:
    """What the assistant itself may say (the gemeente's own number and address are in its answers)."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO_ROOT / "knowledge").rglob("*.yaml"))]
    return " ".join(" ".join(searchable(text)) for text in texts)


# A number over two messages (each passes its check: 643171228 the elfproef, 0631415926 a Dutch mobile number).
SPLIT = [("mijn burgerservicenummer is 6431", "71228 dank u"), ("u kunt me bellen op 06", "31415926 na vijven")]


def without_data(item: Item) -> str:
    """The message with its labelled personal data cut out."""
    text, cut = item.text, 0
    for span in sorted(item.spans, key=lambda span: span.start):
        text = text[: span.start - cut] + " " + text[span.end - cut :]
        cut += span.end - span.start - 1
    return text


def items_with_data() -> list[Item]:
    """Every message with personal data: the formats people really type and the labelled corpus."""
    corpus = load_corpus()
    return [item for part in ("formats", "items", "held_out") for item in corpus[part] if item.spans]


def through_the_api(running: Running, items: list[Item]) -> None:
    with httpx.Client(base_url=running.api, timeout=120) as client:
        client.get("/", params={"gemeente": "purmerend"})
        session: str | None = None
        for number, item in enumerate(items):
            if number % 12 == 0:  # a new conversation now and then, named by an identifier the client chose
                session = re.sub(r"\D", "", normalise(item.text[item.spans[0].start : item.spans[0].end]).text)
            session = str(chat(client, item.text, session or None)["session_id"])
        for first, rest in SPLIT:  # numbers over two messages
            session = str(chat(client, first)["session_id"])
            chat(client, rest, session)


def through_the_channel(running: Running, items: list[Item]) -> None:
    """Straight into Rasa's channel, as our services send it, with the text also in the metadata (what a
    careless caller might add)."""
    sender = rasa_sender("een-andere-dienst", SESSION_KEY.encode())
    for item in items:
        extra = {**METADATA, "note": item.text}
        assert to_channel(running, item.text, sender, extra, **{TOKEN_HEADER: INTERNAL_TOKEN}).status_code == 200


def through_telegram(running: Running, items: list[Item]) -> None:
    """Through Telegram's own handler (the bot's Application, with the real assistant client against this
    stack's Rasa; only Telegram's servers are the fake), logging as the Telegram process does into
    var/logs/telegram.log, its per-user gemeente kept in its JSON store under the stack's root."""
    from connectors.assistant_client import AssistantClient
    from connectors.telegram.application import BOT_KEY, build_application
    from connectors.telegram.identity import pseudonym
    from connectors.telegram.store import JsonGemeenteStore
    from tests.telegram_fake.bot_api import FakeBotApi
    from tests.telegram_fake.support import PRO, PRO2, TOKEN, directory, feed, real_searcher, settings_for
    from wegwijzer.knowledge import load_knowledge
    from wegwijzer.privacy.logs import install_log_redaction

    answers: list[ChatAnswer] = []

    class Recording:
        def __init__(self, client: AssistantClient) -> None:
            self.client = client

        async def chat(self, request: ChatRequest) -> ChatAnswer:
            answer = await self.client.chat(request)
            answers.append(answer)
            return answer

    async def talk() -> FakeBotApi:
        fake = FakeBotApi(TOKEN).start()
        client = AssistantClient(load_knowledge(), base_url=running.rasa, actions_url=running.actions)
        app = build_application(
            settings_for(fake),
            Recording(client),
            searcher_factory=real_searcher,
            directory=directory(),
            store=JsonGemeenteStore(running.root / "telegram" / "gemeenten.json"),
            polling=False,
            preload_index=False,
        )
        await app.initialize()
        try:
            users = (PRO, PRO2)
            for user in users:
                app.bot_data[BOT_KEY].store.set(pseudonym(user, TOKEN), "purmerend")
            for number, item in enumerate(items):
                await feed(app, fake.message_update(users[number % 2], item.text))
        finally:
            await app.shutdown()
            await client.aclose()
            fake.stop()
        return fake

    root = logging.getLogger()
    handler = logging.FileHandler(running.logs / "telegram.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)  # as connectors/telegram/__main__.py configures it
    install_log_redaction()
    try:
        fake = asyncio.run(talk())
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()
    assert len(answers) == len(items) and not any(answer.degraded for answer in answers), "Rasa answered each"
    assert fake.errors() == [] and fake.sent(), "the professionals got their answers"


def gather_stores(running: Running) -> tuple[dict[str, str], list[str], list[str]]:
    """Every place the stack keeps something: each table of its database, each log, Telegram's store and
    /beheer. Also the slot events and every stored user text (for the short second halves of split numbers)."""
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    beheer = httpx.get(f"{running.api}/beheer", params={"days": 0}, headers=admin, timeout=60)
    report = httpx.get(f"{running.api}/api/beheer/report", params={"days": 0}, headers=admin, timeout=60)
    assert beheer.status_code == 200 and report.status_code == 200
    running.stack.stop()  # type: ignore[attr-defined]  # every log is complete and closed

    stores: dict[str, str] = {"/beheer": beheer.text, "/api/beheer/report": report.text}
    for table in running.tables():
        stores[f"table {table}"] = " ".join(" ".join(map(str, row)) for row in running.rows(f"SELECT * FROM {table}"))
    slots = [str(row[0]) for row in running.rows("SELECT data FROM events WHERE type_name = 'slot'")]
    user_texts = [
        str(json.loads(str(row[0])).get("text"))
        for row in running.rows("SELECT data FROM events WHERE type_name = 'user'")
    ]
    user_texts += [str(row[0]) for row in running.rows("SELECT question FROM wegwijzer_turns")]
    for path in sorted(running.logs.glob("*.log")):
        stores[f"log {path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    for path in sorted((running.root / "telegram").glob("*")):
        stores[f"telegram {path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    expected = {"table events", "table wegwijzer_turns", "log rasa.log", "log actions.log", "log api.log"}
    assert expected | {"log telegram.log", "telegram gemeenten.json"} <= set(stores), sorted(stores)
    return stores, slots, user_texts


def search_everywhere(running: Running, items: list[Item]) -> None:
    stores, slots, user_texts = gather_stores(running)
    assert any('"last_question"' in slot and "[" in slot for slot in slots), "the slot is there, redacted"
    for placeholder in ("[BSN]", "[IBAN]", "[telefoonnummer]", "[e-mailadres]", "[postcode en huisnummer]"):
        assert placeholder in stores["table events"] and placeholder in stores["table wegwijzer_turns"], placeholder
    roles = {str(row[0]) for row in running.rows("SELECT DISTINCT role FROM wegwijzer_turns")}
    assert {"inwoner", "professional"} <= roles, "the residents' (API) and the professionals' (Telegram) turns"
    # Left out: what the assistant itself says, and what a message also holds outside its labelled data (the
    # appointment '12 maart' next to a birthday '12 maart' in another message must stay).
    allowed = spoken_by_the_bot() + " " + " ".join(" ".join(searchable(without_data(item))) for item in items)
    found: list[str] = []
    checked = skipped = 0
    haystacks = {name: searchable(text) for name, text in stores.items()}
    for item in items:
        for span in item.spans:
            for form in forms(item.text[span.start : span.end]):
                if form.lower() in allowed:
                    skipped += 1
                    continue
                checked += 1
                for name, variants in haystacks.items():
                    if any(form in variant or form.lower() in variant for variant in variants):
                        found.append(f"{span.kind} {form!r} in {name}")
    for first, rest in SPLIT:
        whole = re.sub(r"\D", "", first + rest)
        found += [
            f"split {whole} in {name}" for name, variants in haystacks.items() if any(whole in v for v in variants)
        ]
        # The parts are short: looked for as whole words where texts are kept, not in timestamps. The first part
        # is announced as a number ('burgerservicenummer is 6431'), so it goes too ('06' is too short to look for).
        parts = [part for part in (first.split()[-1], rest.split()[0]) if len(part) >= 4]
        for stored in user_texts:
            found += [f"split {part!r} in {stored!r}" for part in parts if re.search(rf"\b{part}\b", stored)]
    print(f"\n{len(items)} messages, {checked} forms searched in {len(stores)} stores, {skipped} left out")
    assert found == [], "\n".join(found[:40])


def test_no_identifier_of_any_format_is_kept_anywhere(running: Running) -> None:
    """SQLite: every message with personal data through the API, straight through Rasa's channel and through
    Telegram's handler; then every store is searched. (On PostgreSQL every message goes through one of the three:
    tests/test_privacy_stack_postgres.py.)"""
    items = items_with_data()
    assert len(items) >= 300
    through_the_api(running, items)
    through_the_channel(running, items)
    through_telegram(running, items)
    search_everywhere(running, items)

"""Secrets come from the environment only and never reach the log, the answers or the API description.

The API runs as in production (`python -m connectors.api`, its log to a file) with an admin token, a
Telegram bot token and webhook secret (the bot talks to a fake Bot API) and a database password set.
Then everything that touches them is exercised: the /beheer login (right and wrong), a Bearer header,
a token in a query string, the Telegram webhook (wrong secret, and an update the bot answers through
the Bot API, whose URLs hold the token), and /beheer with the database away. The log must hold none of
them, while it does show that it logged (the warning about the refused webhook)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from connectors.api.launch import free_port, running_api
from connectors.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from tests.telegram_fake.bot_api import FakeBotApi

pytestmark = pytest.mark.slow

PRO = 424_242
ADMIN_TOKEN = f"beheer-{secrets.token_urlsafe(24)}"
BOT_TOKEN = f"{secrets.randbelow(10**9) + 10**8}:{secrets.token_urlsafe(30)}"
WEBHOOK_SECRET = secrets.token_urlsafe(24)
DB_PASSWORD = f"pw{secrets.token_hex(12)}"
SECRETS = {
    "admin token": ADMIN_TOKEN,
    "bot token": BOT_TOKEN,
    "bot token (after the id)": BOT_TOKEN.split(":", 1)[1],
    "webhook secret": WEBHOOK_SECRET,
    "database password": DB_PASSWORD,
}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeBotApi]:
    api = FakeBotApi(BOT_TOKEN).start()
    yield api
    api.stop()


@dataclass
class Run:
    responses: list[httpx.Response]
    log: str  # the whole log, read after the server has stopped


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, fake: FakeBotApi) -> Run:
    folder = tmp_path_factory.mktemp("secrets")
    down = f"http://127.0.0.1:{free_port()}"
    env = {
        "WEGWIJZER_RASA_URL": down,
        "WEGWIJZER_ACTION_URL": down,
        "WEGWIJZER_ADMIN_TOKEN": ADMIN_TOKEN,
        "WEGWIJZER_TELEGRAM_TOKEN": BOT_TOKEN,
        "WEGWIJZER_TELEGRAM_SECRET": WEBHOOK_SECRET,
        "WEGWIJZER_TELEGRAM_ALLOWED_IDS": str(PRO),
        "WEGWIJZER_TELEGRAM_BASE_URL": fake.url,
        "WEGWIJZER_TELEGRAM_STORE": str(folder / "gemeenten.json"),
        # PostgreSQL with a password, on a port where nothing listens: /beheer meets a database error
        "WEGWIJZER_DATABASE_URL": f"postgresql+psycopg://wegwijzer:{DB_PASSWORD}@127.0.0.1:{free_port()}/wegwijzer",
    }
    log = folder / "api.log"
    with running_api(env, log=log, need_index=False) as base:
        responses = exercise(base, fake)
    return Run(responses, log.read_text(encoding="utf-8", errors="replace"))


def exercise(base: str, fake: FakeBotApi) -> list[httpx.Response]:
    """Every request that handles a secret; the responses, for the checks on what they show."""
    fake.wait_for(lambda f: bool(f.calls_of("setMyCommands")))  # the bot has started: its URLs held the token
    responses: list[httpx.Response] = []
    bearer = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx.Client(base_url=base, timeout=30) as api:
        responses.append(api.post("/beheer/login", data={"token": ADMIN_TOKEN[:-1] + "x"}))
        responses.append(api.post("/beheer/login", data={"token": ADMIN_TOKEN}, follow_redirects=False))
        responses.append(api.get("/beheer", headers=bearer))
        responses.append(api.get("/api/beheer/report", headers=bearer))
        query = httpx.get(f"{base}/api/beheer/report", params={"token": ADMIN_TOKEN}, timeout=30)  # no cookie
        responses.append(query)
        responses.append(api.post(WEBHOOK_PATH, json=fake.message_update(PRO, "/start"), headers={SECRET_HEADER: "x"}))
        update = fake.message_update(PRO, "/start")
        responses.append(api.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: WEBHOOK_SECRET}))
        fake.wait_for(lambda f: len(f.sent(PRO)) >= 1)
        responses.append(api.post("/api/chat", json={"message": "ik heb schulden", "gemeente": "purmerend"}))
        for path in ("/health", "/openapi.json", "/docs", "/"):
            responses.append(api.get(path))
    return responses


def test_the_requests_did_what_they_should(run: Run) -> None:
    statuses = [r.status_code for r in run.responses]
    assert statuses[:2] == [401, 303], "wrong code refused, right code logged in"
    assert statuses[2:4] == [503, 503], "the database is away: a sentence, not a stack trace"
    assert statuses[4] == 401, "a token in the query string is not accepted"
    assert statuses[5:7] == [403, 200], "the webhook checks its secret"
    assert all(status == 200 for status in statuses[7:])


def test_no_answer_shows_a_secret(run: Run) -> None:
    for response in run.responses:
        text = response.text + "".join(f"{k}: {v}\n" for k, v in response.headers.items())
        for name, secret in SECRETS.items():
            assert secret not in text, f"{name} in the answer to {response.request.url.path}"


def test_the_log_never_holds_a_secret(run: Run) -> None:
    assert "webhook-verzoek zonder geldig geheim geweigerd" in run.log, "the log must show our warnings at all"
    assert "Application startup complete" in run.log and "Application shutdown complete" in run.log
    for name, secret in SECRETS.items():
        assert secret not in run.log, f"the {name} is in the log"


def test_secrets_are_read_from_the_environment_only() -> None:
    """No file in the project sets one: .env.example leaves them empty, the compose file takes them from .env."""
    from wegwijzer.paths import REPO_ROOT

    example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    for name in ("WEGWIJZER_ADMIN_TOKEN", "WEGWIJZER_TELEGRAM_TOKEN", "WEGWIJZER_TELEGRAM_SECRET"):
        assert f"\n{name}=\n" in example, f"{name} must be empty in .env.example"
    compose = (REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for name in ("WEGWIJZER_ADMIN_TOKEN", "WEGWIJZER_TELEGRAM_TOKEN", "WEGWIJZER_POSTGRES_PASSWORD"):
        assert f"${{{name}" in compose, f"{name} must come from the environment in docker-compose.yml"

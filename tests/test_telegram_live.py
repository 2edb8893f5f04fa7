"""One conversation through the bot with the real AssistantClient against the real stack (the session's
`stack` fixture: action server and Rasa on free ports). Skipped, with the reason, when Rasa is not installed."""

# ruff: noqa: F811  (the fixtures imported from tests.telegram_fake.fixtures are parameters of the tests)

from __future__ import annotations

import pytest

from connectors.telegram.application import BOT_KEY
from connectors.telegram.identity import pseudonym
from tests.telegram_fake.bot_api import FakeBotApi, parse_telegram_html
from tests.telegram_fake.fixtures import fake  # noqa: F401  (fixtures)
from tests.telegram_fake.support import PRO, TOKEN, feed, make_app
from wegwijzer.chat import ChatAnswer, ChatRequest


@pytest.fixture(scope="module")
def anyio_backend() -> str:  # python-telegram-bot runs on asyncio
    return "asyncio"


class Recording:
    """The real client, with the answers kept for the assertions."""

    def __init__(self, client: object) -> None:
        self.client = client
        self.answers: list[ChatAnswer] = []

    async def chat(self, request: ChatRequest) -> ChatAnswer:
        answer = await self.client.chat(request)  # type: ignore[attr-defined]
        self.answers.append(answer)
        return answer


@pytest.mark.anyio
@pytest.mark.slow
async def test_professional_question_through_the_real_assistant(fake: FakeBotApi, stack) -> None:  # type: ignore[no-untyped-def]
    from connectors.assistant_client import AssistantClient
    from wegwijzer.knowledge import load_knowledge

    rasa = f"http://127.0.0.1:{stack.ports.rasa}"
    assistant = Recording(AssistantClient(load_knowledge(), base_url=rasa))
    app = make_app(fake, assistant)
    await app.initialize()
    try:
        app.bot_data[BOT_KEY].store.set(pseudonym(PRO, TOKEN), "purmerend")
        await feed(app, fake.message_update(PRO, "gezin met huurachterstand en energieschuld, waar verwijs ik naar?"))
    finally:
        await app.shutdown()
    [answer] = assistant.answers
    assert not answer.degraded, "Rasa runs but the chat fell back"
    assert answer.replies
    sent = fake.sent(PRO)
    assert sent and fake.errors() == []
    assert all(parse_telegram_html(c.text).strip() for c in sent)
    shown = "\n".join(parse_telegram_html(c.text) for c in sent)
    assert "Schulddienstverlening" in shown and "Wat het beleid zegt" in shown, "a place and the passage"


@pytest.mark.anyio
async def test_real_assistant_client_down_still_gives_an_honest_answer(fake: FakeBotApi) -> None:
    """The real client pointed at a port where nothing listens: its fallback reaches the professional."""
    import socket

    from connectors.assistant_client import AssistantClient
    from wegwijzer.knowledge import load_knowledge

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    assistant = Recording(AssistantClient(load_knowledge(), base_url=closed, actions_url=closed, timeout=3))
    app = make_app(fake, assistant)
    await app.initialize()
    try:
        app.bot_data[BOT_KEY].store.set(pseudonym(PRO, TOKEN), "purmerend")
        await feed(app, fake.message_update(PRO, "waar kan een mantelzorger terecht?"))
    finally:
        await app.shutdown()
    [answer] = assistant.answers
    assert answer.degraded
    shown = "\n".join(parse_telegram_html(c.text) for c in fake.sent(PRO))
    assert "(0299) 452 452" in shown  # Purmerend's general contact
    assert fake.errors() == []

"""/zoek with the real index (loaded once for this module), through the fake Bot API."""

# ruff: noqa: F811  (the fixtures imported from tests.telegram_fake.fixtures are parameters of the tests)

from __future__ import annotations

import pytest

from connectors.telegram import texts
from connectors.telegram.application import BOT_KEY, build_application
from connectors.telegram.identity import pseudonym
from connectors.telegram.store import MemoryGemeenteStore
from index.errors import IndexMissingError
from tests.telegram_fake.bot_api import FakeBotApi, parse_telegram_html, utf16_len
from tests.telegram_fake.fixtures import app, assistant, fake  # noqa: F401  (fixtures)
from tests.telegram_fake.support import PRO, TOKEN, AssistantDouble, directory, feed, real_searcher, settings_for


@pytest.fixture(scope="module")
def anyio_backend() -> str:  # python-telegram-bot runs on asyncio
    return "asyncio"


pytestmark = [pytest.mark.anyio, pytest.mark.slow]
QUESTION = "gezin met huurachterstand en energieschuld"


async def test_zoek_shows_places_and_passages_with_their_source(app, fake: FakeBotApi, assistant) -> None:
    expected = real_searcher().search(QUESTION, "purmerend", k=3, services=3)  # an index problem shows here
    app.bot_data[BOT_KEY].store.set(pseudonym(PRO, TOKEN), "purmerend")
    await feed(app, fake.message_update(PRO, f"/zoek {QUESTION}"))
    sent = fake.sent(PRO)
    assert sent, "no answer to /zoek"
    assert fake.errors() == []
    assert all(utf16_len(c.text) <= 4096 for c in sent)
    shown = "\n".join(parse_telegram_html(c.text) for c in sent)
    assert shown.startswith(f"Zoeken in Purmerend: {QUESTION}")
    assert len(expected.services) == 3 and len(expected.passages) == 3
    for hit in expected.services:
        assert hit.service.name in shown
        assert hit.service.contact.how["nl"] in shown
    for n, hit in enumerate(expected.passages, start=1):
        p = hit.passage
        assert f"{n}. Bron: {p.document_title} ({p.year}), {' > '.join(p.section_path)}" in shown
        assert p.text.strip()[:200] in shown
    assert shown.index("Plekken die passen") < shown.index("Uit de beleidsteksten")
    assert "Loket Schulddienstverlening" in shown
    assert assistant.requests == []  # /zoek uses the index, not the assistant
    assert fake.calls_of("sendChatAction")


async def test_zoek_asks_for_the_gemeente_first_then_searches(app, fake: FakeBotApi) -> None:
    await feed(app, fake.message_update(PRO, "/zoek mantelzorg ondersteuning"))
    [ask] = fake.sent(PRO)
    assert len(ask.keyboard) == 3
    fake.clear()
    await feed(app, fake.callback_update(PRO, "g:leiderdorp", fake.last_message_id()))
    shown = "\n".join(parse_telegram_html(c.text) for c in fake.sent(PRO))
    assert "Uw gemeente is nu Leiderdorp." in shown
    assert "Zoeken in Leiderdorp: mantelzorg ondersteuning" in shown
    assert "Bron: " in shown


async def test_zoek_without_question_and_with_too_long_question(app, fake: FakeBotApi) -> None:
    app.bot_data[BOT_KEY].store.set(pseudonym(PRO, TOKEN), "purmerend")
    await feed(app, fake.message_update(PRO, "/zoek"))
    await feed(app, fake.message_update(PRO, "/zoek " + "schuld " * 400))
    empty, too_long = (parse_telegram_html(c.text) for c in fake.sent(PRO))
    assert empty == texts.ZOEK_EMPTY
    assert too_long.startswith("De vraag is te lang")


async def test_zoek_says_plainly_when_the_index_is_missing(fake: FakeBotApi) -> None:
    def missing():
        raise IndexMissingError("var/index")

    app = build_application(
        settings_for(fake),
        AssistantDouble(),
        searcher_factory=missing,
        directory=directory(),
        store=MemoryGemeenteStore(),
        preload_index=False,
    )
    await app.initialize()
    try:
        app.bot_data[BOT_KEY].store.set(pseudonym(PRO, TOKEN), "purmerend")
        await feed(app, fake.message_update(PRO, "/zoek schulden"))
    finally:
        await app.shutdown()
    [reply] = fake.sent(PRO)
    assert parse_telegram_html(reply.text) == texts.ZOEK_UNAVAILABLE

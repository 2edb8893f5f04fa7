"""The bot's behaviour, with python-telegram-bot talking over real HTTP to the fake Bot API server."""

# ruff: noqa: F811  (the fixtures imported from tests.telegram_fake.fixtures are parameters of the tests)

from __future__ import annotations

import logging

import pytest
from telegram.ext import Application

from connectors.telegram import texts
from connectors.telegram.application import BOT_KEY
from connectors.telegram.handlers import WegwijzerBot
from connectors.telegram.identity import pseudonym
from tests.telegram_fake.bot_api import FakeBotApi, parse_telegram_html, utf16_len
from tests.telegram_fake.fixtures import app, assistant, fake  # noqa: F401  (fixtures)
from tests.telegram_fake.support import LONG_PAYLOAD, OUTSIDER, PRO, PRO2, TOKEN, AssistantDouble, feed
from wegwijzer.chat import ChatAnswer, ChatRequest, Reply, Source


@pytest.fixture(scope="module")
def anyio_backend() -> str:  # python-telegram-bot runs on asyncio
    return "asyncio"


pytestmark = pytest.mark.anyio


def bot_of(app: Application) -> WegwijzerBot:  # type: ignore[type-arg]
    return app.bot_data[BOT_KEY]


def choose(app: Application, user: int, gemeente: str) -> None:  # type: ignore[type-arg]
    bot_of(app).store.set(pseudonym(user, TOKEN), gemeente)


def plain(html: str) -> str:
    return parse_telegram_html(html)


# -- the allow-list --------------------------------------------------------------------------


async def test_outsider_gets_one_polite_refusal_and_nothing_else(app, fake: FakeBotApi, assistant) -> None:
    fake.clear()
    for text in ("/start", "ik heb een vraag over schulden van mijn buurman", "/zoek huurachterstand", "hallo?"):
        await feed(app, fake.message_update(OUTSIDER, text))
    await feed(app, fake.callback_update(OUTSIDER, "g:purmerend"))
    assert [c.method for c in fake.calls] == ["sendMessage"]
    refusal = fake.calls[0]
    assert refusal.params["chat_id"] == str(OUTSIDER)
    assert plain(refusal.text) == texts.REFUSAL.format(user_id=OUTSIDER)
    assert "alleen voor professionals" in plain(refusal.text)
    assert assistant.requests == []
    assert bot_of(app).store.get(pseudonym(OUTSIDER, TOKEN)) is None
    assert bot_of(app).pending == {}


async def test_professional_in_a_group_chat_is_ignored(app, fake: FakeBotApi, assistant) -> None:
    fake.clear()
    await feed(app, fake.message_update(PRO, "/start", chat_type="group"))
    await feed(app, fake.message_update(PRO, "vraag over schulden", chat_type="supergroup"))
    assert fake.calls == []
    assert assistant.requests == []


# -- commands --------------------------------------------------------------------------------


async def test_start_says_it_is_a_chatbot_for_professionals_and_asks_the_gemeente(app, fake: FakeBotApi) -> None:
    await feed(app, fake.message_update(PRO, "/start"))
    welcome, ask = fake.sent(PRO)
    assert "chatbot" in plain(welcome.text) and "professionals" in plain(welcome.text)
    assert "geen mens" in plain(welcome.text)
    assert "nog geen gemeente" in plain(ask.text)
    data = [row[0]["callback_data"] for row in ask.keyboard]
    assert data == ["g:heerhugowaard", "g:leiderdorp", "g:purmerend"]
    assert [row[0]["text"] for row in ask.keyboard] == ["Heerhugowaard (Dijk en Waard)", "Leiderdorp", "Purmerend"]
    assert fake.errors() == []


async def test_start_names_the_gemeente_that_is_set(app, fake: FakeBotApi) -> None:
    choose(app, PRO, "leiderdorp")
    await feed(app, fake.message_update(PRO, "/start"))
    [welcome] = fake.sent(PRO)
    assert "Uw gemeente: Leiderdorp" in plain(welcome.text)
    assert welcome.keyboard == []


async def test_help_lists_every_command(app, fake: FakeBotApi) -> None:
    await feed(app, fake.message_update(PRO, "/help"))
    [help_] = fake.sent(PRO)
    for command in ("/gemeente <naam>", "/zoek <vraag>", "/privacy", "/start", "/help"):
        assert command in plain(help_.text)
    assert fake.errors() == []


async def test_privacy_explains_what_happens(app, fake: FakeBotApi) -> None:
    await feed(app, fake.message_update(PRO, "/privacy"))
    [privacy] = fake.sent(PRO)
    text = plain(privacy.text)
    assert "niet in de logbestanden" in text
    assert "Telegram-nummer bewaren we niet" in text
    assert "BSN" in text


async def test_gemeente_by_name_alias_and_unknown(app, fake: FakeBotApi) -> None:
    user = pseudonym(PRO, TOKEN)
    await feed(app, fake.message_update(PRO, "/gemeente gemeente Dijk en Waard"))
    assert bot_of(app).store.get(user) == "heerhugowaard"
    [confirm] = fake.sent(PRO)
    assert "Uw gemeente is nu Heerhugowaard (Dijk en Waard)" in plain(confirm.text)
    assert "dijkenwaard.nl" in plain(confirm.text)  # the gemeente's note

    fake.clear()
    await feed(app, fake.message_update(PRO, "/gemeente PURMEREND"))
    assert bot_of(app).store.get(user) == "purmerend"

    fake.clear()
    await feed(app, fake.message_update(PRO, "/gemeente Amsterdam <b>"))
    [unknown] = fake.sent(PRO)
    text = plain(unknown.text)
    assert "'Amsterdam <b>' ken ik niet" in text
    assert "Heerhugowaard (Dijk en Waard), Leiderdorp, Purmerend" in text
    assert len(unknown.keyboard) == 3
    assert bot_of(app).store.get(user) == "purmerend"  # unchanged

    fake.clear()
    await feed(app, fake.message_update(PRO, "/gemeente"))
    [current] = fake.sent(PRO)
    assert "Uw gemeente: Purmerend" in plain(current.text)
    assert fake.errors() == []


async def test_gemeente_is_remembered_per_user(app, fake: FakeBotApi, assistant) -> None:
    await feed(app, fake.message_update(PRO, "/gemeente leiderdorp"))
    await feed(app, fake.message_update(PRO2, "/gemeente purmerend"))
    await feed(app, fake.message_update(PRO, "vraag van de eerste"))
    await feed(app, fake.message_update(PRO2, "vraag van de tweede"))
    assert [(r.message, r.gemeente) for r in assistant.requests] == [
        ("vraag van de eerste", "leiderdorp"),
        ("vraag van de tweede", "purmerend"),
    ]
    assert assistant.requests[0].session_id != assistant.requests[1].session_id


async def test_unknown_command_and_non_text(app, fake: FakeBotApi, assistant) -> None:
    await feed(app, fake.message_update(PRO, "/onzin"))
    await feed(app, fake.photo_update(PRO))
    first, second = fake.sent(PRO)
    assert "/help" in plain(first.text)
    assert plain(second.text) == texts.TEXT_ONLY
    assert assistant.requests == []


# -- the conversation ------------------------------------------------------------------------


async def test_free_text_goes_to_the_assistant_as_professional(app, fake: FakeBotApi, assistant) -> None:
    choose(app, PRO, "purmerend")
    await feed(app, fake.message_update(PRO, "gezin met huurachterstand, waar verwijs ik naar?"))
    [request] = assistant.requests
    assert request == ChatRequest(
        session_id=pseudonym(PRO, TOKEN),
        message="gezin met huurachterstand, waar verwijs ik naar?",
        gemeente="purmerend",
        role="professional",
    )
    assert str(PRO) not in request.session_id
    assert [c.method for c in fake.calls if c.method != "getMe"] == ["sendChatAction", "sendMessage"]
    [answer] = fake.sent(PRO)
    assert answer.params["parse_mode"] == "HTML"
    assert answer.text == "Gaat het om schulden &lt;of&gt; om de huur &amp; energie?"
    assert fake.errors() == []


async def test_without_gemeente_asks_with_buttons_then_answers_the_question(app, fake: FakeBotApi, assistant) -> None:
    await feed(app, fake.message_update(PRO, "waar kan een mantelzorger terecht?"))
    assert assistant.requests == []
    [ask] = fake.sent(PRO)
    assert "nog geen gemeente" in plain(ask.text)

    fake.clear()
    sent_ask = fake.last_message_id()  # the message with the gemeente keyboard
    await feed(app, fake.callback_update(PRO, "g:leiderdorp", sent_ask))
    assert [c.method for c in fake.calls][:2] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    edited = fake.calls_of("editMessageReplyMarkup")[0]
    assert edited.keyboard == [[{"text": "✓ Leiderdorp", "callback_data": "x"}]]
    assert bot_of(app).store.get(pseudonym(PRO, TOKEN)) == "leiderdorp"
    [request] = assistant.requests  # the question asked before is answered now
    assert (request.message, request.gemeente, request.role) == (
        "waar kan een mantelzorger terecht?",
        "leiderdorp",
        "professional",
    )
    texts_sent = [plain(c.text) for c in fake.sent(PRO)]
    assert texts_sent[0] == "Uw gemeente is nu Leiderdorp."
    assert "Gaat het om schulden" in texts_sent[1]


async def test_buttons_become_an_inline_keyboard_and_a_tap_continues(app, fake: FakeBotApi, assistant) -> None:
    choose(app, PRO, "purmerend")
    await feed(app, fake.message_update(PRO, "gezin met schulden"))
    [question] = fake.sent(PRO)
    keyboard = question.keyboard
    assert [row[0]["text"] for row in keyboard] == ["Schulden", "Huur & energie"]
    for row in keyboard:
        assert 1 <= len(row[0]["callback_data"].encode()) <= 64  # a Rasa payload does not fit; a key does
    assert len(LONG_PAYLOAD.encode()) > 64
    question_id = fake.last_message_id()

    fake.clear()
    await feed(app, fake.callback_update(PRO, keyboard[0][0]["callback_data"], question_id))
    [answered] = fake.calls_of("answerCallbackQuery")
    assert "text" not in answered.params
    [edited] = fake.calls_of("editMessageReplyMarkup")
    assert edited.params["message_id"] == str(question_id)
    assert edited.keyboard == [[{"text": "✓ Schulden", "callback_data": "x"}]]
    assert [r.message for r in assistant.requests] == ["gezin met schulden", LONG_PAYLOAD]
    assert assistant.requests[1].session_id == assistant.requests[0].session_id
    [reply] = fake.sent(PRO)
    text = plain(reply.text)
    assert "Het Loket Schulddienstverlening helpt bij schulden." in text
    assert "Bron: Programmadoelen 2023 (2023), Schulden > Loket" in text
    assert "<blockquote expandable>We bieden binnen het Loket" in reply.text
    assert fake.errors() == []

    fake.clear()  # the same button again: it was used up
    await feed(app, fake.callback_update(PRO, keyboard[0][0]["callback_data"], question_id))
    [again] = fake.calls_of("answerCallbackQuery")
    assert again.params["text"] == texts.BUTTON_EXPIRED
    assert len(assistant.requests) == 2


async def test_unknown_or_foreign_button_does_nothing_but_say_so(app, fake: FakeBotApi, assistant) -> None:
    choose(app, PRO, "purmerend")
    choose(app, PRO2, "purmerend")
    await feed(app, fake.message_update(PRO, "gezin met schulden"))
    data = fake.sent(PRO)[0].keyboard[0][0]["callback_data"]
    fake.clear()
    await feed(app, fake.callback_update(PRO2, data))  # PRO's button, tapped by someone else
    await feed(app, fake.callback_update(PRO, "b:does-not-exist"))
    await feed(app, fake.callback_update(PRO, "g:amsterdam"))
    assert [c.params.get("text") for c in fake.calls_of("answerCallbackQuery")] == [texts.BUTTON_EXPIRED] * 3
    assert len(assistant.requests) == 1
    assert fake.sent() == []


LONG_PARAGRAPH = (
    "Regel {n}: bij <schulden> & huurachterstand verwijst u naar het loket; "
    "de drempel is laag & de wachttijd > 2 weken is 'ongewenst'. "
)


async def test_long_answer_is_split_within_the_limit_with_escaping_intact(fake: FakeBotApi) -> None:
    from tests.telegram_fake.support import make_app

    paragraphs = ["".join(LONG_PARAGRAPH.format(n=f"{p}.{s}") for s in range(6)).strip() for p in range(40)]
    long_text = "\n\n".join(paragraphs)
    assert len(long_text) > 3 * 4096

    def script(request: ChatRequest) -> ChatAnswer:
        from wegwijzer.chat import Button

        return ChatAnswer(
            request.session_id,
            replies=[Reply(long_text, buttons=(Button("Verder", "/verder"),))],
            sources=[Source("Beleid <2024>", "Schulden & geld > Loket", "purmerend", 2024, "x < y & z " * 300)],
        )

    app = make_app(fake, AssistantDouble(script))
    await app.initialize()
    try:
        choose(app, PRO, "purmerend")
        await feed(app, fake.message_update(PRO, "lang antwoord graag"))
    finally:
        await app.shutdown()
    sent = fake.sent(PRO)
    assert len(sent) >= 4
    assert fake.errors() == []  # every piece parsed as Telegram HTML: no broken tags or entities
    for piece in sent:
        assert utf16_len(piece.text) <= 4096
        assert "<schulden>" not in piece.text and "<2024>" not in piece.text
    assert [bool(p.keyboard) for p in sent] == [False] * (len(sent) - 1) + [True]
    joined = "\n\n".join(plain(p.text) for p in sent)
    for paragraph in paragraphs:
        assert paragraph in joined  # split on paragraph boundaries: every paragraph whole
    assert "Bron: Beleid <2024> (2024), Schulden & geld > Loket" in joined
    quote_pieces = [p.text for p in sent if "blockquote" in p.text]
    assert all(p.count("<blockquote expandable>") == p.count("</blockquote>") for p in quote_pieces)


async def test_overlong_message_is_not_sent_to_the_assistant(app, fake: FakeBotApi, assistant) -> None:
    choose(app, PRO, "purmerend")
    await feed(app, fake.message_update(PRO, "woord " * 500))
    [reply] = fake.sent(PRO)
    assert "te lang" in plain(reply.text)
    assert assistant.requests == []


async def test_assistant_failure_gets_a_plain_sentence(fake: FakeBotApi) -> None:
    from tests.telegram_fake.support import make_app

    def broken(request: ChatRequest) -> ChatAnswer:
        raise RuntimeError("kapot")

    app = make_app(fake, AssistantDouble(broken))
    await app.initialize()
    try:
        choose(app, PRO, "purmerend")
        await feed(app, fake.message_update(PRO, "vraag"))
    finally:
        await app.shutdown()
    [reply] = fake.sent(PRO)
    assert plain(reply.text) == texts.SOMETHING_WRONG


async def test_logs_hold_no_message_text_token_or_telegram_id(app, fake: FakeBotApi, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    secret_words = "mevrouw Jansen heeft een schuld bij de woningcorporatie"
    await feed(app, fake.message_update(OUTSIDER, "geheim van een buitenstaander"))
    await feed(app, fake.message_update(PRO, "/gemeente purmerend"))
    await feed(app, fake.message_update(PRO, secret_words))
    data = fake.sent(PRO)[-1].keyboard[0][0]["callback_data"]
    await feed(app, fake.callback_update(PRO, data))
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "telegram: antwoord aan tg-" in logged  # the bot does log, by pseudonym
    for forbidden in (secret_words, "buitenstaander", TOKEN, TOKEN.split(":")[1], str(PRO), str(OUTSIDER)):
        assert forbidden not in logged

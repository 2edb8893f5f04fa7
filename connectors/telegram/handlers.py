"""What the bot does with each update: the allow-list gate, the commands, free text and button taps.

Nothing of a user outside the allow-list is processed, stored or logged: the gate answers them
once (it remembers a pseudonym, in memory only, to say it only once) and stops every handler.
Logs name users by pseudonym and never contain message text.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, field

from telegram import Chat, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from connectors.telegram import texts
from connectors.telegram.buttons import (
    DONE,
    GEMEENTE_PREFIX,
    ButtonRegistry,
    chosen_keyboard,
    gemeente_keyboard,
)
from connectors.telegram.gemeenten import GemeenteDirectory
from connectors.telegram.identity import pseudonym
from connectors.telegram.protocols import ChatAssistant, SearchBackend
from connectors.telegram.render import Outgoing, esc, render_answer, render_search
from connectors.telegram.store import GemeenteStore
from index.errors import QueryError
from index.search import MAX_QUERY_CHARS
from wegwijzer.chat import ChatRequest

log = logging.getLogger(__name__)

ZOEK_PASSAGES = 3
ZOEK_SERVICES = 3
COMMANDS = {
    "start": "Wat deze bot doet",
    "help": "Alle opdrachten",
    "gemeente": "Kies uw gemeente",
    "zoek": "Zoek in de beleidsteksten",
    "privacy": "Wat er met uw berichten gebeurt",
}

Context = ContextTypes.DEFAULT_TYPE


@dataclass(frozen=True)
class Pending:
    """What a user asked before choosing a gemeente; done as soon as the gemeente is chosen."""

    kind: str  # "chat" or "zoek"
    text: str


class BoundedSet:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, None] = OrderedDict()

    def add(self, item: str) -> bool:
        """True when the item was new."""
        if item in self._items:
            return False
        self._items[item] = None
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return True


@dataclass
class WegwijzerBot:
    token: str  # key of the pseudonyms
    allowed_ids: frozenset[int]
    assistant: ChatAssistant
    directory: GemeenteDirectory
    store: GemeenteStore
    search: SearchBackend
    buttons: ButtonRegistry = field(default_factory=ButtonRegistry)
    refused: BoundedSet = field(default_factory=lambda: BoundedSet(100_000))
    pending: dict[str, Pending] = field(default_factory=dict)

    def register(self, app: Application) -> None:  # type: ignore[type-arg]
        app.add_handler(TypeHandler(Update, self.gate), group=-1)
        only_messages = filters.UpdateType.MESSAGE
        app.add_handler(CommandHandler("start", self.start, filters=only_messages))
        app.add_handler(CommandHandler("help", self.help, filters=only_messages))
        app.add_handler(CommandHandler("privacy", self.privacy, filters=only_messages))
        app.add_handler(CommandHandler("gemeente", self.gemeente, filters=only_messages))
        app.add_handler(CommandHandler("zoek", self.zoek, filters=only_messages))
        app.add_handler(MessageHandler(only_messages & filters.COMMAND, self.unknown_command))
        app.add_handler(MessageHandler(only_messages & filters.TEXT, self.text))
        app.add_handler(MessageHandler(only_messages, self.not_text))
        app.add_handler(CallbackQueryHandler(self.tap))
        app.add_error_handler(self.error)

    def user(self, update: Update) -> str:
        assert update.effective_user is not None  # the gate lets no update without a user through
        return pseudonym(update.effective_user.id, self.token)

    @staticmethod
    def chat_id(update: Update) -> int:
        assert update.effective_chat is not None  # commands and messages always have a chat
        return update.effective_chat.id

    # -- the gate ---------------------------------------------------------------------------

    async def gate(self, update: Update, context: Context) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or user.is_bot or (chat is not None and chat.type != Chat.PRIVATE):
            raise ApplicationHandlerStop  # only private chats with people
        if user.id in self.allowed_ids:
            return
        if self.refused.add(pseudonym(user.id, self.token)) and update.message is not None:
            await context.bot.send_message(update.message.chat_id, texts.REFUSAL.format(user_id=user.id))
        raise ApplicationHandlerStop

    # -- sending ----------------------------------------------------------------------------

    async def send(self, context: Context, chat_id: int, user: str, messages: list[Outgoing]) -> None:
        for out in messages:
            markup = self.buttons.keyboard(user, out.buttons)
            await context.bot.send_message(chat_id, out.html, reply_markup=markup)

    async def say(self, context: Context, chat_id: int, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
        await context.bot.send_message(chat_id, html, reply_markup=markup)

    def gemeente_of(self, user: str) -> str | None:
        gemeente = self.store.get(user)
        return gemeente if self.directory.get(gemeente) else None

    async def ask_gemeente(self, context: Context, chat_id: int, html: str = texts.GEMEENTE_NOT_SET) -> None:
        await self.say(context, chat_id, html, gemeente_keyboard(self.directory.gemeenten))

    # -- commands ---------------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> None:
        chat_id = self.chat_id(update)
        gemeente = self.directory.get(self.gemeente_of(self.user(update)))
        if gemeente is None:
            await self.say(context, chat_id, texts.START)
            await self.ask_gemeente(context, chat_id)
        else:
            current = texts.START_GEMEENTE.format(name=esc(gemeente.name))
            await self.say(context, chat_id, f"{texts.START}\n\n{current}")

    async def help(self, update: Update, context: Context) -> None:
        await self.say(context, self.chat_id(update), texts.HELP)

    async def privacy(self, update: Update, context: Context) -> None:
        await self.say(context, self.chat_id(update), texts.PRIVACY)

    async def unknown_command(self, update: Update, context: Context) -> None:
        await self.say(context, self.chat_id(update), "Die opdracht ken ik niet. Kijk bij /help.")

    async def not_text(self, update: Update, context: Context) -> None:
        await self.say(context, self.chat_id(update), texts.TEXT_ONLY)

    async def gemeente(self, update: Update, context: Context) -> None:
        chat_id, user = self.chat_id(update), self.user(update)
        given = " ".join(context.args or ())
        if not given:
            current = self.directory.get(self.gemeente_of(user))
            html = texts.GEMEENTE_CURRENT.format(name=esc(current.name)) if current else texts.GEMEENTE_ASK
            await self.ask_gemeente(context, chat_id, html)
            return
        found = self.directory.find(given)
        if found is None:
            known = ", ".join(self.directory.names())
            example = self.directory.gemeenten[-1].id if self.directory.gemeenten else ""
            html = texts.GEMEENTE_UNKNOWN.format(given=esc(given[:100]), known=esc(known), example=esc(example))
            await self.ask_gemeente(context, chat_id, html)
            return
        await self.choose_gemeente(context, chat_id, user, found.id)

    async def choose_gemeente(self, context: Context, chat_id: int, user: str, gemeente_id: str) -> None:
        gemeente = self.directory.get(gemeente_id)
        assert gemeente is not None
        self.store.set(user, gemeente.id)
        log.info("telegram: %s koos gemeente %s", user, gemeente.id)
        html = texts.GEMEENTE_SET.format(name=esc(gemeente.name))
        if gemeente.note.get("nl"):
            html += "\n\n" + esc(gemeente.note["nl"])
        await self.say(context, chat_id, html)
        pending = self.pending.pop(user, None)
        if pending is not None and pending.kind == "zoek":
            await self.run_search(context, chat_id, user, pending.text)
        elif pending is not None:
            await self.converse(context, chat_id, user, pending.text)

    async def zoek(self, update: Update, context: Context) -> None:
        chat_id, user = self.chat_id(update), self.user(update)
        query = " ".join(context.args or ())
        if not query:
            await self.say(context, chat_id, esc(texts.ZOEK_EMPTY))
            return
        if self.gemeente_of(user) is None:
            self.pending[user] = Pending("zoek", query)
            await self.ask_gemeente(context, chat_id)
            return
        await self.run_search(context, chat_id, user, query)

    async def run_search(self, context: Context, chat_id: int, user: str, query: str) -> None:
        gemeente = self.directory.get(self.gemeente_of(user))
        assert gemeente is not None
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        try:
            result = await self.search.search(query, gemeente.id, ZOEK_PASSAGES, ZOEK_SERVICES)
        except QueryError as error:
            await self.say(context, chat_id, esc(str(error)))
            return
        except Exception as error:  # a missing or stale index: say so, keep the bot running
            log.warning("telegram: zoeken mislukt (%s)", type(error).__name__)
            await self.say(context, chat_id, esc(texts.ZOEK_UNAVAILABLE))
            return
        log.info("telegram: %s zocht (%d passages, %d plekken)", user, len(result.passages), len(result.services))
        if not result.passages and not result.services:
            await self.say(context, chat_id, texts.ZOEK_NOTHING.format(name=esc(gemeente.name)))
            return
        await self.send(context, chat_id, user, render_search(result, gemeente.name))

    # -- the conversation -------------------------------------------------------------------

    async def text(self, update: Update, context: Context) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        await self.converse(context, message.chat_id, self.user(update), message.text)

    async def converse(self, context: Context, chat_id: int, user: str, text: str) -> None:
        text = text.strip()
        if len(text) > MAX_QUERY_CHARS:
            await self.say(context, chat_id, texts.TOO_LONG.format(length=len(text), limit=MAX_QUERY_CHARS))
            return
        gemeente = self.gemeente_of(user)
        if gemeente is None:
            self.pending[user] = Pending("chat", text)
            await self.ask_gemeente(context, chat_id)
            return
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        request = ChatRequest(session_id=user, message=text, gemeente=gemeente, role="professional")
        try:
            answer = await self.assistant.chat(request)
        except Exception as error:
            log.error("telegram: assistent gaf een fout (%s)", type(error).__name__)
            await self.say(context, chat_id, esc(texts.SOMETHING_WRONG))
            return
        messages = render_answer(answer)
        log.info(
            "telegram: antwoord aan %s (%d berichten, %d bronnen%s)",
            user,
            len(messages),
            len(answer.sources),
            ", noodantwoord" if answer.degraded else "",
        )
        await self.send(context, chat_id, user, messages or [Outgoing(esc(texts.SOMETHING_WRONG))])

    async def tap(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        user, data = self.user(update), query.data or ""
        chat_id = query.message.chat.id if query.message else update.effective_user.id  # type: ignore[union-attr]
        if data == DONE:
            await query.answer()
            return
        if data.startswith(GEMEENTE_PREFIX):
            gemeente = self.directory.get(data[len(GEMEENTE_PREFIX) :])
            if gemeente is None:
                await query.answer(texts.BUTTON_EXPIRED)
                return
            await query.answer()
            await self.mark_chosen(update, gemeente.name)
            await self.choose_gemeente(context, chat_id, user, gemeente.id)
            return
        button = self.buttons.take(user, data)
        if button is None:
            await query.answer(texts.BUTTON_EXPIRED)
            return
        await query.answer()
        await self.mark_chosen(update, button.title)
        await self.converse(context, chat_id, user, button.payload)

    async def mark_chosen(self, update: Update, title: str) -> None:
        """Replace the keyboard of the tapped message by the choice, so it cannot be tapped twice."""
        query = update.callback_query
        if query is None or query.message is None or not query.message.is_accessible:
            return
        try:
            await query.edit_message_reply_markup(chosen_keyboard(title))
        except TelegramError as error:  # e.g. the message is too old to edit; the conversation goes on
            log.debug("telegram: knoppen niet bijgewerkt (%s)", type(error).__name__)

    async def error(self, update: object, context: Context) -> None:
        user = update.effective_user if isinstance(update, Update) else None
        who = pseudonym(user.id, self.token) if user and user.id in self.allowed_ids else "-"
        log.error("telegram: fout bij %s (%s)", who, type(context.error).__name__, exc_info=context.error)

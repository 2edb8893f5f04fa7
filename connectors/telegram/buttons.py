"""Inline keyboards for the assistant's buttons, and what a tap on one of them means.

Telegram allows only 64 bytes of callback data, and a Rasa payload is often longer, so each
button gets a short random key; the payload waits in memory (bounded) until it is tapped.
Gemeente choices carry their id directly ("g:<id>").
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from wegwijzer.chat import Button
from wegwijzer.knowledge.model import Gemeente

PAYLOAD_PREFIX = "b:"
GEMEENTE_PREFIX = "g:"
DONE = "x"  # the data of a button that was already used
MAX_TITLE = 60


@dataclass(frozen=True)
class PendingButton:
    user: str  # pseudonym of the user it was shown to
    title: str
    payload: str


class ButtonRegistry:
    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, PendingButton] = OrderedDict()

    def add(self, user: str, button: Button) -> str:
        key = secrets.token_urlsafe(9)
        self._items[key] = PendingButton(user, button.title, button.payload)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return PAYLOAD_PREFIX + key

    def take(self, user: str, data: str) -> PendingButton | None:
        """The button behind callback data, once; None when unknown, expired or someone else's."""
        if not data.startswith(PAYLOAD_PREFIX):
            return None
        key = data[len(PAYLOAD_PREFIX) :]
        item = self._items.get(key)
        if item is None or item.user != user:
            return None
        del self._items[key]
        return item

    def keyboard(self, user: str, buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
        if not buttons:
            return None
        rows = []
        for b in buttons:
            # Telegram opens only public https addresses; any other link button falls back to its payload.
            if b.url and b.url.startswith("https://"):
                rows.append([InlineKeyboardButton(_title(b.title), url=b.url)])
            elif b.payload:
                rows.append([InlineKeyboardButton(_title(b.title), callback_data=self.add(user, b))])
        return InlineKeyboardMarkup(rows) if rows else None


def _title(title: str) -> str:
    title = " ".join(title.split()) or "Kies"
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def gemeente_keyboard(gemeenten: tuple[Gemeente, ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(g.name, callback_data=GEMEENTE_PREFIX + g.id)] for g in gemeenten]
    )


def chosen_keyboard(title: str) -> InlineKeyboardMarkup:
    """What is left of a keyboard after a tap: the choice, ticked, doing nothing."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"✓ {_title(title)}", callback_data=DONE)]])

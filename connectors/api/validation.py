"""Checks on what a channel sends, each failing with one Dutch sentence (status 422)."""

from __future__ import annotations

import re

from connectors.api.errors import ApiError
from index.search import MAX_QUERY_CHARS
from wegwijzer.chat import ROLES
from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.knowledge.model import LANGUAGES

MAX_MESSAGE_CHARS = MAX_QUERY_CHARS
MAX_K = 20
_SESSION = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


def known_gemeenten(knowledge: KnowledgeBase) -> str:
    return ", ".join(sorted(knowledge.gemeenten))


def gemeente(knowledge: KnowledgeBase, value: str | None) -> str:
    name = (value or "").strip().lower()
    if not name:
        raise ApiError(422, f"Kies een gemeente: {known_gemeenten(knowledge)}.", "gemeente")
    if name not in knowledge.gemeenten:
        for place in knowledge.gemeenten.values():
            if name in (a.lower() for a in place.aliases) or name == place.name.lower():
                return place.id
        raise ApiError(422, f"Onbekende gemeente '{value}'. Kies uit: {known_gemeenten(knowledge)}.", "gemeente")
    return name


def message(value: str) -> str:
    text = value.strip()
    if not text:
        raise ApiError(422, "Het bericht is leeg. Typ eerst uw vraag.", "message")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ApiError(
            422, f"Het bericht is te lang ({len(text)} tekens). Houd het onder {MAX_MESSAGE_CHARS} tekens.", "message"
        )
    return text


def role(value: str | None) -> str:
    name = (value or "inwoner").strip().lower()
    if name not in ROLES:
        raise ApiError(422, f"Onbekende rol '{value}'. Kies uit: {', '.join(ROLES)}.", "role")
    return name


def lang(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().lower()
    if code not in LANGUAGES:
        raise ApiError(422, f"Onbekende taal '{value}'. Kies uit: {', '.join(LANGUAGES)}.", "lang")
    return code


def session_token(value: str | None) -> str | None:
    """The session token a client sent back (sessions.py checks it), or None for a new conversation."""
    if value is None or not value.strip():
        return None
    if not _SESSION.match(value.strip()):
        raise ApiError(
            422, "De session_id mag alleen letters, cijfers en . _ : - bevatten, en hoogstens 100 tekens.", "session_id"
        )
    return value.strip()


def topic(knowledge: KnowledgeBase, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if value.strip() not in knowledge.topics:
        raise ApiError(422, f"Onbekend onderwerp '{value}'. Kies uit: {', '.join(sorted(knowledge.topics))}.", "topic")
    return value.strip()


def k(value: int) -> int:
    if not 1 <= value <= MAX_K:
        raise ApiError(422, f"k moet tussen 1 en {MAX_K} liggen.", "k")
    return value

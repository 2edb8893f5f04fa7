"""The texts of knowledge/texts/, filled in: a sentence in the user's language, never invented facts."""

from __future__ import annotations

import re
import string
from typing import NamedTuple

from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.knowledge.model import Contact, Gemeente

DEFAULT_LANGUAGE = "nl"
FALLBACK_LANGUAGE = "en"  # a text missing in a partly translated language is sent in English


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


class Phrase(NamedTuple):
    """A sentence to send, and its simpler version (A2, the `simple:` texts) when there is one that differs."""

    text: str
    simple: str | None = None


def _fill(template: str, values: dict[str, object]) -> str:
    filled = string.Formatter().vformat(template, (), _Blank({k: str(v) for k, v in values.items()}))
    return " ".join(filled.split())


class Phrasebook:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.languages = tuple(knowledge.texts)

    def language(self, lang: str | None) -> str:
        return lang if lang in self.knowledge.texts else DEFAULT_LANGUAGE

    def patterns(self, kind: str) -> list[re.Pattern[str]]:
        """The regular expressions of one kind (handoff, vague, ...) from every language's texts file."""
        return [
            re.compile(pattern, re.IGNORECASE)
            for texts in self.knowledge.texts.values()
            for pattern in getattr(texts, kind)
        ]

    def has(self, key: str, lang: str) -> bool:
        return key in self.knowledge.texts[self.language(lang)].texts

    def _template(self, key: str, lang: str | None) -> str:
        for candidate in (self.language(lang), FALLBACK_LANGUAGE, DEFAULT_LANGUAGE):
            texts = self.knowledge.texts.get(candidate)
            if texts and key in texts.texts:
                return texts.texts[key]
        raise KeyError(f"tekst '{key}' bestaat niet in knowledge/texts/")

    def say(self, key: str, lang: str | None, **values: object) -> str:
        return _fill(self._template(key, lang), values)

    def phrase(
        self, key: str, lang: str | None, simple_values: dict[str, str] | None = None, **values: object
    ) -> Phrase:
        """The text and its simpler version: the A2 text of the same language (else the text itself) filled
        in with `simple_values` over `values` (a place's own A2 words). No simpler version when it would
        say the same; a language without A2 texts keeps its B1 text."""
        text = self.say(key, lang, **values)
        texts = self.knowledge.texts.get(self.language(lang))
        template = texts.simple.get(key) if texts and key in texts.texts else None
        if template is None and not simple_values:
            return Phrase(text)
        simple = _fill(template or self._template(key, lang), {**values, **(simple_values or {})})
        return Phrase(text, simple if simple != text else None)

    def contact(self, contact: Contact, lang: str | None) -> str:
        """'Bel X of kijk op Y.' with only the facts the content holds."""
        if contact.phone and contact.website:
            return self.say("contact_phone_web", lang, phone=contact.phone, website=contact.website)
        if contact.phone:
            return self.say("contact_phone", lang, phone=contact.phone)
        if contact.website:
            return self.say("contact_web", lang, website=contact.website)
        return self.say("contact_none", lang)

    def gemeente_contact(self, gemeente: Gemeente | None, lang: str | None) -> str:
        return self.contact(gemeente.general_contact, lang) if gemeente else self.say("contact_none", lang)

    def topic_label(self, topic: str, lang: str | None) -> str:
        texts = self.knowledge.texts.get(self.language(lang))
        if texts and topic in texts.topics:
            return texts.topics[topic]
        names = self.knowledge.topics[topic].name if topic in self.knowledge.topics else {}
        return names.get(self.language(lang)) or names.get(FALLBACK_LANGUAGE) or topic

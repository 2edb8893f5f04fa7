"""The texts of knowledge/texts/, filled in: a sentence in the user's language, never invented facts."""

from __future__ import annotations

import re
import string

from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.knowledge.model import Contact, Gemeente

DEFAULT_LANGUAGE = "nl"
FALLBACK_LANGUAGE = "en"  # a text missing in a partly translated language is sent in English


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


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

    def say(self, key: str, lang: str | None, **values: object) -> str:
        for candidate in (self.language(lang), FALLBACK_LANGUAGE, DEFAULT_LANGUAGE):
            texts = self.knowledge.texts.get(candidate)
            if texts and key in texts.texts:
                template = texts.texts[key]
                break
        else:
            raise KeyError(f"tekst '{key}' bestaat niet in knowledge/texts/")
        filled = string.Formatter().vformat(template, (), _Blank({k: str(v) for k, v in values.items()}))
        return " ".join(filled.split())

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

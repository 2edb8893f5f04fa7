"""From a search result to places: how likely each is, and what to say about one."""

from __future__ import annotations

import math
from dataclasses import dataclass

from index.chunking import Passage
from index.search import SearchResult, Weights
from wegwijzer.dialogue.messages import Reply, Source
from wegwijzer.dialogue.phrasebook import FALLBACK_LANGUAGE, Phrasebook
from wegwijzer.knowledge import KnowledgeBase, Service
from wegwijzer.knowledge.model import Contact
from wegwijzer.text import contains_verbatim

CALIBRATION_PLACES = 3
OLD_AFTER_YEARS = 6  # a framework older than this gets a note that things may have changed
CURRENT_YEAR = 2026


@dataclass(frozen=True)
class PlaceChoice:
    service: Service
    probability: float


def rank_places(result: SearchResult, weights: Weights) -> list[PlaceChoice]:
    """P(place | question) over the top places and "none of these" (the no-place score)."""
    scores = [hit.score / weights.service_temperature for hit in result.services]
    none = weights.no_place_score / weights.service_temperature
    top = max([*scores, none])
    # Normalised over the best CALIBRATION_PLACES and "none", as the thresholds were set; places
    # further down get their share on the same scale.
    total = sum(math.exp(s - top) for s in [*scores[:CALIBRATION_PLACES], none])
    return [PlaceChoice(hit.service, math.exp(s - top) / total) for hit, s in zip(result.services, scores, strict=True)]


class PlaceWriter:
    """Two to four short sentences about a place, in the user's language, with the source."""

    def __init__(self, knowledge: KnowledgeBase, phrasebook: Phrasebook) -> None:
        self.knowledge = knowledge
        self.say = phrasebook.say
        self.phrasebook = phrasebook

    def how_to_reach(self, service: Service, gemeente: str, lang: str) -> str:
        if lang in service.contact.how:
            return service.contact.how[lang]
        if service.contact.via_general_contact and gemeente in self.knowledge.gemeenten:
            return self.phrasebook.gemeente_contact(self.knowledge.gemeenten[gemeente], lang)
        own = Contact(phone=service.contact.phone, website=service.contact.website)
        return self.phrasebook.contact(own, lang)

    def what_they_do(self, service: Service, lang: str) -> str:
        if lang in service.summary:
            return service.summary[lang]
        explanation = self.phrasebook.topic_label(service.topics[0], lang) if service.topics else ""
        if explanation and self.phrasebook.has("place_explained", lang):
            return self.say("place_explained", lang, place=service.name, explanation=explanation)
        return service.summary.get(FALLBACK_LANGUAGE, "")

    def source_of(self, service: Service) -> Source | None:
        """The document section that the place's own source quote stands in."""
        if not service.source_document or service.source_document not in self.knowledge.documents:
            return None
        document = self.knowledge.documents[service.source_document]
        for section in document.sections:
            if service.source_quote and contains_verbatim(section.text, service.source_quote):
                return Source(document.title, " > ".join(section.path), document.gemeente, document.year)
        return Source(document.title, "", document.gemeente, document.year)

    def source_sentence(self, source: Source | None, lang: str) -> str:
        if source is None:
            return ""
        sentence = self.say("source", lang, document=f"{source.document} ({source.year})", section=source.section)
        if source.year and CURRENT_YEAR - source.year >= OLD_AFTER_YEARS:
            sentence += " " + self.say("old_source", lang, year=source.year)
        return sentence

    def place_reply(self, service: Service, gemeente: str, lang: str, intro_key: str = "answer_place") -> Reply:
        what = f"{self.say(intro_key, lang, place=service.name)} {self.what_they_do(service, lang)}"
        parts = [what, self.how_to_reach(service, gemeente, lang), self.source_sentence(self.source_of(service), lang)]
        return Reply("\n".join(p.strip() for p in parts if p.strip()))


def passage_source(passage: Passage, with_text: bool) -> Source:
    return Source(
        document=passage.document_title,
        section=" > ".join(passage.section_path),
        gemeente=passage.gemeente,
        year=passage.year,
        passage=passage.text if with_text else None,
    )

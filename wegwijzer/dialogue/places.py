"""From a search result to places: how likely each is, and what to say about one."""

from __future__ import annotations

from index.chunking import Passage
from wegwijzer.chat import Reply, Source
from wegwijzer.dialogue.calibration import OLD_AFTER_YEARS, this_year
from wegwijzer.dialogue.phrasebook import FALLBACK_LANGUAGE, Phrase, Phrasebook
from wegwijzer.knowledge import KnowledgeBase, Service
from wegwijzer.knowledge.model import Contact
from wegwijzer.knowledge.text import contains_verbatim


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

    def simple_how(self, service: Service, gemeente: str, lang: str) -> str:
        """How to reach the place in A2 words when the content has them, else as `how_to_reach` says it."""
        simple = self.knowledge.simple.get(service.id)
        return (simple.how.get(lang) if simple else None) or self.how_to_reach(service, gemeente, lang)

    def what_they_do(self, service: Service, lang: str) -> str:
        if lang in service.summary:
            return service.summary[lang]
        explanation = self.phrasebook.topic_label(service.topics[0], lang) if service.topics else ""
        if explanation and self.phrasebook.has("place_explained", lang):
            return self.say("place_explained", lang, place=service.name, explanation=explanation)
        return service.summary.get(FALLBACK_LANGUAGE, "")

    def source_of(self, service: Service, gemeente: str | None = None) -> Source | None:
        """The document section that the place's own source quote stands in. A national service is not
        cited with another gemeente's document: a resident of Purmerend is not sent to Heerhugowaard's note."""
        if not service.source_document or service.source_document not in self.knowledge.documents:
            return None
        document = self.knowledge.documents[service.source_document]
        if gemeente and document.gemeente != gemeente:
            return None
        for section in document.sections:
            if service.source_quote and contains_verbatim(section.text, service.source_quote):
                return Source(document.title, " > ".join(section.path), document.gemeente, document.year)
        return Source(document.title, "", document.gemeente, document.year)

    def age_note(self, source: Source | None, lang: str) -> str:
        """A warning when the text a place comes from is old; the citation itself goes with the sources."""
        return self._age_phrase(source, lang).text

    def _age_phrase(self, source: Source | None, lang: str) -> Phrase:
        if source is None or not source.year or this_year() - source.year < OLD_AFTER_YEARS:
            return Phrase("")
        return self.phrasebook.phrase("old_source", lang, year=source.year)

    def place_reply(self, service: Service, gemeente: str, lang: str, intro_key: str = "answer_place") -> Reply:
        """The place in B1, and in A2 when knowledge/simple has the place in this language."""
        intro = self.phrasebook.phrase(intro_key, lang, place=service.name)
        age = self._age_phrase(self.source_of(service, gemeente), lang)
        what = self.what_they_do(service, lang)
        text = _lines(f"{intro.text} {what}", self.how_to_reach(service, gemeente, lang), age.text)
        simple_place = self.knowledge.simple.get(service.id)
        if simple_place is None or lang not in simple_place.summary:
            return Reply(text)
        simple = _lines(
            f"{intro.simple or intro.text} {simple_place.summary[lang]}",
            self.simple_how(service, gemeente, lang),
            age.simple or age.text,
        )
        return Reply(text, simple=simple if simple != text else None)


def _lines(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p.strip())


def passage_source(passage: Passage, with_text: bool) -> Source:
    return Source(
        document=passage.document_title,
        section=" > ".join(passage.section_path),
        gemeente=passage.gemeente,
        year=passage.year,
        passage=passage.text if with_text else None,
    )

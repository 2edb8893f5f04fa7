"""Plain data classes for the content: gemeenten, documents, services, topics, glossary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

LANGUAGES = ("nl", "en", "ar", "tr", "uk", "pl")
NATIONAL = "landelijk"
# Who is asking: a resident, a professional (wijkteam, school, GP) or the front desk.
Role = Literal["inwoner", "professional", "balie"]
ROLES: tuple[str, ...] = get_args(Role)


@dataclass(frozen=True)
class Contact:
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Gemeente:
    id: str
    name: str
    general_contact: Contact
    note: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A part of a document under one heading; `path` holds the headings above it too."""

    id: str
    title: str
    path: tuple[str, ...]
    line: int
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class SourceDocument:
    id: str
    gemeente: str
    title: str
    year: int
    kind: str
    original_file: str
    cut_off: bool
    body: str
    sections: tuple[Section, ...]
    path: str


@dataclass(frozen=True)
class ServiceContact:
    phone: str | None
    website: str | None
    email: str | None
    address: str | None
    via_general_contact: bool
    how: dict[str, str]


@dataclass(frozen=True)
class Service:
    id: str
    gemeente: str
    name: str
    kind: str
    topics: tuple[str, ...]
    summary: dict[str, str]
    contact: ServiceContact
    source_document: str | None
    source_quote: str | None
    source_public: str | None
    aliases: tuple[str, ...] = ()
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    also: tuple[tuple[str, str], ...] = ()  # further (document, quote) pairs about this place
    # A national service that complements the gemeente's own place or front door: named after it,
    # never instead of it (the national layer of knowledge/services/landelijk.yaml).
    after_local: bool = False

    @property
    def quotes(self) -> tuple[tuple[str, str], ...]:
        """Every (document, quote) the entry rests on: its source first, then the others."""
        main = ((self.source_document, self.source_quote),) if self.source_document and self.source_quote else ()
        return main + self.also

    @property
    def is_national(self) -> bool:
        return self.gemeente == NATIONAL


@dataclass(frozen=True)
class Topic:
    id: str
    name: dict[str, str]
    description: dict[str, str]
    examples: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    aliases: tuple[str, ...]
    explanation: dict[str, str]


@dataclass(frozen=True)
class LanguageTexts:
    """Everything the assistant says in one language, plus the words that recognise it."""

    lang: str
    name: str
    detect: tuple[str, ...]
    topics: dict[str, str]
    texts: dict[str, str]
    frames: tuple[str, ...] = ()  # regexes for how professionals frame a question (left out in search)
    handoff: tuple[str, ...] = ()  # regexes for asking for a person, whatever the NLU says
    other_matters: tuple[str, ...] = ()  # regexes for the gemeente's matters outside help and care (passport)
    vague: tuple[str, ...] = ()  # regexes for asking for help without saying what for ("waar kan ik terecht?")
    definition_questions: tuple[str, ...] = ()  # regexes for asking what a word means ("wat verstaat ... onder")
    page: dict[str, str] = field(default_factory=dict)  # the pages' own words (headings, labels, buttons)
    simple: dict[str, str] = field(default_factory=dict)  # A2 versions of texts, for "Zeg het simpeler"


@dataclass(frozen=True)
class CrisisSignal:
    id: str
    text: str  # key in LanguageTexts.texts: the lines, sent first when the signal is clear
    check: str  # key in LanguageTexts.texts: one short line before the answer when it is only possible
    lines: tuple[str, ...]  # national service ids
    patterns: dict[str, tuple[str, ...]]  # high-precision extras; the learned detector does the rest


@dataclass(frozen=True)
class LinePlace:
    """A national line that is a place outside a crisis: for these askers, when one of these topics is
    the question's most likely (crisis.yaml, lines_as_places)."""

    roles: tuple[str, ...]
    topics: tuple[str, ...]


NO_CRISIS = "none"  # the label of a crisis-bank example that is no emergency (a look-alike)


@dataclass(frozen=True)
class CrisisExample:
    """One message of knowledge/crisis_bank: a signal id of crisis.yaml, or NO_CRISIS."""

    lang: str
    signal: str
    text: str


@dataclass(frozen=True)
class Theme:
    """A gemeente's colours on the pages (knowledge/huisstijl): design tokens per colour scheme."""

    gemeente: str
    tokens: dict[str, dict[str, str]]  # "light" / "dark" -> token -> #rrggbb


@dataclass(frozen=True)
class SimplePlace:
    """A place said simpler (A2, knowledge/simple): what they do and, when it needs it, how to reach them.
    Per language; a language without one falls back to the place's B1 text."""

    summary: dict[str, str]
    how: dict[str, str] = field(default_factory=dict)


@dataclass
class KnowledgeBase:
    gemeenten: dict[str, Gemeente]
    documents: dict[str, SourceDocument]
    services: dict[str, Service]
    topics: dict[str, Topic]
    glossary: list[GlossaryTerm]
    content_hash: str
    texts: dict[str, LanguageTexts] = field(default_factory=dict)
    crisis: list[CrisisSignal] = field(default_factory=list)
    crisis_bank: tuple[CrisisExample, ...] = ()
    crisis_bank_hash: str = ""  # over the bank and the signal ids: a detector trained on another bank is stale
    lines_as_places: dict[str, LinePlace] = field(default_factory=dict)  # a line that may be a place outside a crisis
    themes: dict[str, Theme] = field(default_factory=dict)  # the gemeente's colours on the pages
    simple: dict[str, SimplePlace] = field(default_factory=dict)  # service id -> its A2 texts

    def services_for(self, gemeente: str) -> list[Service]:
        """The gemeente's own services plus the national lines."""
        return [s for s in self.services.values() if s.gemeente in (gemeente, NATIONAL)]

    def documents_for(self, gemeente: str) -> list[SourceDocument]:
        return [d for d in self.documents.values() if d.gemeente == gemeente]

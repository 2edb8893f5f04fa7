"""Cut documents into passages: contiguous paragraphs within one section, cited by document and section."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wegwijzer.knowledge import KnowledgeBase, Section, SourceDocument
from wegwijzer.knowledge.text import strip_emphasis

# Sections are kept whole up to this size: larger passages measured better on the dev set
# (hit@5 0.78 at 90 words, 0.85 at 160, 0.91 at 260; see docs/retrieval.md).
TARGET_WORDS = 260
MAX_WORDS = 380
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[A-Z0-9“\"'(•-])")
# "Eigen kracht: burgers lossen ..." -- a term of at most five words, a colon, its explanation.
_DEFINITION = re.compile(r"^[*_]*[A-ZÀ-Ý][\w'’ -]{1,60}?[*_]*:\s+\S")
DEFINITION_LIST_SHARE = 0.6  # a section with at least this share of definitions is a glossary
DEFINITION_LIST_MIN = 4


@dataclass(frozen=True)
class Passage:
    id: str
    gemeente: str
    document: str
    document_title: str
    year: int
    section: str
    section_title: str
    section_path: tuple[str, ...]
    text: str
    term: str | None = None  # the word a glossary passage defines ("Eigen kracht")

    def citation(self) -> str:
        return f"{self.document_title} ({self.year}), {' > '.join(self.section_path)}"


def _words(text: str) -> int:
    return len(text.split())


def _split_long(paragraph: str) -> list[str]:
    """A paragraph longer than MAX_WORDS is cut at sentence ends into pieces near TARGET_WORDS."""
    if _words(paragraph) <= MAX_WORDS:
        return [paragraph]
    pieces, current = [], ""
    for sentence in _SENTENCE_END.split(paragraph):
        if current and _words(current) + _words(sentence) > TARGET_WORDS:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def _is_definition(paragraph: str) -> bool:
    term = paragraph.split(":", 1)[0]
    return bool(_DEFINITION.match(paragraph)) and len(term.split()) <= 5


def defined_term(chunk: str) -> str | None:
    """The term a definition chunk explains: the words before its colon."""
    return strip_emphasis(chunk.split(":", 1)[0]) if _is_definition(chunk) else None


def is_definition_list(section: Section) -> bool:
    """A glossary: mostly "term: explanation" paragraphs. Each definition answers its own question
    ("what does the framework mean by eigen kracht?"), so it becomes its own passage."""
    definitions = sum(_is_definition(p) for p in section.paragraphs)
    return definitions >= DEFINITION_LIST_MIN and definitions >= DEFINITION_LIST_SHARE * len(section.paragraphs)


def section_chunks(section: Section) -> list[str]:
    """Group a section's paragraphs into chunks of about TARGET_WORDS words; a glossary's
    definitions stay one per chunk."""
    if is_definition_list(section):
        return [piece for paragraph in section.paragraphs for piece in _split_long(strip_emphasis(paragraph))]
    chunks: list[str] = []
    current: list[str] = []
    for paragraph in section.paragraphs:
        for piece in _split_long(strip_emphasis(paragraph)):
            if current and _words(" ".join(current)) + _words(piece) > TARGET_WORDS:
                chunks.append("\n".join(current))
                current = []
            current.append(piece)
    if current:
        chunks.append("\n".join(current))
    return chunks


def document_passages(document: SourceDocument) -> list[Passage]:
    passages = []
    for section in document.sections:
        chunks = section_chunks(section)
        terms = [defined_term(c) for c in chunks] if is_definition_list(section) else [None] * len(chunks)
        if section.title != document.title:  # every chunk carries its heading, as a citation does
            chunks = [f"{strip_emphasis(section.title)}\n{chunk}" for chunk in chunks]
        for n, (text, term) in enumerate(zip(chunks, terms, strict=True), start=1):
            passages.append(
                Passage(
                    id=f"{document.id}#{section.id}-{n}",
                    gemeente=document.gemeente,
                    document=document.id,
                    document_title=document.title,
                    year=document.year,
                    section=section.id,
                    section_title=section.title,
                    section_path=section.path,
                    text=text,
                    term=term,
                )
            )
    return passages


def all_passages(knowledge: KnowledgeBase) -> list[Passage]:
    return [p for doc in knowledge.documents.values() for p in document_passages(doc)]

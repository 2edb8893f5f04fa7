"""Links to the source texts: every source a resident or the front desk sees is a link to /bronnen."""

from __future__ import annotations

from urllib.parse import quote

from wegwijzer.knowledge import KnowledgeBase, Section, SourceDocument
from wegwijzer.knowledge.text import contains_verbatim, strip_emphasis


def document_url(document: SourceDocument, section: Section | None = None) -> str:
    """The cited section on a page of its own (with its heading), or the whole document."""
    url = f"/bronnen/{quote(document.id)}"
    return f"{url}/{quote(section.id)}" if section else url


def find_section_by_id(document: SourceDocument, section_id: str) -> Section | None:
    return next((s for s in document.sections if s.id == section_id), None)


def is_export_leftover(document: SourceDocument, section: Section) -> bool:
    """Words before a document's first heading that the PDF or web export left behind ("PDF Opties"):
    only short fragments, no sentence. They are not shown to a resident."""
    before_first_heading = section.path == (document.title,) or not section.path
    return before_first_heading and all(
        len(p.split()) <= 3 and not p.rstrip().endswith((".", "?", "!", ":")) for p in section.paragraphs
    )


def find_document(knowledge: KnowledgeBase, title_or_id: str, gemeente: str | None = None) -> SourceDocument | None:
    if title_or_id in knowledge.documents:
        return knowledge.documents[title_or_id]
    matches = [d for d in knowledge.documents.values() if d.title == title_or_id]
    if gemeente:
        matches = [d for d in matches if d.gemeente == gemeente] or matches
    return matches[0] if matches else None


def _path_text(parts: tuple[str, ...] | list[str]) -> str:
    return " > ".join(strip_emphasis(p) for p in parts)


def find_section(document: SourceDocument, section: str) -> Section | None:
    """The section by its path ('A > B'), its title, or its id."""
    wanted = section.strip()
    for candidate in document.sections:
        if wanted in (candidate.id, _path_text(candidate.path), strip_emphasis(candidate.title)):
            return candidate
    last = wanted.split(">")[-1].strip()
    return next((c for c in document.sections if strip_emphasis(c.title) == last), None)


def source_url(knowledge: KnowledgeBase, document: str, section: str, gemeente: str | None = None) -> str | None:
    found = find_document(knowledge, document, gemeente)
    if found is None:
        return None
    return document_url(found, find_section(found, section) if section else None)


def quote_url(knowledge: KnowledgeBase, document_id: str, quote_text: str) -> str | None:
    """The section of a document that holds a quote."""
    document = knowledge.documents.get(document_id)
    if document is None:
        return None
    section = next((s for s in document.sections if contains_verbatim(s.text, quote_text)), None)
    return document_url(document, section)

"""Turn the assistant's answers and search results into Telegram HTML messages.

Every text that comes from the assistant or the index goes through html.escape; the only markup
is our own. Long messages are split by html_split; a reply's buttons go on its last piece.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from connectors.telegram.html_split import MAX_MESSAGE, split_html
from index.search import SearchResult
from wegwijzer.chat import Button, ChatAnswer, Source


@dataclass(frozen=True)
class Outgoing:
    html: str
    buttons: tuple[Button, ...] = ()


def esc(text: str) -> str:
    return escape(text, quote=False)


def source_line(document: str, section: str, year: int | None = None) -> str:
    title = f"{document} ({year})" if year else document
    return f"Bron: {title}, {section}" if section else f"Bron: {title}"


def _source_block(source: Source) -> str:
    line = f"<i>{esc(source_line(source.document, source.section, source.year))}</i>"
    if source.passage:
        line += f"\n<blockquote expandable>{esc(source.passage.strip())}</blockquote>"
    return line


def messages(html: str, buttons: tuple[Button, ...] = (), limit: int = MAX_MESSAGE) -> list[Outgoing]:
    pieces = split_html(html, limit)
    if not pieces:
        return []
    return [Outgoing(p) for p in pieces[:-1]] + [Outgoing(pieces[-1], buttons)]


def render_answer(answer: ChatAnswer, limit: int = MAX_MESSAGE) -> list[Outgoing]:
    """One message (or more, when long) per reply; the sources follow the last reply."""
    replies = [r for r in answer.replies if r.text.strip() or r.buttons]
    out: list[Outgoing] = []
    for n, reply in enumerate(replies):
        html = esc(reply.text.strip())
        if n == len(replies) - 1 and answer.sources:
            html += "\n\n" + "\n\n".join(_source_block(s) for s in answer.sources)
        if not html.strip():
            html = "Kies een van deze mogelijkheden:"
        out += messages(html, reply.buttons, limit)
    return out


def render_search(result: SearchResult, gemeente_name: str, limit: int = MAX_MESSAGE) -> list[Outgoing]:
    """The matching places first (what to refer to), then the passages with their source."""
    blocks = [f"<b>Zoeken in {esc(gemeente_name)}:</b> {esc(result.query)}"]
    if result.services:
        blocks.append("<b>Plekken die passen</b>")
        for hit in result.services:
            service = hit.service
            lines = [f"• <b>{esc(service.name)}</b>"]
            summary = service.summary.get("nl")
            if summary:
                lines.append(esc(summary))
            how = service.contact.how.get("nl")
            if how:
                lines.append(f"<i>Contact:</i> {esc(how)}")
            blocks.append("\n".join(lines))
    if result.passages:
        blocks.append("<b>Uit de beleidsteksten</b>")
        for n, hit in enumerate(result.passages, start=1):
            p = hit.passage
            cite = source_line(p.document_title, " > ".join(p.section_path), p.year)
            blocks.append(f"<b>{n}.</b> <i>{esc(cite)}</i>\n<blockquote expandable>{esc(p.text.strip())}</blockquote>")
    return messages("\n\n".join(blocks), (), limit)

"""Read a framework text: YAML front matter plus Markdown split into sections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wegwijzer.knowledge.model import Section
from wegwijzer.knowledge.yaml_lines import LinedYaml, YamlSyntaxError, parse_yaml

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


class FrontMatterError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class ParsedMarkdown:
    front_matter: LinedYaml
    body: str
    body_first_line: int


def split_front_matter(text: str) -> ParsedMarkdown:
    """Separate the `---` fenced front matter from the body; errors carry a line."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError("front matter ontbreekt: het bestand moet beginnen met een regel '---'", 1)
    closing = [n for n, line in enumerate(lines[1:], start=1) if line.strip() == "---"]
    if not closing:
        raise FrontMatterError("front matter is niet afgesloten met een regel '---'", 1)
    end = closing[0]
    try:
        front = parse_yaml("\n".join(lines[1:end]), line_offset=1)
    except YamlSyntaxError as error:
        raise FrontMatterError(str(error), error.line) from error
    if not isinstance(front.data, dict):
        raise FrontMatterError("front matter moet een YAML-mapping zijn (sleutel: waarde)", 2)
    return ParsedMarkdown(front_matter=front, body="\n".join(lines[end + 1 :]), body_first_line=end + 2)


def slugify(text: str) -> str:
    text = text.lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-")
    return text or "sectie"


def _clean_paragraph(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines).strip()


def parse_sections(body: str, first_line: int, document_title: str) -> tuple[Section, ...]:
    """Split a Markdown body into sections by heading; paragraphs are separated by blank lines.

    List items become paragraphs of their own, so a passage never cuts a bullet in half.
    Text before the first heading belongs to a section named after the document.
    """
    body = HTML_COMMENT.sub("", body)
    sections: list[Section] = []
    heading_stack: list[tuple[int, str]] = []
    title, line_no, paragraphs, current = document_title, first_line, [], []
    used_ids: set[str] = set()

    def close_paragraph() -> None:
        if current:
            text = _clean_paragraph(current)
            if text:
                paragraphs.append(text)
            current.clear()

    def close_section() -> None:
        close_paragraph()
        if paragraphs:
            path = tuple(h for _, h in heading_stack) or (title,)
            base = slugify(path[-1])
            section_id, n = base, 2
            while section_id in used_ids:
                section_id, n = f"{base}-{n}", n + 1
            used_ids.add(section_id)
            sections.append(Section(section_id, path[-1], path, line_no, tuple(paragraphs)))
        paragraphs.clear()

    for offset, raw in enumerate(body.split("\n")):
        match = HEADING.match(raw.strip())
        if match:
            close_section()
            level, heading = len(match.group(1)), match.group(2).strip("*_ ").strip()
            while heading_stack and heading_stack[-1][0] >= level:
                heading_stack.pop()
            heading_stack.append((level, heading))
            title, line_no = heading, first_line + offset
            continue
        stripped = raw.strip()
        if not stripped:
            close_paragraph()
        elif re.match(r"^([-*+•]|\d+[.)])\s+", stripped):
            close_paragraph()
            current.append(stripped)
        else:
            current.append(stripped)
    close_section()
    return tuple(sections)

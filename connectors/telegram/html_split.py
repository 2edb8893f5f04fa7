"""Split a Telegram HTML message into pieces within the length limit without breaking markup.

A cut prefers a paragraph break, then a line break, then a space; tags open at the cut are closed
at the end of one piece and opened again at the start of the next, and an entity such as &amp;
is never cut in two. Lengths are counted in UTF-16 code units, as Telegram counts them, over the
HTML itself (tags included), which is stricter than Telegram's limit on the parsed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MESSAGE = 4096
_ATOM = re.compile(r"<[^<>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+);|[^<&]|[<&]", re.DOTALL)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")
_FILL = 0.5  # a preferred break is used only when it fills at least half of the piece


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class _Atom:
    html: str
    size: int
    tag: str | None = None  # tag name for tags
    closing: bool = False


def _atoms(html: str) -> list[_Atom]:
    atoms = []
    for match in _ATOM.finditer(html):
        text = match.group(0)
        tag = _TAG.match(text) if text.startswith("<") and len(text) > 1 else None
        if tag:
            atoms.append(_Atom(text, units(text), tag.group(2).lower(), tag.group(1) == "/"))
        else:
            atoms.append(_Atom(text, units(text)))
    return atoms


def _apply(stack: tuple[_Atom, ...], atom: _Atom) -> tuple[_Atom, ...]:
    if atom.tag is None:
        return stack
    if not atom.closing:
        return (*stack, atom)
    for n in range(len(stack) - 1, -1, -1):
        if stack[n].tag == atom.tag:
            return stack[:n] + stack[n + 1 :]
    return stack


def _closing(stack: tuple[_Atom, ...]) -> str:
    return "".join(f"</{atom.tag}>" for atom in reversed(stack))


def _priority(atoms: list[_Atom], end: int) -> int:
    """How good a cut just before atoms[end] is: 3 paragraph, 2 line, 1 word, 0 anywhere."""
    last = atoms[end - 1].html
    if last == "\n":
        return 3 if end >= 2 and atoms[end - 2].html == "\n" else 2
    return 1 if last in (" ", "\t") else 0


def _has_text(atoms: list[_Atom]) -> bool:
    return any(a.tag is None and a.html.strip() for a in atoms)


def split_html(html: str, limit: int = MAX_MESSAGE) -> list[str]:
    """The pieces of `html`, each at most `limit` UTF-16 units, each well-formed on its own."""
    atoms = _atoms(html.strip())
    pieces: list[str] = []
    stack: tuple[_Atom, ...] = ()
    start = 0
    while start < len(atoms):
        prefix = "".join(a.html for a in stack)
        size, current, end = units(prefix), stack, start
        best: dict[int, tuple[int, tuple[_Atom, ...], int]] = {}  # priority -> (end, stack, size)
        while end < len(atoms):
            atom = atoms[end]
            after = _apply(current, atom)
            if size + atom.size + units(_closing(after)) > limit and end > start:
                break
            size, current, end = size + atom.size, after, end + 1
            if atom.tag is None:
                best[_priority(atoms, end)] = (end, current, size)
        if end < len(atoms):
            choice = next((best[p] for p in (3, 2, 1) if p in best and best[p][2] >= limit * _FILL), None)
            if choice is None:
                fallback = [best[p] for p in (3, 2, 1) if p in best]
                choice = max(fallback, key=lambda c: c[0]) if fallback else (end, current, size)
            end, current, _ = choice
        if _has_text(atoms[start:end]):
            piece = prefix + "".join(a.html for a in atoms[start:end]).rstrip() + _closing(current)
            pieces.append(piece)
        stack, start = current, end
        while start < len(atoms) and atoms[start].tag is None and not atoms[start].html.strip():
            start += 1  # no piece starts with the whitespace of the break
    return pieces

#!/usr/bin/env python3
"""One-off converter: the plain-text PDF exports in shared/seeds/ -> draft Markdown sources.

Kept as a record of how knowledge/sources/*/*.md were first produced. It is NOT part of the
build and must not be run by it: after the first conversion the .md files were hand-fixed
(headings, captions, nested lists) and are the source of truth; content teams edit them by hand.

What it does (mechanical only, no words are added, dropped or reordered):
- ligatures (ĳ, Ĳ, ﬁ, ﬂ, ...) -> plain letters;
- hard line breaks inside a paragraph -> one line per paragraph, blank line between paragraphs
  (a paragraph split over a page break, i.e. a long block not ending in sentence punctuation
  followed by a block starting in lower case, is joined too);
- end-of-line hyphenation ("gemeen-" + "telijke") -> "gemeentelijke" (only when the next line
  starts in lower case; real hyphens inside a line are never touched);
- bullets (•, -, *, o) -> "- "; numbered items "1. " are kept as Markdown ordered items;
- existing Markdown (headings, emphasis, links, "  " hard breaks) is kept as it is.
It does not decide which plain lines are headings: it lists candidates on stderr.

Hand fixes made after the first run (recorded here, not automated):
- plain title lines -> headings (#..#####), one H1 per document where the text has a title
  (002 has no title line: its two parts "Wat gaan we doen ..." and "Belangrijk om te weten" are H1);
- 000: extra H1s demoted to H2, the four uitgangspunten nested as H3 with "Wat is (er) nodig?" as H4,
  the contact labels (*Bezoekadres*, *Postadres*, *Telefoon & e-mail*) made H2 headings;
- 003: photo captions (e.g. "Het Zorgloket") kept in place as *italic* paragraphs, not headings;
  the summary's four aandachtsvelden made a nested list; "Welzijnswerk" in 001 split off as H4;
- 004: "Tot slot" raised from H3 to H2.
tests/test_sources_faithful.py proves that no word was dropped, added or reordered.

Usage:
    python scripts/convert_seeds.py [--seeds DIR] [--out DIR] [--force]
By default it writes drafts to var/seed-drafts/<gemeente>/<id>.md (var/ is git-ignored), so it
can never overwrite the hand-fixed files in knowledge/sources/ by accident.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

LIGATURES = {
    "\u0133": "ij",  # ĳ
    "\u0132": "IJ",  # Ĳ
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}


@dataclass(frozen=True)
class Seed:
    original_file: str
    id: str
    gemeente: str
    title: str
    year: int
    kind: str
    cut_off: bool = False
    note: str | None = None


SEEDS = [
    Seed(
        "000_0a48cc3543de3da6.txt",
        "purmerend-beleidskader-2024",
        "purmerend",
        "Maatschappelijk beleidskader 2024",
        2024,
        "beleidskader",
    ),
    Seed(
        "001_8e8c40efd2d06f33.txt",
        "purmerend-programma-samenleving-2024",
        "purmerend",
        "Programma 2 Samenleving",
        2024,
        "programmabegroting",
        cut_off=True,
        note="The PDF export is cut off mid-sentence at the end (last Welzijnswerk bullet).",
    ),
    Seed(
        "002_f2e0a68c1ccc30d0.txt",
        "purmerend-programmadoelen-2023",
        "purmerend",
        "Programmadoelen sociaal domein 2023",
        2023,
        "programmadoelen",
    ),
    Seed(
        "003_ffa085e5b414313a.txt",
        "heerhugowaard-kadernota-sociaal-domein-2012",
        "heerhugowaard",
        "Strategische kadernota sociaal domein",
        2012,
        "kadernota",
    ),
    Seed(
        "004_12c00dc3df058734.txt",
        "leiderdorp-samenwerken-aan-welzijn-2017",
        "leiderdorp",
        "Samenwerken aan welzijn",
        2017,
        "welzijnsnotitie",
    ),
]

CUT_OFF_COMMENT = "<!-- cut off: the export ends here mid-sentence -->"

BULLET_RE = re.compile(r"^\s*(?:[•●▪◦]|[-*o])\s+(?=\S)")
ORDERED_RE = re.compile(r"^\s*\d+\.\s+\S")
HEADING_RE = re.compile(r"^#{1,6}\s")
# A line of a wrapped (layout) block: PDF text lines are at most ~100 characters.
WRAP_WIDTH = 100
# A wrapped line that ends a sentence is a paragraph end when the next word would have fitted.
FULL_LINE = 92
SENTENCE_END = tuple(".!?:;")


def fix_ligatures(text: str) -> str:
    for lig, plain in LIGATURES.items():
        text = text.replace(lig, plain)
    return text


def join_hyphenated(text: str) -> str:
    """'gemeen-\\ntelijke' -> 'gemeentelijke'. Only a letter, hyphen, line end, lower-case letter."""
    return re.sub(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[a-zà-ÿ])", "", text)


def _strip_emphasis(s: str) -> str:
    return s.rstrip().rstrip("*_").rstrip()


def _ends_sentence(s: str) -> bool:
    s = _strip_emphasis(s).rstrip("'\"’”)")
    return s.endswith(SENTENCE_END)


def _starts_lower(s: str) -> bool:
    s = s.lstrip().lstrip("*_‘'\"“(")
    return bool(s) and s[0].islower()


def _is_item(line: str) -> bool:
    return bool(BULLET_RE.match(line) or ORDERED_RE.match(line))


def _norm_item(line: str) -> str:
    if BULLET_RE.match(line):
        return "- " + BULLET_RE.sub("", line, count=1).strip()
    return line.strip()


def split_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    cur: list[str] = []
    for raw in text.split("\n"):
        if raw.strip() == "":
            if cur:
                blocks.append(cur)
                cur = []
            continue
        # keep a Markdown hard break ("  " at the end), drop any other surrounding whitespace
        line = raw.strip()
        if raw.endswith("  "):
            line += "  "
        cur.append(line)
    if cur:
        blocks.append(cur)
    return blocks


def block_to_units(block: list[str]) -> list[str]:
    """Turn one blank-line separated block into Markdown units (one line each, except hard breaks)."""
    wrapped = all(len(line) <= WRAP_WIDTH for line in block)
    units: list[str] = []
    for i, line in enumerate(block):
        if HEADING_RE.match(line):
            units.append(line.strip())
            continue
        if _is_item(line):
            units.append(_norm_item(line))
            continue
        if not units:
            units.append(line)
            continue
        prev = units[-1]
        if prev.endswith("  "):  # Markdown hard break: keep the line break
            units[-1] = prev + "\n" + line
            continue
        if HEADING_RE.match(prev):
            units.append(line)
            continue
        prev_raw = block[i - 1]
        if not wrapped:
            # lines are already whole paragraphs; a single newline separates paragraphs,
            # unless the previous line plainly stops mid-sentence
            if _ends_sentence(prev_raw) or not _starts_lower(line):
                units.append(line)
            else:
                units[-1] = prev.rstrip() + " " + line
            continue
        # a wrapped layout block: join, unless the previous line ended a sentence and was short
        next_word = line.split()[0] if line.split() else ""
        short = len(prev_raw.rstrip()) + 1 + len(next_word) < FULL_LINE
        if _ends_sentence(prev_raw) and short and not _is_item(prev):
            units.append(line)
        else:
            units[-1] = prev.rstrip() + " " + line
    return units


def join_page_breaks(units: list[str]) -> list[str]:
    """Join a paragraph split by a page break: long unit, no sentence end, next starts lower case."""
    out: list[str] = []
    for u in units:
        if (
            out
            and not HEADING_RE.match(out[-1])
            and not HEADING_RE.match(u)
            and not _is_item(u)
            and len(out[-1].split("\n")[-1]) >= 40
            and not _ends_sentence(out[-1])
            and _starts_lower(u)
        ):
            out[-1] = out[-1].rstrip() + " " + u
        else:
            out.append(u)
    return out


def heading_candidates(units: list[str]) -> list[str]:
    return [
        u
        for u in units
        if "\n" not in u and not HEADING_RE.match(u) and not _is_item(u) and len(u) <= 80 and not _ends_sentence(u)
    ]


def convert_text(text: str) -> tuple[str, list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = join_hyphenated(fix_ligatures(text))
    units: list[str] = []
    for block in split_blocks(text):
        units.extend(block_to_units(block))
    units = join_page_breaks(units)
    body = ""
    for i, u in enumerate(units):
        if i:
            # list items form one tight list; everything else is separated by a blank line
            body += "\n" if _is_item(u) and _is_item(units[i - 1]) else "\n\n"
        body += u
    return body + "\n", heading_candidates(units)


def front_matter(seed: Seed) -> str:
    lines = [
        "---",
        f"id: {seed.id}",
        f"gemeente: {seed.gemeente}",
        f"title: {seed.title}",
        f"year: {seed.year}",
        f"kind: {seed.kind}",
        f"original_file: {seed.original_file}",
        f"cut_off: {'true' if seed.cut_off else 'false'}",
    ]
    if seed.note:
        lines.append(f'note: "{seed.note}"')
    lines.append("---")
    return "\n".join(lines) + "\n"


def convert(seed: Seed, seeds_dir: Path) -> tuple[str, list[str]]:
    body, candidates = convert_text((seeds_dir / seed.original_file).read_text(encoding="utf-8"))
    if seed.cut_off:
        body = body.rstrip("\n") + "\n\n" + CUT_OFF_COMMENT + "\n"
    return front_matter(seed) + body, candidates


def default_seeds_dir() -> Path:
    env = os.environ.get("WEGWIJZER_SEEDS")
    return Path(env) if env else REPO.parent / "shared" / "seeds"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=default_seeds_dir())
    ap.add_argument("--out", type=Path, default=REPO / "var" / "seed-drafts")
    ap.add_argument("--force", action="store_true", help="overwrite existing output files")
    args = ap.parse_args(argv)
    for seed in SEEDS:
        target = args.out / seed.gemeente / f"{seed.id}.md"
        if target.exists() and not args.force:
            print(f"skip {target} (exists; use --force)", file=sys.stderr)
            continue
        md, candidates = convert(seed, args.seeds)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(md, encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
        for c in candidates:
            print(f"  heading? {c!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

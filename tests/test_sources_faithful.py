"""The Markdown sources in knowledge/sources/ say exactly what the PDF exports in shared/seeds/ say.

The .md files were made from the seeds by scripts/convert_seeds.py plus hand fixes (headings,
captions, nested lists). Those repairs may only change layout and Markdown markup, never the words:
for every document the sequence of word tokens of the seed (after replacing ligatures and joining
end-of-line hyphenation) must equal the sequence of word tokens of the Markdown body.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "knowledge" / "sources"

CUT_OFF_COMMENT = "<!-- cut off: the export ends here mid-sentence -->"

# (original_file, path under knowledge/sources, id, gemeente, title, year, kind, cut_off)
DOCS = [
    (
        "000_0a48cc3543de3da6.txt",
        "purmerend/purmerend-beleidskader-2024.md",
        "purmerend-beleidskader-2024",
        "purmerend",
        "Maatschappelijk beleidskader 2024",
        2024,
        "beleidskader",
        False,
    ),
    (
        "001_8e8c40efd2d06f33.txt",
        "purmerend/purmerend-programma-samenleving-2024.md",
        "purmerend-programma-samenleving-2024",
        "purmerend",
        "Programma 2 Samenleving",
        2024,
        "programmabegroting",
        True,
    ),
    (
        "002_f2e0a68c1ccc30d0.txt",
        "purmerend/purmerend-programmadoelen-2023.md",
        "purmerend-programmadoelen-2023",
        "purmerend",
        "Programmadoelen sociaal domein 2023",
        2023,
        "programmadoelen",
        False,
    ),
    (
        "003_ffa085e5b414313a.txt",
        "heerhugowaard/heerhugowaard-kadernota-sociaal-domein-2012.md",
        "heerhugowaard-kadernota-sociaal-domein-2012",
        "heerhugowaard",
        "Strategische kadernota sociaal domein",
        2012,
        "kadernota",
        False,
    ),
    (
        "004_12c00dc3df058734.txt",
        "leiderdorp/leiderdorp-samenwerken-aan-welzijn-2017.md",
        "leiderdorp-samenwerken-aan-welzijn-2017",
        "leiderdorp",
        "Samenwerken aan welzijn",
        2017,
        "welzijnsnotitie",
        False,
    ),
]
IDS = [d[2] for d in DOCS]

REQUIRED_KEYS = {"id", "gemeente", "title", "year", "kind", "original_file", "cut_off"}
OPTIONAL_KEYS = {"note"}

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

# Whole seed lines that the Markdown may leave out, per seed, each with the reason.
# Pure page numbers / repeated running headers would go here. The seeds have none (no seed line
# consists of a page number only), and nothing was dropped: every list is empty on purpose.
ALLOWED_DROPPED_LINES: dict[str, list[str]] = {d[0]: [] for d in DOCS}

TOKEN_RE = re.compile(r"[^\W_]+")  # letters and digits (Unicode), no underscores
HEADING_RE = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)


def seeds_dir() -> Path:
    env = os.environ.get("WEGWIJZER_SEEDS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def fix_ligatures(text: str) -> str:
    for lig, plain in LIGATURES.items():
        text = text.replace(lig, plain)
    return text


def join_hyphenation(text: str) -> str:
    """'gemeen-\\ntelijke' -> 'gemeentelijke' (letter, hyphen, line end, lower-case letter).

    Same rule as scripts/convert_seeds.py; hyphens inside a line ('Zaanstreek-Waterland') stay.
    """
    return re.sub(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[a-zà-ÿ])", "", text)


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text.lower())


def seed_tokens(original_file: str) -> list[str]:
    text = (seeds_dir() / original_file).read_text(encoding="utf-8")
    dropped = set(ALLOWED_DROPPED_LINES[original_file])
    text = "\n".join(line for line in text.splitlines() if line.strip() not in dropped)
    return tokens(join_hyphenation(fix_ligatures(text)))


def split_front_matter(md: str) -> tuple[str, str]:
    m = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", md, re.DOTALL)
    assert m, "file must start with a '---' front matter block"
    return m.group(1), m.group(2)


def body_tokens(body: str) -> list[str]:
    # Markdown markup (#, *, **, list dashes, link brackets) is not made of letters/digits, so the
    # tokenizer ignores it; the one thing to remove by hand is the cut-off comment.
    return tokens(body.replace(CUT_OFF_COMMENT, " "))


def read(rel: str) -> str:
    return (SOURCES / rel).read_text(encoding="utf-8")


def first_difference(a: list[str], b: list[str]) -> str:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"token {i}: seed {a[max(0, i - 5) : i + 5]} vs markdown {b[max(0, i - 5) : i + 5]}"
    return f"lengths differ: seed {len(a)} tokens, markdown {len(b)} tokens (tail: {a[-5:]} / {b[-5:]})"


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_no_content_dropped_or_reworded(doc):
    original_file, rel = doc[0], doc[1]
    if not seeds_dir().is_dir():
        pytest.skip(f"seeds folder {seeds_dir()} is absent (set WEGWIJZER_SEEDS to point at it)")
    _, body = split_front_matter(read(rel))
    expected, got = seed_tokens(original_file), body_tokens(body)
    assert got == expected, f"{rel}: {first_difference(expected, got)}"


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_front_matter(doc):
    original_file, rel, doc_id, gemeente, title, year, kind, cut_off = doc
    fm_text, _ = split_front_matter(read(rel))
    fm = yaml.safe_load(fm_text)
    assert isinstance(fm, dict)
    keys = set(fm)
    assert keys >= REQUIRED_KEYS, f"missing keys: {REQUIRED_KEYS - keys}"
    assert keys <= REQUIRED_KEYS | OPTIONAL_KEYS, f"unexpected keys: {keys - REQUIRED_KEYS - OPTIONAL_KEYS}"
    assert fm["id"] == doc_id == Path(rel).stem
    assert fm["gemeente"] == gemeente == Path(rel).parent.name
    assert fm["title"] == title
    assert fm["year"] == year
    assert fm["kind"] == kind
    assert fm["original_file"] == original_file
    assert fm["cut_off"] is cut_off
    if "note" in fm:
        assert isinstance(fm["note"], str) and "\n" not in fm["note"].strip()


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_clean_markdown(doc):
    rel = doc[1]
    md = read(rel)
    for lig in LIGATURES:
        assert lig not in md, f"{rel}: ligature {lig!r} left"
    assert "•" not in md, f"{rel}: PDF bullet left; use '- '"
    _, body = split_front_matter(md)
    headings = HEADING_RE.findall(body)
    assert len(headings) >= 3, f"{rel}: only {len(headings)} headings"


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_cut_off_marker(doc):
    rel, cut_off = doc[1], doc[7]
    _, body = split_front_matter(read(rel))
    if cut_off:
        assert body.rstrip().endswith(CUT_OFF_COMMENT), f"{rel}: must end with the cut-off comment"
        before = body.rstrip()[: -len(CUT_OFF_COMMENT)].rstrip()
        last_line = before.splitlines()[-1]
        # the partial last sentence is kept exactly as the export has it
        assert last_line.endswith("het onderwijs en informele hulpverleners zoals"), last_line
    else:
        assert CUT_OFF_COMMENT not in body, f"{rel}: cut-off comment in a complete document"

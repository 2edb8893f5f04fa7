"""Load knowledge/ into the model, refusing content that does not validate."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from wegwijzer.knowledge.markdown_source import parse_sections
from wegwijzer.knowledge.model import (
    Contact,
    CrisisExample,
    CrisisSignal,
    Gemeente,
    GlossaryTerm,
    KnowledgeBase,
    LanguageTexts,
    LinePlace,
    Service,
    ServiceContact,
    SimplePlace,
    SourceDocument,
    Theme,
    Topic,
)
from wegwijzer.knowledge.reader import Problem, RawKnowledge, read_knowledge
from wegwijzer.knowledge.validator import validate
from wegwijzer.paths import knowledge_dir

DIALOGUE_SCHEMAS = ("texts.schema.json", "crisis.schema.json", "crisis_bank.schema.json")
# The pages' own content (a gemeente's colours, the places said simpler) changes neither what the index
# finds nor what Rasa learns: editing it asks for no index rebuild and no retraining.
PAGE_SCHEMAS = ("huisstijl.schema.json", "simple.schema.json")


class KnowledgeError(Exception):
    """The content has errors; the message lists them with file and line."""

    def __init__(self, problems: list[Problem], root: Path) -> None:
        self.problems = problems
        shown = "\n".join(p.render(root) for p in problems[:20])
        more = f"\n... en nog {len(problems) - 20} fouten" if len(problems) > 20 else ""
        super().__init__(
            f"De kennisbank bevat {len(problems)} fout(en); controleer met 'wegwijzer knowledge check':\n{shown}{more}"
        )


def content_hash(raw: RawKnowledge) -> str:
    """Hash over every content file and schema the index is built from, so a stale index can be detected.

    The conversation's own files (texts/, crisis.yaml and their schemas) are left out: editing
    what the assistant says does not change what it finds."""
    digest = hashlib.sha256()
    schema_files = sorted(
        p for p in (raw.root / "schema").glob("*.json") if p.name not in (*DIALOGUE_SCHEMAS, *PAGE_SCHEMAS)
    )
    for path in [*raw.all_paths(), *schema_files]:
        digest.update(str(path.relative_to(raw.root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def crisis_bank_hash(raw: RawKnowledge) -> str:
    """Hash over the crisis bank and the signal ids it is labelled with: what the detector learns from."""
    digest = hashlib.sha256()
    for file in raw.crisis_bank:
        digest.update(str(file.path.relative_to(raw.root)).encode())
        digest.update(file.path.read_bytes())
    signals = raw.crisis.doc.data["signals"] if raw.crisis else []
    digest.update(" ".join(s["id"] for s in signals).encode())
    return digest.hexdigest()[:16]


def _gemeente(data: dict[str, Any]) -> Gemeente:
    contact = data["general_contact"]
    return Gemeente(
        id=data["id"],
        name=data["name"],
        general_contact=Contact(
            phone=contact.get("phone"),
            email=contact.get("email"),
            website=contact.get("website"),
            address=contact.get("address"),
        ),
        note=dict(data.get("note") or {}),
        aliases=tuple(data.get("aliases") or ()),
    )


def _service(data: dict[str, Any], owner: str) -> Service:
    contact, source = data["contact"], data["source"]
    return Service(
        id=data["id"],
        gemeente=owner,
        name=data["name"],
        kind=data["kind"],
        topics=tuple(data["topics"]),
        summary=dict(data["summary"]),
        contact=ServiceContact(
            phone=contact.get("phone"),
            website=contact.get("website"),
            email=contact.get("email"),
            address=contact.get("address"),
            via_general_contact=contact["via_general_contact"],
            how=dict(contact["how"]),
        ),
        source_document=source.get("document"),
        source_quote=source.get("quote"),
        source_public=source.get("public"),
        aliases=tuple(data.get("aliases") or ()),
        examples={lang: tuple(items) for lang, items in (data.get("examples") or {}).items()},
        also=tuple((q["document"], q["quote"]) for q in data.get("also") or ()),
        after_local=bool(data.get("after_local", False)),
    )


def build_knowledge(raw: RawKnowledge) -> KnowledgeBase:
    documents = {}
    for md in raw.sources:
        front = md.parsed.front_matter.data
        documents[front["id"]] = SourceDocument(
            id=front["id"],
            gemeente=front["gemeente"],
            title=front["title"],
            year=int(front["year"]),
            kind=front["kind"],
            original_file=front["original_file"],
            cut_off=bool(front.get("cut_off", False)),
            body=md.parsed.body,
            sections=parse_sections(md.parsed.body, md.parsed.body_first_line, front["title"]),
            path=str(md.path.relative_to(raw.root)),
        )
    services = {}
    for file in raw.services:
        for entry in file.doc.data["services"]:
            services[entry["id"]] = _service(entry, file.doc.data["gemeente"])
    topics = {
        f.doc.data["id"]: Topic(
            id=f.doc.data["id"],
            name=dict(f.doc.data["name"]),
            description=dict(f.doc.data["description"]),
            examples={lang: tuple(items) for lang, items in f.doc.data["examples"].items()},
        )
        for f in raw.topics
    }
    glossary = [
        GlossaryTerm(term=t["term"], aliases=tuple(t.get("aliases") or ()), explanation=dict(t["explanation"]))
        for t in (raw.glossary.doc.data["terms"] if raw.glossary else [])
    ]
    return KnowledgeBase(
        simple={
            service_id: SimplePlace(summary=dict(entry["summary"]), how=dict(entry.get("how") or {}))
            for f in raw.simple
            for service_id, entry in f.doc.data["places"].items()
        },
        themes={t.doc.data["gemeente"]: Theme(t.doc.data["gemeente"], dict(t.doc.data["tokens"])) for t in raw.themes},
        gemeenten={g.doc.data["id"]: _gemeente(g.doc.data) for g in raw.gemeenten},
        documents=documents,
        services=services,
        topics=topics,
        glossary=glossary,
        content_hash=content_hash(raw),
        texts={
            f.doc.data["lang"]: LanguageTexts(
                lang=f.doc.data["lang"],
                name=f.doc.data["name"],
                detect=tuple(f.doc.data["detect"]),
                topics=dict(f.doc.data["topics"] or {}),
                texts=dict(f.doc.data["texts"]),
                frames=tuple(f.doc.data.get("frames") or ()),
                handoff=tuple(f.doc.data.get("handoff") or ()),
                vague=tuple(f.doc.data.get("vague") or ()),
                other_matters=tuple(f.doc.data.get("other_matters") or ()),
                definition_questions=tuple(f.doc.data.get("definition_questions") or ()),
                page=dict(f.doc.data.get("page") or {}),
                simple=dict(f.doc.data.get("simple") or {}),
            )
            for f in raw.texts
        },
        crisis=[
            CrisisSignal(
                id=s["id"],
                text=s["text"],
                check=s["check"],
                lines=tuple(s["lines"]),
                patterns={lang: tuple(items) for lang, items in (s.get("patterns") or {}).items()},
            )
            for s in (raw.crisis.doc.data["signals"] if raw.crisis else [])
        ],
        crisis_bank=tuple(
            CrisisExample(lang=f.doc.data["lang"], signal=e["signal"], text=e["text"])
            for f in raw.crisis_bank
            for e in f.doc.data["examples"]
        ),
        crisis_bank_hash=crisis_bank_hash(raw),
        lines_as_places={
            line: LinePlace(tuple(rule["roles"]), tuple(rule["topics"]))
            for line, rule in (raw.crisis.doc.data.get("lines_as_places") or {}).items()
        }
        if raw.crisis
        else {},
    )


def check_knowledge(root: Path | None = None) -> tuple[RawKnowledge, list[Problem]]:
    raw = read_knowledge(root or knowledge_dir())
    return raw, validate(raw)


def load_knowledge(root: Path | None = None) -> KnowledgeBase:
    """The validated knowledge base; raises KnowledgeError listing every problem."""
    raw, problems = check_knowledge(root)
    if problems:
        raise KnowledgeError(problems, raw.root)
    return build_knowledge(raw)

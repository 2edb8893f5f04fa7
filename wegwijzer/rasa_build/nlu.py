"""Generated NLU training data: help topics from knowledge/, gemeente names from knowledge/gemeenten.

- `hulp_<topic>`: every example of knowledge/topics/<topic>.yaml (all languages), the topic's
  names, every example of knowledge/services/*.yaml labelled with the service's first topic, and
  the service's name. Place names, gemeente names and "mijn zoon"-like phrases are marked as the
  entities place, gemeente and person.
- `change_gemeente`: bot/templates/change_gemeente.yml filled with the gemeente names.
- synonyms (gemeente name/alias -> id, place name variants -> name) and lookup tables.

The same text under two intents is resolved here, deterministically (see `resolve_duplicates`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from wegwijzer.knowledge.model import Gemeente, KnowledgeBase
from wegwijzer.rasa_build.annotate import Annotator, Phrase, entity_markup, plain
from wegwijzer.rasa_build.layout import TOPIC_INTENT_PREFIX, BuildError
from wegwijzer.rasa_build.rasa_yaml import NluBlock

CHANGE_GEMEENTE = "change_gemeente"
_PARENTHESES = re.compile(r"\s*\(([^)]*)\)\s*")
_TRAILING = re.compile(r"[\s.?!,;:]+$")

# Lower tier wins a conflict between intents; the same tier on both sides drops the text.
TIER_TOPIC = 0  # topic examples and names, change_gemeente templates
TIER_SERVICE = 1  # service examples: labelled by the service's first topic, a heuristic
TIER_SERVICE_NAME = 2


@dataclass(frozen=True)
class Example:
    intent: str
    text: str  # plain text
    markup: str  # with entity markup
    tier: int
    source: str  # where it comes from, for the report


@dataclass(frozen=True)
class Dropped:
    example: Example
    reason: str


def topic_intent(topic_id: str) -> str:
    return f"{TOPIC_INTENT_PREFIX}{topic_id}"


def normalized(text: str) -> str:
    """The key two examples are 'the same' under: case, spacing and closing punctuation ignored."""
    return _TRAILING.sub("", " ".join(text.casefold().split()))


def _load_template(templates_dir: Path, name: str) -> dict[str, Any]:
    path = templates_dir / name
    if not path.is_file():
        raise BuildError(f"Sjabloon ontbreekt: {path}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise BuildError(f"Sjabloon {path} is geen YAML-mapping")
    return data


# --- entity phrases -------------------------------------------------------------------------


def gemeente_surfaces(gemeente: Gemeente) -> list[str]:
    """The ways people write a gemeente: name (without and inside parentheses), aliases, id."""
    surfaces = [_PARENTHESES.sub(" ", gemeente.name).strip(), *_PARENTHESES.findall(gemeente.name)]
    surfaces += [*gemeente.aliases, gemeente.id]
    unique: dict[str, str] = {}
    for surface in surfaces:
        unique.setdefault(surface.casefold(), surface.strip())
    return [s for s in unique.values() if s]


def place_surfaces(name: str) -> list[str]:
    """How a service name is marked: without a part in parentheses, which never aligns with tokens."""
    short = _PARENTHESES.sub(" ", name).strip()
    return [short] if len(short) >= 3 else []


def person_phrases(templates_dir: Path) -> list[Phrase]:
    data = _load_template(templates_dir, "person.yml")
    phrases = []
    for lang, owners in (data.get("possessives") or {}).items():
        for owner in owners:
            phrases += [Phrase(f"{owner} {relation}", "person") for relation in data["relations"].get(lang, [])]
    return phrases


def entity_phrases(kb: KnowledgeBase, templates_dir: Path) -> list[Phrase]:
    phrases = [Phrase(s, "gemeente", g.id) for g in kb.gemeenten.values() for s in gemeente_surfaces(g)]
    phrases += [Phrase(s, "place", svc.name) for svc in kb.services.values() for s in place_surfaces(svc.name)]
    return phrases + person_phrases(templates_dir)


# --- examples -------------------------------------------------------------------------------


def topic_examples(kb: KnowledgeBase, annotator: Annotator) -> list[Example]:
    examples = []
    for topic in sorted(kb.topics.values(), key=lambda t: t.id):
        source = f"knowledge/topics/{topic.id}.yaml"
        intent = topic_intent(topic.id)
        for texts in topic.examples.values():
            examples += [Example(intent, plain(t), annotator.annotate(t), TIER_TOPIC, source) for t in texts]
        for name in topic.name.values():
            examples.append(Example(intent, plain(name), annotator.annotate(name), TIER_TOPIC, source + " (naam)"))
    return examples


def service_examples(kb: KnowledgeBase, annotator: Annotator) -> list[Example]:
    examples = []
    for service in kb.services.values():
        source = f"knowledge/services/{service.gemeente}.yaml ({service.id})"
        intent = topic_intent(service.topics[0])
        for texts in service.examples.values():
            examples += [Example(intent, plain(t), annotator.annotate(t), TIER_SERVICE, source) for t in texts]
        name = service.name
        examples.append(Example(intent, plain(name), annotator.annotate(name), TIER_SERVICE_NAME, source + " (naam)"))
    return examples


def change_gemeente_examples(kb: KnowledgeBase, templates_dir: Path) -> list[Example]:
    """Every template filled with a gemeente name, rotating, so each known name appears several times."""
    data = _load_template(templates_dir, "change_gemeente.yml")
    known = [
        (surface, g.id)
        for g in sorted(kb.gemeenten.values(), key=lambda g: g.id)
        for surface in gemeente_surfaces(g)
        if surface != g.id and not surface.casefold().startswith("gemeente ")
    ]
    others: list[tuple[str, str | None]] = [(str(name), None) for name in data.get("other_gemeenten") or []]
    fillers: list[tuple[str, str | None]] = [*known, *others, *known]
    source = "bot/templates/change_gemeente.yml"
    examples = []
    for n, (lang, templates) in enumerate(sorted((data.get("templates") or {}).items())):
        count = max(len(templates), len(fillers)) if lang in ("nl", "en") else len(templates)
        for i in range(count):
            template = str(templates[i % len(templates)])
            surface, value = fillers[(i + 7 * n) % len(fillers)]
            surface = surface.lower() if i % 2 else surface
            parts = [plain(part, strip=False) for part in template.split("{gemeente}")]
            text = plain(surface.join(parts))
            markup = entity_markup(surface, "gemeente", value).join(parts).strip()
            examples.append(Example(CHANGE_GEMEENTE, plain(text), markup, TIER_TOPIC, source))
    return examples


def resolve_duplicates(
    examples: Iterable[Example], handwritten: dict[str, set[str]]
) -> tuple[list[Example], list[Dropped]]:
    """One label per text. Hand-written data wins; then the lowest tier; a tie between intents drops the text."""
    handwritten_keys = {normalized(text): intents for text, intents in handwritten.items()}
    groups: dict[str, list[Example]] = {}
    for example in examples:
        groups.setdefault(normalized(example.text), []).append(example)
    kept: set[int] = set()
    dropped: list[Dropped] = []
    for key, group in groups.items():
        if not key:
            dropped += [Dropped(e, "leeg") for e in group]
            continue
        if key in handwritten_keys:
            owner = ", ".join(sorted(handwritten_keys[key]))
            dropped += [Dropped(e, f"staat al met de hand in bot/data ({owner})") for e in group]
            continue
        best = min(e.tier for e in group)
        winners = [e for e in group if e.tier == best]
        intents = sorted({e.intent for e in winners})
        if len(intents) > 1:
            dropped += [Dropped(e, f"tegenstrijdig: {', '.join(intents)}") for e in group]
            continue
        kept.add(id(winners[0]))
        dropped += [
            Dropped(e, "dubbel" if e.intent == winners[0].intent else f"ook bij {winners[0].intent}")
            for e in group
            if e is not winners[0]
        ]
    return [e for e in _flatten(groups) if id(e) in kept], dropped


def _flatten(groups: dict[str, list[Example]]) -> list[Example]:
    return [e for group in groups.values() for e in group]


def intent_blocks(examples: Iterable[Example]) -> list[NluBlock]:
    blocks: dict[str, NluBlock] = {}
    for example in examples:
        blocks.setdefault(example.intent, NluBlock("intent", example.intent)).examples.append(example.markup)
    return [blocks[name] for name in sorted(blocks)]


# --- synonyms and lookups -------------------------------------------------------------------


def synonym_blocks(pairs: Iterable[tuple[str, str]], taken: dict[str, str]) -> list[NluBlock]:
    """(text, value) pairs as synonym blocks; a text already mapped elsewhere keeps its first value."""
    blocks: dict[str, NluBlock] = {}
    for text, value in pairs:
        key = text.lower()
        if key == value or taken.get(key, value) != value:
            continue
        if key not in taken:
            taken[key] = value
            blocks.setdefault(value, NluBlock("synonym", value)).examples.append(plain(key))
    return list(blocks.values())


def gemeente_synonyms(kb: KnowledgeBase, taken: dict[str, str]) -> list[NluBlock]:
    pairs = [(s, g.id) for g in sorted(kb.gemeenten.values(), key=lambda g: g.id) for s in gemeente_surfaces(g)]
    return synonym_blocks(pairs, taken)


def place_synonyms(kb: KnowledgeBase, taken: dict[str, str]) -> list[NluBlock]:
    pairs = [(s, svc.name) for svc in kb.services.values() for s in place_surfaces(svc.name)]
    return synonym_blocks(pairs, taken)


def lookup_block(name: str, texts: Iterable[str]) -> NluBlock:
    return NluBlock("lookup", name, sorted({plain(t) for t in texts}, key=str.casefold))


def gemeente_lookup(kb: KnowledgeBase) -> NluBlock:
    return lookup_block("gemeente", (s for g in kb.gemeenten.values() for s in gemeente_surfaces(g)))


def place_lookup(kb: KnowledgeBase) -> NluBlock:
    return lookup_block("place", (s for svc in kb.services.values() for s in place_surfaces(svc.name)))


def person_lookup(templates_dir: Path) -> NluBlock:
    return lookup_block("person", (p.text for p in person_phrases(templates_dir)))

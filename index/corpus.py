"""What the index matches a question against: policy passages, service cards and topic examples.

Bare policy text is a poor match for "ik kan de huur niet betalen". So the index also holds the
topic examples (how people really ask) and the service cards (what each place does): a question
finds the place through similar questions, and the passage for its grounding.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from index.chunking import Passage, all_passages
from wegwijzer.knowledge import KnowledgeBase, Service

ItemKind = Literal["passage", "service", "example", "service_example"]
QUESTION_KINDS = ("example", "service_example")  # embedded as questions, the rest as answers
EVERY_GEMEENTE = "*"


@dataclass(frozen=True)
class Item:
    kind: ItemKind
    key: str  # passage id, service id (service, service_example) or topic id (example)
    gemeente: str  # a gemeente id, "landelijk", or "*" for examples that hold everywhere
    lang: str
    text: str  # the text that is embedded

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def service_card(service: Service, knowledge: KnowledgeBase, lang: str) -> str:
    topics = ", ".join(knowledge.topics[t].name.get(lang, t) for t in service.topics if t in knowledge.topics)
    aliases = f" ({', '.join(service.aliases)})" if service.aliases else ""
    return f"{service.name}{aliases}. {service.summary[lang]} {topics}."


def passage_text(passage: Passage) -> str:
    """The passage with the headings above it, for context (its own heading is its first line)."""
    context = " > ".join(passage.section_path[:-1])
    return (
        f"{passage.document_title}. {context}\n{passage.text}"
        if context
        else f"{passage.document_title}.\n{passage.text}"
    )


def build_items(knowledge: KnowledgeBase) -> tuple[list[Item], list[Passage]]:
    passages = all_passages(knowledge)
    items = [Item("passage", p.id, p.gemeente, "nl", passage_text(p)) for p in passages]
    for service in knowledge.services.values():
        for lang in ("nl", "en"):
            items.append(Item("service", service.id, service.gemeente, lang, service_card(service, knowledge, lang)))
        for lang, examples in service.examples.items():
            items.extend(Item("service_example", service.id, service.gemeente, lang, text) for text in examples)
    for topic in knowledge.topics.values():
        for lang, examples in topic.examples.items():
            items.extend(Item("example", topic.id, EVERY_GEMEENTE, lang, text) for text in examples)
    return items, passages

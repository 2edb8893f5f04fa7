"""Write the generated parts of the Rasa project: bot/data/generated/ and bot/domain/generated/."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from wegwijzer.knowledge.model import KnowledgeBase
from wegwijzer.rasa_build import domain, nlu
from wegwijzer.rasa_build.annotate import Annotator
from wegwijzer.rasa_build.layout import BotLayout
from wegwijzer.rasa_build.rasa_yaml import (
    data_yaml,
    nlu_yaml,
    read_domain_intents,
    read_intent_texts,
    read_synonyms,
)


@dataclass
class GenerationReport:
    intents: list[str]  # every intent of the domain, hand-written and generated
    topic_intents: list[str]
    examples: Counter[str] = field(default_factory=Counter)  # generated examples per intent
    dropped: list[nlu.Dropped] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def conflicts(self) -> list[nlu.Dropped]:
        return [d for d in self.dropped if d.reason != "dubbel"]

    def summary(self) -> str:
        topics = sum(self.examples[i] for i in self.topic_intents)
        return (
            f"{len(self.topic_intents)} onderwerp-intents ({topics} voorbeelden), "
            f"{self.examples[nlu.CHANGE_GEMEENTE]} gemeente-voorbeelden, {len(self.intents)} intents in het domein; "
            f"{len(self.dropped)} dubbele voorbeelden weggelaten ({len(self.conflicts)} met een ander label)"
        )


def generate(kb: KnowledgeBase, layout: BotLayout) -> GenerationReport:
    """Regenerate every generated file from the knowledge base and the hand-written project."""
    handwritten_texts = read_intent_texts(layout.data_dir, exclude=layout.generated_data_dir)
    taken_synonyms = read_synonyms(layout.data_dir, exclude=layout.generated_data_dir)
    templates = layout.templates_dir
    annotator = Annotator(nlu.entity_phrases(kb, templates))

    candidates = [
        *nlu.topic_examples(kb, annotator),
        *nlu.service_examples(kb, annotator),
        *nlu.change_gemeente_examples(kb, templates),
    ]
    kept, dropped = nlu.resolve_duplicates(candidates, handwritten_texts)

    topic_blocks = nlu.intent_blocks(e for e in kept if e.intent != nlu.CHANGE_GEMEENTE)
    gemeente_blocks = nlu.intent_blocks(e for e in kept if e.intent == nlu.CHANGE_GEMEENTE)
    topic_intents = domain.topic_intents(kb)
    intents = [*read_domain_intents(layout.domain_dir, exclude=layout.generated_domain_dir), *topic_intents]

    outputs = {
        layout.generated_data_dir / "topics.yml": nlu_yaml(
            "knowledge/topics/*.yaml and knowledge/services/*.yaml",
            [
                *topic_blocks,
                *nlu.place_synonyms(kb, taken_synonyms),
                nlu.place_lookup(kb),
                nlu.person_lookup(templates),
            ],
        ),
        layout.generated_data_dir / "gemeenten.yml": nlu_yaml(
            "knowledge/gemeenten/*.yaml and bot/templates/change_gemeente.yml",
            [*gemeente_blocks, *nlu.gemeente_synonyms(kb, taken_synonyms), nlu.gemeente_lookup(kb)],
        ),
        layout.generated_data_dir / "rules.yml": data_yaml("the intents of bot/domain/", domain.rules_data(intents)),
        layout.generated_domain_dir / "topics.yml": data_yaml("knowledge/topics/*.yaml", domain.domain_data(kb)),
    }
    for folder in (layout.generated_data_dir, layout.generated_domain_dir):
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.yml"):
            if stale not in outputs:
                stale.unlink()
    for path, text in outputs.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")

    return GenerationReport(
        intents=intents,
        topic_intents=topic_intents,
        examples=Counter(e.intent for e in kept),
        dropped=dropped,
        files=list(outputs),
    )

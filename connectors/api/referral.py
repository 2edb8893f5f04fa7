"""The referral text the front desk copies for a resident: a content template filled from the knowledge base."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from wegwijzer.knowledge import KnowledgeBase, Service


@dataclass(frozen=True)
class ReferralTemplate:
    templates: dict[str, str]

    @classmethod
    def load(cls, path: Path) -> ReferralTemplate:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("nl"), str):
            raise ValueError(f"{path}: een tekst onder 'nl' ontbreekt")
        return cls({str(lang): str(text) for lang, text in data.items()})

    def render(self, service: Service, knowledge: KnowledgeBase, lang: str = "nl") -> str:
        lang = lang if lang in self.templates and lang in service.summary else "nl"
        gemeente = knowledge.gemeenten.get(service.gemeente)
        return self.templates[lang].format(
            naam=service.name,
            wat=service.summary.get(lang, service.summary["nl"]).strip(),
            hoe=service.contact.how.get(lang, service.contact.how["nl"]).strip(),
            gemeente=gemeente.name if gemeente else "",
        )

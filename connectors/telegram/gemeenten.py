"""The gemeenten the bot knows, found by id, name or alias, from the knowledge base."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wegwijzer.knowledge.model import Gemeente


def _normal(text: str) -> str:
    words = text.casefold().replace("-", " ").split()
    if words and words[0] == "gemeente":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class GemeenteDirectory:
    gemeenten: tuple[Gemeente, ...]

    @classmethod
    def of(cls, gemeenten: Iterable[Gemeente]) -> GemeenteDirectory:
        return cls(tuple(sorted(gemeenten, key=lambda g: g.name.casefold())))

    @classmethod
    def load(cls) -> GemeenteDirectory:
        from wegwijzer.knowledge import load_knowledge

        return cls.of(load_knowledge().gemeenten.values())

    def get(self, gemeente_id: str | None) -> Gemeente | None:
        return next((g for g in self.gemeenten if g.id == gemeente_id), None)

    def find(self, text: str) -> Gemeente | None:
        """The gemeente whose id, name or one of whose aliases is `text` (case and 'gemeente ' ignored)."""
        wanted = _normal(text)
        if not wanted:
            return None
        for gemeente in self.gemeenten:
            names = (gemeente.id, gemeente.name, *gemeente.aliases)
            if wanted in {_normal(n) for n in names}:
                return gemeente
        return None

    def names(self) -> list[str]:
        return [g.name for g in self.gemeenten]

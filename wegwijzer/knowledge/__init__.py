"""The knowledge base: reading, validating and modelling the content of knowledge/."""

from wegwijzer.knowledge.loader import KnowledgeError, load_knowledge
from wegwijzer.knowledge.model import (
    Gemeente,
    GlossaryTerm,
    KnowledgeBase,
    Section,
    Service,
    SourceDocument,
    Topic,
)

__all__ = [
    "Gemeente",
    "GlossaryTerm",
    "KnowledgeBase",
    "KnowledgeError",
    "Section",
    "Service",
    "SourceDocument",
    "Topic",
    "load_knowledge",
]

"""The crisis detector a process runs: with the classifier and the searcher's encoders when the
index is there, the patterns alone when it is not (Rasa's fallback without an index)."""

from __future__ import annotations

from index.build import model_identities
from index.runtime import open_searcher
from index.search import Searcher
from wegwijzer.dialogue.crisis.detector import CrisisDetector
from wegwijzer.dialogue.crisis.model import crisis_dir, load_model
from wegwijzer.knowledge import KnowledgeBase


def crisis_detector_for(knowledge: KnowledgeBase, searcher: Searcher | None) -> CrisisDetector:
    """Raises CrisisModelError (naming the command) when the classifier is missing or stale."""
    if searcher is None:
        return CrisisDetector(knowledge)
    model = load_model(crisis_dir(), knowledge, model_identities(searcher.encoders))
    return CrisisDetector(knowledge, model, searcher.encode_texts)


def open_crisis_detector() -> CrisisDetector:
    searcher = open_searcher()
    return crisis_detector_for(searcher.knowledge, searcher)

"""The crisis detector a process runs: with the classifier and the searcher's encoders when the
index is there, the patterns alone when it is not (Rasa's fallback without an index)."""

from __future__ import annotations

from index.encoders import feature_identities
from index.search import Searcher, SearchResult
from wegwijzer.dialogue.crisis.detector import CrisisDetector
from wegwijzer.dialogue.crisis.model import crisis_dir, load_model
from wegwijzer.knowledge import KnowledgeBase


def crisis_detector_for(knowledge: KnowledgeBase, searcher: Searcher | None) -> CrisisDetector:
    """Raises CrisisModelError (naming the command) when the classifier is missing or stale."""
    if searcher is None:
        return CrisisDetector(knowledge)
    model = load_model(crisis_dir(), knowledge, feature_identities(searcher.encoders))
    return CrisisDetector(knowledge, model, searcher.encode_texts)


class ListingSearch:
    """The search for a listing (/balie, `/api/search`, Telegram's /zoek): 112, 113 and Veilig Thuis
    are listed only for a query that clearly carries their signal, never as a place for a question."""

    ROOM_FOR_LINES = 3  # places asked beyond those shown, so the lines left out leave no gap

    def __init__(self, searcher: Searcher, detector: CrisisDetector) -> None:
        self.searcher, self.detector = searcher, detector

    def search(self, query: str, gemeente: str, k: int = 5, services: int = 3, role: str | None = None) -> SearchResult:
        finding = self.detector.check(query)
        result = self.searcher.search(query, gemeente, k=k, services=services + self.ROOM_FOR_LINES, role=role)
        topic = result.topics[0].topic if result.topics else None
        # No asker: a listing names a line for the query's crisis signal only, not as a place.
        kept = [h for h in result.services if self.detector.may_name(h.service.id, None, topic, finding)]
        result.services = kept[:services]
        return result

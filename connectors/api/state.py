"""What the app holds while it runs: the knowledge base, the searcher (loaded in the background) and
the assistant client."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

from connectors.api.lookup import passage_topics
from connectors.api.referral import ReferralTemplate
from connectors.api.sessions import Bindings, Sessions
from connectors.api.settings import ApiSettings
from connectors.assistant_client import AssistantClient
from index.errors import IndexUnusable
from index.search import Searcher, SearchResult
from wegwijzer.dialogue.crisis import CrisisDetector
from wegwijzer.dialogue.crisis.runtime import ListingSearch
from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.privacy.keys import session_key
from wegwijzer.search_loader import SearchLoader, process_loader
from wegwijzer.settings import load_settings

log = logging.getLogger(__name__)
SEARCHER_WAIT_S = 180.0


class SearchUnavailable(Exception):
    """The index cannot be used; the message says why in one Dutch sentence."""


class SearcherHolder:
    """The API's view of the process's one search load (wegwijzer.search_loader); serialises
    searches (the encoders are not meant to be used from several threads at once)."""

    def __init__(self, loader: SearchLoader | None = None) -> None:
        self._loader = loader or process_loader()
        self._lock = threading.Lock()
        self._topics: dict[str, set[str]] | None = None

    def start(self) -> None:
        self._loader.start()

    @property
    def status(self) -> dict[str, Any]:
        return self._loader.status

    async def get(self) -> Searcher:
        return (await self._opened()).searcher

    def crisis_detector(self) -> CrisisDetector | None:
        """The detector with the classifier once the index is loaded, else None. It may run beside a
        search: both encode with onnxruntime sessions, which may run from several threads."""
        opened = self._loader.loaded()
        return opened.detector if opened is not None else None

    async def _opened(self) -> ListingSearch:
        try:
            return (await self._loader.opened(SEARCHER_WAIT_S)).listing
        except TimeoutError as error:
            raise SearchUnavailable("De zoekfunctie start nog op. Probeer het over een minuut opnieuw.") from error
        except IndexUnusable as error:
            raise SearchUnavailable(str(error)) from error
        except Exception as error:  # a missing model, a broken file: the sentence says what to do
            log.exception("zoekindex kon niet worden geladen")
            raise SearchUnavailable(f"De zoekfunctie werkt nu niet: {error}") from error

    async def search(self, query: str, gemeente: str, k: int, services: int, role: str | None = None) -> SearchResult:
        """The search; 112, 113 and Veilig Thuis only when the query itself clearly carries their
        crisis signal (ListingSearch)."""
        listing = await self._opened()

        def run() -> SearchResult:
            with self._lock:
                return listing.search(query, gemeente, k=k, services=services, role=role)

        return await asyncio.to_thread(run)

    async def passage_topics(self) -> dict[str, set[str]]:
        """Each passage's best topics, for the topic filter; computed once."""
        if self._topics is None:
            self._topics = passage_topics(await self.get())
        return self._topics


class AppState:
    def __init__(
        self,
        settings: ApiSettings,
        knowledge: KnowledgeBase,
        assistant: AssistantClient,
        searcher: SearcherHolder | None = None,
        bindings: Callable[[], Bindings] | None = None,
    ) -> None:
        self.settings = settings
        self.knowledge = knowledge
        self.assistant = assistant
        self.searcher = searcher or SearcherHolder()
        self.referral = ReferralTemplate.load(settings.content / "verwijstekst.yaml")
        shared = load_settings()
        self.sessions = Sessions(session_key(shared.session_key, shared.var), bindings)

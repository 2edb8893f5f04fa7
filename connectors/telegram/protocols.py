"""What the bot needs from the rest of Wegwijzer, as protocols so tests can hand in their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from index.search import SearchResult
from wegwijzer.chat import ChatAnswer, ChatRequest


class ChatAssistant(Protocol):
    """Anything with the AssistantClient's chat coroutine (connectors.assistant_client.AssistantClient)."""

    async def chat(self, request: ChatRequest) -> ChatAnswer: ...


class PassageSearcher(Protocol):
    """The part of index.search.Searcher that /zoek uses."""

    def search(self, query: str, gemeente: str, k: int = 5, services: int = 3) -> SearchResult: ...


SearcherFactory = Callable[[], PassageSearcher]


class SearchBackend(Protocol):
    """What /zoek awaits: SearchService here, or the API's own holder (connectors.api.state.SearcherHolder)."""

    async def search(self, query: str, gemeente: str, k: int, services: int) -> SearchResult: ...

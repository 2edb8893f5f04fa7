"""The API app's state as the bot's assistant and search, looked up on every call.

The API makes its AssistantClient and searcher holder in its lifespan, after the routers are
included; the bridge lets the Telegram router be built first and share them (one loaded index,
one assistant client) once the app runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from index.search import SearchResult
from wegwijzer.chat import ChatAnswer, ChatRequest


class ApiStateBridge:
    def __init__(self, state: Callable[[], Any]) -> None:
        """`state()` returns an object with `.assistant` (async chat) and `.searcher` (async search)."""
        self._state = state

    async def chat(self, request: ChatRequest) -> ChatAnswer:
        answer: ChatAnswer = await self._state().assistant.chat(request)
        return answer

    async def search(self, query: str, gemeente: str, k: int, services: int) -> SearchResult:
        result: SearchResult = await self._state().searcher.search(query, gemeente, k, services)
        return result

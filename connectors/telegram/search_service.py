"""The index for /zoek: loaded once, on first use or in the background at start, off the event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from connectors.telegram.protocols import PassageSearcher, SearcherFactory
from index.search import SearchResult

log = logging.getLogger(__name__)
T = TypeVar("T")


async def _in_daemon_thread(work: Callable[[], T]) -> T:
    """Like asyncio.to_thread, but a process that stops does not wait for the ~20 s model load."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            result, error = work(), None
        except BaseException as caught:
            result, error = None, caught
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name="wegwijzer-index-load", daemon=True).start()
    return await future


def default_searcher_factory() -> PassageSearcher:
    from wegwijzer.search_loader import process_loader

    # The process's one load (shared with the API when both run in it); the national lines are
    # listed only for a query with their crisis signal.
    return process_loader().wait().listing


class SearchService:
    def __init__(self, factory: SearcherFactory | None = None) -> None:
        self.factory = factory or default_searcher_factory
        self._searcher: PassageSearcher | None = None
        self._loading: asyncio.Lock | None = None
        self._searching: asyncio.Lock | None = None

    async def searcher(self) -> PassageSearcher:
        if self._searcher is None:
            self._loading = self._loading or asyncio.Lock()
            async with self._loading:
                if self._searcher is None:
                    self._searcher = await _in_daemon_thread(self.factory)
                    log.info("telegram: zoekindex geladen")
        return self._searcher

    async def preload(self) -> None:
        """Load in the background so the first /zoek is quick; a failure is reported, not raised."""
        try:
            await self.searcher()
        except Exception as error:  # the first /zoek will say it plainly
            log.warning("telegram: zoekindex niet geladen (%s: %s)", type(error).__name__, error)

    async def search(self, query: str, gemeente: str, k: int, services: int) -> SearchResult:
        searcher = await self.searcher()
        self._searching = self._searching or asyncio.Lock()
        async with self._searching:  # one search at a time: it is CPU-bound and the models are shared
            return await asyncio.to_thread(searcher.search, query, gemeente, k, services)

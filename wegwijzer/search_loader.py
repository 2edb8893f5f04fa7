"""The search a process runs, opened once: the index, the query encoders and the crisis detector.

Loading takes about 20 seconds (the models), so it runs in a daemon thread; the action server,
the API (/api/search, /balie) and Telegram's /zoek all wait on the same load and share its result.
A missing index or model is reported in one sentence that names the command that fixes it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.encoders import load_query_encoders
from index.search import Searcher
from index.store import read_index, read_manifest
from wegwijzer.dialogue.crisis.detector import CrisisDetector
from wegwijzer.dialogue.crisis.runtime import ListingSearch, crisis_detector_for
from wegwijzer.knowledge import load_knowledge
from wegwijzer.paths import index_dir, knowledge_dir, models_dir


def open_searcher(
    knowledge_root: Path | None = None, models: Path | None = None, index: Path | None = None
) -> Searcher:
    index_path = index or index_dir()
    read_manifest(index_path)  # a missing index is reported before the slow model load
    knowledge = load_knowledge(knowledge_root or knowledge_dir())
    encoders = load_query_encoders(models or models_dir())  # e5 on onnxruntime: no torch here
    return Searcher(knowledge, read_index(index_path), encoders)


@dataclass(frozen=True)
class OpenedSearch:
    searcher: Searcher
    detector: CrisisDetector  # with the classifier over the searcher's own encodings
    listing: ListingSearch  # for /balie, /api/search and /zoek: lines only for their crisis signal


def open_search() -> OpenedSearch:
    searcher = open_searcher()
    detector = crisis_detector_for(searcher.knowledge, searcher)
    return OpenedSearch(searcher, detector, ListingSearch(searcher, detector))


class SearchLoader:
    """Runs ``factory`` once, in a daemon thread (a process that stops does not wait for it)."""

    def __init__(self, factory: Callable[[], OpenedSearch] = open_search) -> None:
        self._factory = factory
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        self._result: OpenedSearch | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        with self._started:
            if self._thread is None:
                self._thread = threading.Thread(target=self._load, name="wegwijzer-search-load", daemon=True)
                self._thread.start()

    def _load(self) -> None:
        try:
            self._result = self._factory()
        except BaseException as error:  # kept, and raised to every caller of wait()
            self._error = error
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> OpenedSearch:
        """The opened search; raises the load's own error, or TimeoutError while it is still loading."""
        self.start()
        if not self._done.wait(timeout):
            raise TimeoutError("de zoekfunctie laadt nog")
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    async def opened(self, timeout: float | None = None) -> OpenedSearch:
        self.start()
        if not self._done.is_set():
            await asyncio.to_thread(self._done.wait, timeout)
        return self.wait(0)

    def loaded(self) -> OpenedSearch | None:
        """The opened search if it is there now, else None (still loading, or failed)."""
        return self._result if self._done.is_set() else None

    @property
    def error(self) -> BaseException | None:
        return self._error if self._done.is_set() else None

    @property
    def status(self) -> dict[str, Any]:
        if not self._done.is_set():
            return {"status": "starting"}
        if self._error is not None:
            return {"status": "down", "error": str(self._error)}
        assert self._result is not None
        return {"status": "ok", "method": self._result.searcher.stored.manifest.method}


_process_loader: SearchLoader | None = None
_process_lock = threading.Lock()


def process_loader() -> SearchLoader:
    """The one loader of this process."""
    global _process_loader
    with _process_lock:
        if _process_loader is None:
            _process_loader = SearchLoader()
        return _process_loader

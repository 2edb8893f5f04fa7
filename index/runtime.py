"""Open everything a search needs, or say in one sentence what is missing and how to fix it."""

from __future__ import annotations

from pathlib import Path

from index.encoders import load_query_encoders
from index.search import Searcher
from index.store import read_index, read_manifest
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

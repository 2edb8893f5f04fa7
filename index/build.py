"""`wegwijzer index build`: embed the corpus with every encoder and write the index."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from index import chunking
from index.corpus import QUESTION_KINDS, Item, build_items
from index.encoders import Encoder
from index.errors import IndexUnusable
from index.store import FORMAT_VERSION, Manifest, StoredIndex, read_manifest, write_index
from wegwijzer.knowledge import KnowledgeBase

Progress = Callable[[str], None]


def index_method() -> str:
    """What, besides content and models, decides the index: its format and how passages are cut."""
    words = f"{chunking.TARGET_WORDS}-{chunking.MAX_WORDS} words"
    return f"format {FORMAT_VERSION}; passages {words}; glossaries per definition"


def model_identities(encoders: Sequence[Encoder]) -> dict[str, str]:
    return {e.name: str(getattr(e, "identity", e.name)) for e in encoders}


def stale_reason(manifest: Manifest, knowledge: KnowledgeBase, models: dict[str, str]) -> str | None:
    """Why an index with this manifest no longer fits the content, method and models; None if it fits."""
    if manifest.format_version != FORMAT_VERSION:
        return "het indexformaat is veranderd"
    if manifest.method != index_method():
        return "de manier van bouwen is veranderd"
    if manifest.content_hash != knowledge.content_hash:
        return "de kennisbank is gewijzigd sinds de index is gebouwd"
    if manifest.models != models:
        return "de taalmodellen zijn anders dan bij het bouwen"
    return None


def is_up_to_date(directory: Path, knowledge: KnowledgeBase, models: dict[str, str]) -> bool:
    """True when the index at `directory` was built from this content, method and models."""
    try:
        manifest = read_manifest(directory)
    except IndexUnusable:
        return False
    return stale_reason(manifest, knowledge, models) is None


def embed_items(encoder: Encoder, items: Sequence[Item], progress: Progress) -> np.ndarray:
    """Examples are questions (query side); passages and service cards are the answer side."""
    vectors = np.zeros((len(items), encoder.dim), dtype=np.float32)
    queries = [i for i, item in enumerate(items) if item.kind in QUESTION_KINDS]
    answers = [i for i, item in enumerate(items) if item.kind not in QUESTION_KINDS]
    progress(f"  {encoder.name}: {len(answers)} passages en servicekaarten, {len(queries)} voorbeeldvragen")
    if answers:
        vectors[answers] = encoder.encode_passages([items[i].text for i in answers], show_progress=True)
    if queries:
        vectors[queries] = encoder.encode_queries([items[i].text for i in queries])
    return vectors


def topic_affinity(items: Sequence[Item], vectors: dict[str, np.ndarray], topics: list[str]) -> np.ndarray:
    """How much each passage is about each topic: similarity to the topic's example centroid,
    z-scored per topic over all passages and averaged over the encoders. Rows follow the
    order of the passage items."""
    passage_rows = [i for i, item in enumerate(items) if item.kind == "passage"]
    result = np.zeros((len(passage_rows), len(topics)), dtype=np.float32)
    for matrix in vectors.values():
        centroids = np.zeros((len(topics), matrix.shape[1]), dtype=np.float32)
        for t, topic in enumerate(topics):
            rows = [i for i, item in enumerate(items) if item.kind == "example" and item.key == topic]
            centroid = matrix[rows].mean(axis=0)
            centroids[t] = centroid / (np.linalg.norm(centroid) or 1.0)
        sims = matrix[passage_rows] @ centroids.T
        result += (sims - sims.mean(axis=0)) / (sims.std(axis=0) + 1e-6)
    return result / max(len(vectors), 1)


def build_index(
    knowledge: KnowledgeBase, encoders: Sequence[Encoder], directory: Path, progress: Progress = print
) -> Manifest:
    started = time.perf_counter()
    items, passages = build_items(knowledge)
    progress(f"Index: {len(passages)} passages uit {len(knowledge.documents)} documenten, {len(items)} items in totaal")
    vectors, indexes = {}, {}
    for encoder in encoders:
        vectors[encoder.name] = embed_items(encoder, items, progress)
        flat = faiss.IndexFlatIP(encoder.dim)
        flat.add(vectors[encoder.name])
        indexes[encoder.name] = flat
    topics = sorted(knowledge.topics)
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        content_hash=knowledge.content_hash,
        method=index_method(),
        models=model_identities(encoders),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 2),
        counts={
            kind: sum(1 for i in items if i.kind == kind)
            for kind in ("passage", "service", "example", "service_example")
        },
    )
    write_index(
        directory, StoredIndex(manifest, items, vectors, indexes, topic_affinity(items, vectors, topics), topics)
    )
    progress(f"Index geschreven naar {directory} in {manifest.build_seconds:.1f} s")
    return manifest

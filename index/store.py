"""The index on disk: a manifest, the items, and per encoder the vectors and a faiss index."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.corpus import Item
from index.errors import IndexCorruptError, IndexMissingError

FORMAT_VERSION = 2
MANIFEST = "manifest.json"
ITEMS = "items.json"


@dataclass
class Manifest:
    format_version: int
    content_hash: str
    method: str  # how the corpus was cut and built; a change makes the index stale
    models: dict[str, str]  # encoder name -> identity of its weights
    built_at: str
    build_seconds: float
    counts: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class StoredIndex:
    manifest: Manifest
    items: list[Item]
    vectors: dict[str, np.ndarray]  # encoder name -> (n_items, dim) float32, L2-normalised
    faiss_indexes: dict[str, faiss.Index]
    topic_affinity: np.ndarray  # (n_passages_in_items_order, n_topics)
    topic_order: list[str]


def write_index(directory: Path, stored: StoredIndex) -> None:
    """Write atomically: build in a temporary folder next to the target, then swap it in."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".index-", dir=directory.parent))
    try:
        for name, vectors in stored.vectors.items():
            np.save(temp / f"vectors-{name}.npy", vectors)
            faiss.write_index(stored.faiss_indexes[name], str(temp / f"{name}.faiss"))
        np.save(temp / "topic-affinity.npy", stored.topic_affinity)
        (temp / ITEMS).write_text(
            json.dumps(
                {"topics": stored.topic_order, "items": [i.to_json() for i in stored.items]}, ensure_ascii=False
            ),
            encoding="utf-8",
        )
        (temp / MANIFEST).write_text(json.dumps(stored.manifest.to_json(), indent=2), encoding="utf-8")
        if directory.exists():
            old = directory.with_name(directory.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(directory, old)
            os.replace(temp, directory)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temp, directory)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST
    if not path.is_file():
        raise IndexMissingError(str(directory))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(**data)
    except (json.JSONDecodeError, TypeError) as error:
        raise IndexCorruptError(str(directory), f"{MANIFEST} is onleesbaar") from error


def read_index(directory: Path) -> StoredIndex:
    manifest = read_manifest(directory)
    try:
        data = json.loads((directory / ITEMS).read_text(encoding="utf-8"))
        items = [Item(**raw) for raw in data["items"]]
        vectors, indexes = {}, {}
        for name in manifest.models:
            vectors[name] = np.load(directory / f"vectors-{name}.npy")
            indexes[name] = faiss.read_index(str(directory / f"{name}.faiss"))
            if vectors[name].shape[0] != len(items) or indexes[name].ntotal != len(items):
                raise IndexCorruptError(str(directory), f"aantal vectoren van {name} klopt niet")
        affinity = np.load(directory / "topic-affinity.npy")
    except IndexCorruptError:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexCorruptError(str(directory), f"{type(error).__name__}: {error}") from error
    return StoredIndex(manifest, items, vectors, indexes, affinity, list(data["topics"]))

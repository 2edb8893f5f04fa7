"""`wegwijzer crisis train`: learn the crisis classifier from knowledge/crisis_bank.

The bank's messages are encoded with the search's query encoders (the same features the running
assistant has for a message: e5 and USE vectors, e5 layer.7's mean), a multinomial logistic
regression is fitted on them, and both are written to var/crisis: the weights for the assistant,
the vectors for `wegwijzer eval crisis`, whose cross-validation then needs no second encoding.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from index.encoders import Encoder, encode_query_features, feature_identities
from wegwijzer.dialogue.crisis.detector import Encode
from wegwijzer.dialogue.crisis.model import (
    BUILD_COMMAND,
    METHOD,
    CrisisModel,
    CrisisModelError,
    load_model,
    read_manifest,
    save_model,
    stale_reason,
)
from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.knowledge.model import NO_CRISIS, CrisisExample

Progress = Callable[[str], None]
REGULARISATION = 4.0  # C of the logistic regression; grouped CV over the bank chose it (docs/crisis.md)
DUPLICATE_SIMILARITY = 0.93  # e5 cosine above which two bank messages count as one for the folds
VECTORS = "bank-vectors.npz"


@dataclass(frozen=True)
class BankVectors:
    """The bank's features: one row per message."""

    examples: tuple[CrisisExample, ...]
    features: np.ndarray  # (messages, features)


def classes_of(knowledge: KnowledgeBase) -> tuple[str, ...]:
    return (NO_CRISIS, *(signal.id for signal in knowledge.crisis))


def encoder_function(encoders: Sequence[Encoder]) -> Encode:
    def encode(texts: Sequence[str]) -> dict[str, np.ndarray]:
        return encode_query_features(encoders, texts)

    return encode


def feature_names(encode: Encode) -> tuple[str, ...]:
    """The features `encode` gives, in the order the model concatenates them (e5 first)."""
    return tuple(sorted(encode(["?"])))


def encode_bank(knowledge: KnowledgeBase, encode: Encode, names: Sequence[str], progress: Progress) -> BankVectors:
    texts = [e.text for e in knowledge.crisis_bank]
    rows, step = [], 200
    for start in range(0, len(texts), step):
        rows.append(_features(encode(texts[start : start + step]), names))
        progress(f"  voorbeelden coderen {min(start + step, len(texts))}/{len(texts)}")
    width = rows[0].shape[1] if rows else 0
    return BankVectors(knowledge.crisis_bank, np.vstack(rows) if rows else np.zeros((0, width), np.float32))


def _features(vectors: dict[str, np.ndarray], names: Sequence[str]) -> np.ndarray:
    return np.concatenate([vectors[name] for name in names], axis=1).astype(np.float32)


def fit(features: np.ndarray, labels: Sequence[str], classes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(coef, intercept) in the order of `classes`; a class without examples never wins."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=3000)
    model.fit(features, list(labels))
    coef = np.zeros((len(classes), features.shape[1]), dtype=np.float32)
    intercept = np.full(len(classes), -1e4, dtype=np.float32)
    for row, label in enumerate(model.classes_):
        coef[classes.index(label)] = model.coef_[row]
        intercept[classes.index(label)] = model.intercept_[row]
    return coef, intercept


def duplicate_groups(features: np.ndarray, e5_width: int) -> np.ndarray:
    """A group id per message: near-duplicates (e5 cosine >= DUPLICATE_SIMILARITY) share one, so a
    fold never tests on a message whose twin it trained on."""
    e5 = features[:, :e5_width]
    e5 = e5 / (np.linalg.norm(e5, axis=1, keepdims=True) + 1e-9)
    parent = list(range(len(e5)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    similar = np.argwhere(np.triu(e5 @ e5.T, k=1) >= DUPLICATE_SIMILARITY)
    for a, b in similar:
        parent[root(int(a))] = root(int(b))
    return np.array([root(i) for i in range(len(e5))], dtype=np.int64)


def is_up_to_date(directory: Path, knowledge: KnowledgeBase, models: dict[str, str]) -> bool:
    manifest = read_manifest(directory)
    return manifest is not None and stale_reason(manifest, knowledge, models) is None


def train(knowledge: KnowledgeBase, encoders: Sequence[Encoder], directory: Path, progress: Progress) -> CrisisModel:
    started = time.perf_counter()
    encode = encoder_function(encoders)
    names = feature_names(encode)
    classes = classes_of(knowledge)
    bank = encode_bank(knowledge, encode, names, progress)
    progress("  classificatie leren")
    coef, intercept = fit(bank.features, [e.signal for e in bank.examples], classes)
    counts = {c: sum(e.signal == c for e in bank.examples) for c in classes}
    manifest = {
        "method": METHOD,
        "bank_hash": knowledge.crisis_bank_hash,
        "models": feature_identities(encoders),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 1),
        "counts": counts,
    }
    model = CrisisModel(classes, names, coef, intercept, manifest)
    save_model(directory, model)
    np.savez(directory / VECTORS, features=bank.features)
    progress(f"  klaar: {len(bank.examples)} voorbeelden, {directory}")
    return model


def load_bank_vectors(directory: Path, knowledge: KnowledgeBase, models: dict[str, str]) -> BankVectors:
    """The vectors stored by `train` for this bank, or CrisisModelError when they are stale or unreadable."""
    load_model(directory, knowledge, models)  # raises when the bank or the models changed
    try:
        with np.load(directory / VECTORS) as data:
            return BankVectors(knowledge.crisis_bank, data["features"])
    except (OSError, KeyError, ValueError) as error:
        raise CrisisModelError(
            f"De opgeslagen voorbeelden zijn onleesbaar ({error}). Train opnieuw met '{BUILD_COMMAND} --force'."
        ) from error

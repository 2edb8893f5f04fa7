"""The learned crisis classifier on disk: weights over the message's sentence vectors.

A multinomial logistic regression over the query features the search computes anyway (e5 and USE
vectors and, from the same e5 graph run, the mean of layer.7's token states; concatenated in name
order), one class per signal of knowledge/crisis.yaml plus "none". Running it is one small
matrix product in numpy; training (train.py) is the only part that needs scikit-learn.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.settings import load_settings

# What, besides the bank and the models, decides the classifier; a change makes it stale.
METHOD = (
    "multinomial logistic regression, balanced classes, C=4, "
    "e5+USE query vectors and e5 layer.7 mean of the whole message; v3"
)
WEIGHTS = "weights.npz"
MANIFEST = "manifest.json"
BUILD_COMMAND = "wegwijzer crisis train"


def crisis_dir() -> Path:
    return load_settings().crisis_path


class CrisisModelError(RuntimeError):
    """The classifier is missing or was trained on another bank or other models; says what to run."""


@dataclass(frozen=True)
class CrisisModel:
    classes: tuple[str, ...]  # NO_CRISIS and the signal ids
    encoders: tuple[str, ...]  # feature names (encoders and their extras), in the order they are concatenated
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)
    manifest: dict[str, Any]

    def features(self, vectors: Mapping[str, np.ndarray]) -> np.ndarray:
        """(n, features) from each feature's (n, dim) vectors."""
        missing = [name for name in self.encoders if name not in vectors]
        if missing:
            raise CrisisModelError(
                f"De taalmodellen geven {', '.join(missing)} niet. Voer 'wegwijzer models prepare' uit."
            )
        return np.concatenate([np.atleast_2d(vectors[name]) for name in self.encoders], axis=1)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(n, classes): P(class | message) for each row."""
        logits = features @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def stale_reason(manifest: Mapping[str, Any], knowledge: KnowledgeBase, models: Mapping[str, str]) -> str | None:
    if manifest.get("method") != METHOD:
        return "de manier van trainen is veranderd"
    if manifest.get("bank_hash") != knowledge.crisis_bank_hash:
        return "de crisisvoorbeelden (knowledge/crisis_bank) zijn gewijzigd"
    known = manifest.get("models")
    if isinstance(known, dict) and set(known) - set(models):
        # e5 on torch (no query graph of this version): the extra features are not there
        missing = ", ".join(sorted(set(known) - set(models)))
        return f"de taalmodellen geven {missing} niet (voer eerst 'wegwijzer models prepare' uit)"
    if known != dict(models):
        return "de taalmodellen zijn anders dan bij het trainen"
    return None


def read_manifest(directory: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save_model(directory: Path, model: CrisisModel) -> None:
    """Write atomically next to the target, then swap it in."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".crisis-", dir=directory.parent))
    np.savez(temp / WEIGHTS, coef=model.coef, intercept=model.intercept)
    manifest = {**model.manifest, "classes": list(model.classes), "encoders": list(model.encoders)}
    (temp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    if directory.exists():
        shutil.rmtree(directory)
    temp.rename(directory)


def load_model(directory: Path, knowledge: KnowledgeBase, models: Mapping[str, str]) -> CrisisModel:
    """The classifier for this bank and these models, or CrisisModelError naming the command that makes it."""
    manifest = read_manifest(directory)
    if manifest is None:
        raise CrisisModelError(
            f"De crisisherkenning is nog niet getraind ({directory}). Maak hem met '{BUILD_COMMAND}'."
        )
    reason = stale_reason(manifest, knowledge, models)
    if reason:
        raise CrisisModelError(f"De crisisherkenning is verouderd: {reason}. Train opnieuw met '{BUILD_COMMAND}'.")
    try:
        with np.load(directory / WEIGHTS) as weights:
            coef, intercept = weights["coef"].astype(np.float32), weights["intercept"].astype(np.float32)
    except (OSError, KeyError, ValueError) as error:
        raise CrisisModelError(
            f"De crisisherkenning is beschadigd ({error}). Train opnieuw met '{BUILD_COMMAND}'."
        ) from error
    return CrisisModel(tuple(manifest["classes"]), tuple(manifest["encoders"]), coef, intercept, manifest)

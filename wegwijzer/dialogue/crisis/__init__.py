"""The crisis safety net: a learned, tiered detector checked on every message (detector.py), the
classifier it runs (model.py) and how that is learned from knowledge/crisis_bank (train.py)."""

from wegwijzer.dialogue.crisis.detector import (
    CLEAR,
    NO_FINDING,
    NONE,
    POSSIBLE,
    CrisisDetector,
    CrisisFinding,
    CrisisThresholds,
)
from wegwijzer.dialogue.crisis.model import CrisisModel, CrisisModelError, crisis_dir, load_model

__all__ = [
    "CLEAR",
    "NONE",
    "NO_FINDING",
    "POSSIBLE",
    "CrisisDetector",
    "CrisisFinding",
    "CrisisModel",
    "CrisisModelError",
    "CrisisThresholds",
    "crisis_dir",
    "load_model",
]

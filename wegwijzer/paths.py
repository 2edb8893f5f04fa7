"""Where Wegwijzer finds its content and keeps what it builds.

Every location can be moved with an environment variable, so tests and
deployments can point to their own folders.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def knowledge_dir() -> Path:
    """The content folder (knowledge/)."""
    return Path(os.environ.get("WEGWIJZER_KNOWLEDGE", REPO_ROOT / "knowledge"))


def var_dir() -> Path:
    """Folder for everything that is built, never committed (models, index)."""
    return Path(os.environ.get("WEGWIJZER_VAR", REPO_ROOT / "var"))


def models_dir() -> Path:
    return Path(os.environ.get("WEGWIJZER_MODELS_DIR", var_dir() / "models"))


def index_dir() -> Path:
    return Path(os.environ.get("WEGWIJZER_INDEX_DIR", var_dir() / "index"))

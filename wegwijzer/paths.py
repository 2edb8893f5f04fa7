"""Where Wegwijzer finds its content and keeps what it builds (each movable with a setting, so tests and
deployments can point to their own folders)."""

from __future__ import annotations

from pathlib import Path

from wegwijzer.settings import REPO_ROOT, load_settings

__all__ = ["REPO_ROOT", "index_dir", "knowledge_dir", "models_dir", "var_dir"]


def knowledge_dir() -> Path:
    """The content folder (knowledge/)."""
    return load_settings().knowledge


def var_dir() -> Path:
    """Folder for everything that is built, never committed (models, index)."""
    return load_settings().var


def models_dir() -> Path:
    return load_settings().models_path


def index_dir() -> Path:
    return load_settings().index_path

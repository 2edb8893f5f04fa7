"""Shared fixtures: the real knowledge base, and a writable copy of it for breaking things."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wegwijzer.paths import REPO_ROOT

KNOWLEDGE = REPO_ROOT / "knowledge"
EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")

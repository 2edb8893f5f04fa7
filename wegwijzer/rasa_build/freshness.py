"""Is bot/models/wegwijzer.tar.gz built from the current bot/ and knowledge/? A hash and a stamp say."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from wegwijzer.paths import knowledge_dir
from wegwijzer.rasa_build.layout import BotLayout

KNOWLEDGE_PARTS = ("topics", "services", "gemeenten")  # what the NLU and domain are generated from
# tools/: evaluation scripts; channels/: loaded by `rasa run`, not part of the trained model
_SKIPPED_NAMES = {"__pycache__", ".rasa", "results", ".pytest_cache", "tools", "channels"}
_SKIPPED_SUFFIXES = {".pyc", ".md"}  # documentation does not change the model
GENERATOR_MODULES = ("annotate.py", "domain.py", "generate.py", "nlu.py", "rasa_yaml.py")  # shape the training data
UP_TO_DATE, CHANGED, MISSING = "up to date", "changed", "missing"


@dataclass(frozen=True)
class Freshness:
    state: str  # UP_TO_DATE | CHANGED | MISSING
    current: str
    stamped: str | None

    @property
    def fresh(self) -> bool:
        return self.state == UP_TO_DATE

    def describe(self, layout: BotLayout) -> str:
        model = layout.relative(layout.model_path)
        if self.state == UP_TO_DATE:
            return f"Rasa-model is actueel ({model}, {self.current})."
        if self.state == MISSING:
            return f"Er is nog geen Rasa-model ({model})."
        before = self.stamped or "zonder stempel"
        return f"bot/ of knowledge/ is veranderd sinds {model} getraind is ({before} -> {self.current})."


def _bot_files(layout: BotLayout) -> list[Path]:
    skipped_dirs = {layout.models_dir, layout.generated_data_dir, layout.generated_domain_dir}
    files = []
    for path in layout.root.rglob("*"):
        parts = set(path.relative_to(layout.root).parts)
        if not path.is_file() or path.suffix in _SKIPPED_SUFFIXES or _SKIPPED_NAMES & parts:
            continue
        if any(folder == path or folder in path.parents for folder in skipped_dirs):
            continue
        files.append(path)
    return files


def source_hash(layout: BotLayout, knowledge_root: Path | None = None) -> str:
    """Hash over the hand-written bot/, the knowledge the NLU comes from, and the code that generates it."""
    knowledge_root = knowledge_root or knowledge_dir()
    labelled: list[tuple[str, Path]] = [(f"bot/{p.relative_to(layout.root)}", p) for p in _bot_files(layout)]
    for part in KNOWLEDGE_PARTS:
        folder = knowledge_root / part
        labelled += [(f"knowledge/{p.relative_to(knowledge_root)}", p) for p in folder.rglob("*") if p.is_file()]
    code = Path(__file__).parent
    labelled += [(f"rasa_build/{name}", code / name) for name in GENERATOR_MODULES]
    digest = hashlib.sha256()
    for label, path in sorted(labelled):
        digest.update(label.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_stamp(layout: BotLayout) -> dict[str, object] | None:
    try:
        data = json.loads(layout.stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_stamp(layout: BotLayout, current: str, seconds: float) -> None:
    stamp = {
        "hash": current,
        "model": layout.model_path.name,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(seconds, 1),
    }
    layout.stamp_path.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")


def model_freshness(layout: BotLayout, knowledge_root: Path | None = None) -> Freshness:
    current = source_hash(layout, knowledge_root)
    stamp = read_stamp(layout)
    stamped = str(stamp["hash"]) if stamp and "hash" in stamp else None
    if not layout.model_path.is_file():
        return Freshness(MISSING, current, stamped)
    return Freshness(UP_TO_DATE if stamped == current else CHANGED, current, stamped)

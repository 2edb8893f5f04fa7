"""Where the Rasa project, its generated files, its model and the Rasa environment live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from wegwijzer.settings import REPO_ROOT, load_settings

MODEL_NAME = "wegwijzer"
TOPIC_INTENT_PREFIX = "hulp_"
ACTION = "action_wegwijzer"


class BuildError(Exception):
    """Something the user must fix before the bot can be built; the message says what."""


@dataclass(frozen=True)
class BotLayout:
    """The files of one Rasa project folder (bot/ or a copy of it in a test)."""

    root: Path

    @classmethod
    def default(cls) -> BotLayout:
        return cls(load_settings().bot_dir)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def generated_data_dir(self) -> Path:
        return self.data_dir / "generated"

    @property
    def domain_dir(self) -> Path:
        return self.root / "domain"

    @property
    def generated_domain_dir(self) -> Path:
        return self.domain_dir / "generated"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def config_path(self) -> Path:
        return self.root / "config.yml"

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    @property
    def model_path(self) -> Path:
        return self.models_dir / f"{MODEL_NAME}.tar.gz"

    @property
    def stamp_path(self) -> Path:
        return self.models_dir / f"{MODEL_NAME}.stamp.json"

    def relative(self, path: Path) -> str:
        """A path as the user knows it: relative to the repository when it is inside it."""
        try:
            return str(path.resolve().relative_to(REPO_ROOT))
        except ValueError:
            return str(path)


def rasa_executable() -> Path:
    """The `rasa` command of the Python 3.10 environment; BuildError when it is not installed."""
    rasa = load_settings().rasa
    if not rasa.is_file() or not os.access(rasa, os.X_OK):
        raise BuildError(
            f"De Rasa-omgeving ontbreekt ({rasa} niet gevonden); run make setup "
            "(of bash scripts/setup.sh zonder WEGWIJZER_SKIP_RASA=1)."
        )
    return rasa

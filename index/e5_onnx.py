"""multilingual-e5-small for search queries on onnxruntime, so that search processes need no torch.

``prepare_e5_onnx`` (run by ``prepare_models``) exports the e5 sentence-transformers folder
written by :mod:`index.e5_export` to an ONNX graph (``input_ids`` and ``attention_mask`` in,
the mean-pooled last hidden state out; L2-normalised here in numpy) and quantises it with
onnxruntime's dynamic int8 quantisation when that keeps the vectors of real questions close
to the torch float32 ones (worst cosine >= ``MIN_COSINE``); otherwise the float32 graph stays.

``E5OnnxEncoder`` runs that graph for queries: the same tokenizer, ``query: `` prompt and
510-token windows as ``E5Encoder``, the same ``name`` and ``identity``, so an index whose
passages were embedded by torch stays valid.
"""

from __future__ import annotations

import json
import shutil
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index import e5_export
from index.encoders import E5Encoder, ModelMissingError, Progress, _l2_normalise, _read_json, _sha256, e5_identity

MODEL_FILE = "model.onnx"
IDENTITY_FILE = "wegwijzer_onnx.json"
EXPORTER_VERSION = 1
OPSET = 17
MIN_COSINE = 0.99  # worst cosine against torch float32 over the check questions, for int8
CHECK_TEXTS = 300  # topic example messages the quantisation is checked on
# Dynamic int8 variants, tried in this order; the first that passes the check is kept.
# On AVX2 without VNNI, reduce_range (7-bit weights) avoids the u8s8 saturation of full-range
# int8: over 360 real questions per-channel+reduce_range gave a worst cosine of 0.993, per-channel
# alone 0.985, per-tensor 0.981 and 0.937 (docs/benchmarks.md).
INT8_VARIANTS = (
    {"per_channel": True, "reduce_range": True},
    {"per_channel": True, "reduce_range": False},
    {"per_channel": False, "reduce_range": False},
)

FALLBACK_TEXTS = (  # when knowledge/ has no topics
    "Ik kan mijn huur niet meer betalen, wat moet ik doen?",
    "How do I apply for social assistance?",
    "كيف يمكنني التقدم بطلب للحصول على مساعدة اجتماعية؟",
    "Kiramı ödeyemiyorum, borçlarım var.",
    "Як подати заяву на соціальну допомогу?",
    "Gdzie mogę uzyskać pomoc w opiece domowej?",
)


def _expected_source(e5_dir: Path) -> dict:
    return _read_json(Path(e5_dir) / e5_export.IDENTITY_FILE)


def is_current(onnx_dir: Path, e5_dir: Path) -> bool:
    """True when ``onnx_dir`` holds this exporter's graph of the e5 export in ``e5_dir``."""
    found = _read_json(Path(onnx_dir) / IDENTITY_FILE)
    model = Path(onnx_dir) / MODEL_FILE
    return (
        model.is_file()
        and found.get("exporter_version") == EXPORTER_VERSION
        and found.get("source") == _expected_source(e5_dir)
        and found.get("size") == model.stat().st_size
    )


# ---------------------------------------------------------------------------------------
# Export and quantisation (model preparation; needs torch)
# ---------------------------------------------------------------------------------------


def default_check_texts(limit: int = CHECK_TEXTS) -> list[str]:
    """Real questions for the quantisation check: every n-th example message of the topics in
    knowledge/ (six languages), read straight from the YAML so that a content error elsewhere
    cannot stop the model preparation."""
    import yaml

    from wegwijzer.paths import knowledge_dir

    examples: list[str] = []
    for path in sorted((knowledge_dir() / "topics").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for _lang, texts in sorted((data.get("examples") or {}).items()):
            examples += [str(text) for text in texts or ()]
    step = max(1, len(examples) // limit)
    return examples[::step][:limit] or list(FALLBACK_TEXTS)


def _export_float32(e5_dir: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(e5_dir), attn_implementation="eager", local_files_only=True).eval()

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)

    ids = torch.tensor([[0, 5, 6, 7, 2], [0, 5, 2, 1, 1]])
    mask = (ids != 1).long()
    dynamic = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer warnings about shape-dependent branches taken once
        torch.onnx.export(
            MeanPooled().eval(),
            (ids, mask),
            str(target),
            input_names=["input_ids", "attention_mask"],
            output_names=["mean"],
            dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "mean": {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,
        )


def _quantise(source: Path, target: Path, per_channel: bool, reduce_range: bool) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(source), str(target), per_channel=per_channel, reduce_range=reduce_range, weight_type=QuantType.QInt8
    )


def _checked(label: str, model: Path, e5_dir: Path, texts: Sequence[str], reference: np.ndarray) -> dict:
    """Cosines between the graph's query vectors and torch's (``reference``), for the identity json."""
    vectors = E5OnnxEncoder(model.parent, e5_dir, model_file=model.name, check=False).encode_queries(texts)
    cosines = (vectors * reference).sum(axis=1)
    return {"quantisation": label, "min_cosine": float(cosines.min()), "mean_cosine": float(cosines.mean())}


def prepare_e5_onnx(
    e5_dir: Path, onnx_dir: Path, progress: Progress | None = None, check_texts: Sequence[str] | None = None
) -> Path:
    """Export (and if good enough, quantise) the query graph into ``onnx_dir``; idempotent.

    Built in a temporary folder next to ``onnx_dir`` and swapped in at the end.
    """
    say = progress or (lambda _msg: None)
    e5_dir, onnx_dir = Path(e5_dir), Path(onnx_dir)
    if not e5_export.is_complete(e5_dir):
        raise ModelMissingError(e5_dir)
    if is_current(onnx_dir, e5_dir):
        say(f"e5-small (ONNX): al aanwezig in {onnx_dir}")
        return onnx_dir / MODEL_FILE
    tmp = onnx_dir.with_name(f".{onnx_dir.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    started = time.perf_counter()
    say("e5-small (ONNX): exporteren met torch.onnx (float32)")
    fp32 = tmp / "model-fp32.onnx"
    _export_float32(e5_dir, fp32)

    texts = list(check_texts) if check_texts is not None else default_check_texts()
    say(f"e5-small (ONNX): referentievectoren van torch voor {len(texts)} vragen")
    reference = E5Encoder(e5_dir).encode_queries(texts)
    chosen = _checked("none (float32)", fp32, e5_dir, texts, reference)
    for variant in INT8_VARIANTS:
        candidate = tmp / "model-int8.onnx"
        _quantise(fp32, candidate, **variant)
        label = f"int8 dynamic, per_channel={variant['per_channel']}, reduce_range={variant['reduce_range']}"
        checked = _checked(label, candidate, e5_dir, texts, reference)
        say(f"e5-small (ONNX): {label}: cosinus met torch min {checked['min_cosine']:.4f}")
        if checked["min_cosine"] >= MIN_COSINE:
            chosen = checked
            candidate.replace(fp32)
            break
        candidate.unlink()
    fp32.replace(tmp / MODEL_FILE)
    say(f"e5-small (ONNX): gekozen: {chosen['quantisation']}")

    import onnxruntime
    import torch

    identity = {
        "source": _expected_source(e5_dir),
        "exporter_version": EXPORTER_VERSION,
        "opset": OPSET,
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
        **chosen,
        "check_texts": len(texts),
        "min_cosine_required": MIN_COSINE,
        "size": (tmp / MODEL_FILE).stat().st_size,
        "sha256": _sha256(tmp / MODEL_FILE),
    }
    (tmp / IDENTITY_FILE).write_text(json.dumps(identity, indent=2) + "\n", encoding="utf-8")
    e5_export.replace_folder(tmp, onnx_dir)
    say(f"e5-small (ONNX): klaar in {onnx_dir} ({time.perf_counter() - started:.0f} s)")
    return onnx_dir / MODEL_FILE


# ---------------------------------------------------------------------------------------
# The query encoder (search processes; no torch)
# ---------------------------------------------------------------------------------------


class E5OnnxEncoder:
    """multilingual-e5-small on onnxruntime; meant for queries (one text per graph call).

    ``encode_passages`` works too, but an index is built with ``E5Encoder``: the int8 graph's
    vectors are close to torch's, not equal.
    """

    name = E5Encoder.name
    dim = 384

    def __init__(
        self, onnx_dir: Path, e5_dir: Path, threads: int = 1, model_file: str = MODEL_FILE, check: bool = True
    ) -> None:
        onnx_dir, e5_dir = Path(onnx_dir), Path(e5_dir)
        if not e5_export.is_complete(e5_dir):
            raise ModelMissingError(e5_dir)
        if check and not is_current(onnx_dir, e5_dir):
            raise ModelMissingError(onnx_dir)
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))
        config = _read_json(e5_dir / "tokenizer_config.json")
        self.bos = self.tokenizer.token_to_id(config["cls_token"])
        self.eos = self.tokenizer.token_to_id(config["sep_token"])
        self.prompts = _read_json(e5_dir / "config_sentence_transformers.json")["prompts"]
        self.window = int(_read_json(e5_dir / "sentence_bert_config.json")["max_seq_length"]) - 2
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_dir / model_file), options, providers=["CPUExecutionProvider"])
        self.identity = e5_identity(e5_dir)

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._encode(texts, self.prompts["query"])

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.prompts["passage"])

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self.tokenizer.encode_batch([prompt + t for t in texts], add_special_tokens=False)
        for row, encoding in enumerate(encodings):
            out[row] = self._embed(encoding.ids)
        return _l2_normalise(out)

    def _embed(self, content_ids: list[int]) -> np.ndarray:
        """Mean of the last hidden state; longer texts as ``E5Encoder._encode_long``: 510-token
        windows, each with its own <s> and </s>, averaged with their content tokens as weight."""
        windows = [content_ids[a : a + self.window] for a in range(0, len(content_ids), self.window)] or [[]]
        total = np.zeros(self.dim, dtype=np.float64)
        for window in windows:
            ids = np.array([[self.bos, *window, self.eos]], dtype=np.int64)
            mean = self.session.run(["mean"], {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
            if len(windows) == 1:
                return mean
            total += mean * len(window)
        return total / len(content_ids)

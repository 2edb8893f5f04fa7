"""Index build, manifest, freshness and corruption, on a small knowledge base with the real encoders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from index.build import build_index, is_up_to_date, model_identities
from index.encoders import Encoder, load_encoders
from index.errors import IndexCorruptError, IndexMissingError, IndexStaleError, QueryError
from index.search import Searcher
from index.store import read_index
from tests.conftest import KNOWLEDGE
from wegwijzer.knowledge import load_knowledge
from wegwijzer.paths import models_dir

TOPICS = ("welzijn", "beleid", "wijk", "schulden")


def small_knowledge(target: Path) -> Path:
    """Leiderdorp alone, with a few topics: the same files as the real content, fewer of them."""
    for folder in ("gemeenten", "sources/leiderdorp", "services", "topics", "schema", "texts"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    shutil.copy(KNOWLEDGE / "gemeenten" / "leiderdorp.yaml", target / "gemeenten")
    for source in (KNOWLEDGE / "sources" / "leiderdorp").glob("*.md"):
        shutil.copy(source, target / "sources" / "leiderdorp")
    shutil.copy(KNOWLEDGE / "services" / "leiderdorp.yaml", target / "services")
    for topic in TOPICS:
        shutil.copy(KNOWLEDGE / "topics" / f"{topic}.yaml", target / "topics")
    for schema in (KNOWLEDGE / "schema").glob("*.json"):
        shutil.copy(schema, target / "schema")
    shutil.copy(KNOWLEDGE / "glossary.yaml", target)
    # What the conversation says (not part of the index): Dutch and English texts, and the crisis
    # signals pointing to a place this small set has (the real ones point to the national lines).
    for lang in ("nl", "en"):  # without the national numbers: this small set has no national lines
        texts = yaml.safe_load((KNOWLEDGE / "texts" / f"{lang}.yaml").read_text(encoding="utf-8"))
        texts["texts"] = {k: ("Bel 112." if "0800" in v else v) for k, v in texts["texts"].items()}
        (target / "texts" / f"{lang}.yaml").write_text(yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8")
    crisis = yaml.safe_load((KNOWLEDGE / "crisis.yaml").read_text(encoding="utf-8"))
    for signal in crisis["signals"]:
        signal["lines"] = ["leiderdorp-welzijnspartner"]
    crisis.pop("lines_as_places")  # names a national line
    (target / "crisis.yaml").write_text(yaml.safe_dump(crisis, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def encoders() -> list[Encoder]:
    return load_encoders(models_dir())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, encoders: list[Encoder]) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("small")
    knowledge = small_knowledge(root / "knowledge")
    index = root / "index"
    build_index(load_knowledge(knowledge), encoders, index, progress=lambda _m: None)
    return knowledge, index


def test_build_writes_manifest_and_vectors(built: tuple[Path, Path], encoders: list[Encoder]) -> None:
    knowledge, index = built
    manifest = json.loads((index / "manifest.json").read_text())
    assert manifest["content_hash"] == load_knowledge(knowledge).content_hash
    assert set(manifest["models"]) == {e.name for e in encoders}
    assert manifest["counts"]["passage"] > 10
    stored = read_index(index)
    for encoder in encoders:
        vectors = stored.vectors[encoder.name]
        assert vectors.shape == (len(stored.items), encoder.dim)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
        assert stored.faiss_indexes[encoder.name].ntotal == len(stored.items)


def test_an_unchanged_index_is_up_to_date_and_a_changed_one_is_not(
    built: tuple[Path, Path], encoders: list[Encoder], tmp_path: Path
) -> None:
    knowledge, index = built
    assert is_up_to_date(index, load_knowledge(knowledge), model_identities(encoders))
    changed = shutil.copytree(knowledge, tmp_path / "knowledge")
    topic = changed / "topics" / "welzijn.yaml"
    topic.write_text(
        topic.read_text().replace("  nl:\n", "  nl:\n    - ik wil graag mensen ontmoeten in het dorp\n", 1)
    )
    assert not is_up_to_date(index, load_knowledge(changed), model_identities(encoders))
    with pytest.raises(IndexStaleError, match="wegwijzer index build"):
        Searcher(load_knowledge(changed), read_index(index), encoders)


def test_search_finds_the_passage_and_the_place(built: tuple[Path, Path], encoders: list[Encoder]) -> None:
    knowledge, index = built
    searcher = Searcher(load_knowledge(knowledge), read_index(index), encoders)
    result = searcher.search("wat is de droom van leiderdorp voor het dorp?", "leiderdorp")
    assert any("We dromen van een dorp" in hit.passage.text for hit in result.passages[:3])
    assert all(hit.passage.gemeente == "leiderdorp" for hit in result.passages)
    assert result.services[0].service.gemeente == "leiderdorp"
    english = searcher.search("I feel lonely and would like to meet people and do volunteer work", "leiderdorp")
    assert english.topics[0].topic == "welzijn"
    assert english.services[0].service.id == "leiderdorp-welzijnspartner"


def test_bad_queries_get_one_clear_sentence(built: tuple[Path, Path], encoders: list[Encoder]) -> None:
    knowledge, index = built
    searcher = Searcher(load_knowledge(knowledge), read_index(index), encoders)
    with pytest.raises(QueryError, match="leeg"):
        searcher.search("   ", "leiderdorp")
    with pytest.raises(QueryError, match="te lang"):
        searcher.search("hulp " * 500, "leiderdorp")
    with pytest.raises(QueryError, match="Onbekende gemeente 'atlantis'"):
        searcher.search("hulp", "atlantis")


def test_missing_and_corrupt_index_name_the_fix(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, index = built
    with pytest.raises(IndexMissingError, match="wegwijzer index build"):
        read_index(tmp_path / "nothing")
    broken = shutil.copytree(index, tmp_path / "broken")
    vectors = next(broken.glob("vectors-*.npy"))
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(IndexCorruptError, match="wegwijzer index build"):
        read_index(broken)
    (broken / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorruptError, match=r"manifest\.json"):
        read_index(broken)


def test_rebuild_replaces_the_index_atomically(
    built: tuple[Path, Path], encoders: list[Encoder], tmp_path: Path
) -> None:
    knowledge, index = built
    target = shutil.copytree(index, tmp_path / "index")
    before = json.loads((target / "manifest.json").read_text())["built_at"]
    build_index(load_knowledge(knowledge), encoders, target, progress=lambda _m: None)
    assert (target / "manifest.json").is_file()
    assert not list(tmp_path.glob(".index-*")) and not (tmp_path / "index.old").exists()
    assert json.loads((target / "manifest.json").read_text())["built_at"] >= before


def test_identities_on_disk_equal_those_of_the_loaded_encoders(encoders: list[Encoder], tmp_path: Path) -> None:
    from index.model_files import ModelMissingError, identities_on_disk

    assert identities_on_disk(models_dir()) == model_identities(encoders)
    with pytest.raises(ModelMissingError, match="wegwijzer models prepare"):
        identities_on_disk(tmp_path)

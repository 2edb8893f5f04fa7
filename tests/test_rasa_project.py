"""The Rasa project in bot/: NLU and domain generated from knowledge/, validation, model freshness.

Training happens in the set-up (scripts/setup.sh, step 5); these tests never train. The tests
that need Rasa itself use the real .venv-rasa and are skipped, with the reason, without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import KNOWLEDGE
from wegwijzer.knowledge import load_knowledge
from wegwijzer.paths import REPO_ROOT
from wegwijzer.rasa_build import BotLayout, generate, model_freshness
from wegwijzer.rasa_build.annotate import strip_markup
from wegwijzer.rasa_build.freshness import CHANGED, MISSING, UP_TO_DATE, write_stamp
from wegwijzer.rasa_build.layout import ACTION
from wegwijzer.rasa_build.nlu import TIER_SERVICE, TIER_TOPIC, Example, resolve_duplicates

BOT = REPO_ROOT / "bot"
RASA = REPO_ROOT / ".venv-rasa" / "bin" / "rasa"
needs_rasa = pytest.mark.skipif(
    not RASA.is_file(), reason=".venv-rasa ontbreekt (set-up met WEGWIJZER_SKIP_RASA=1?); run make setup"
)

NEW_TOPIC = """\
id: verslaving
name: {nl: "Verslaving", en: "Addiction"}
description: {nl: "Hulp bij verslaving aan alcohol, drugs of gokken.", en: "Help with addiction."}
examples:
  nl: ["mijn man drinkt elke avond een fles wodka", "ik kan niet stoppen met gokken op mijn telefoon"]
  en: ["my husband drinks a bottle of vodka every night", "i cannot stop gambling on my phone"]
"""


def bot_copy(target: Path) -> BotLayout:
    """The hand-written bot/ in a temporary folder: no model, no generated files, no caches."""
    shutil.copytree(
        BOT, target, ignore=shutil.ignore_patterns("models", "generated", ".rasa", "results", "__pycache__")
    )
    return BotLayout(target)


def nlu_examples(path: Path) -> dict[str, list[str]]:
    """Intent -> plain example texts of one NLU file."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    return {
        item["intent"]: [strip_markup(line[2:]) for line in item["examples"].splitlines() if line.startswith("- ")]
        for item in items
        if "intent" in item
    }


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wegwijzer.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        cwd=REPO_ROOT,
    )


def test_generated_nlu_has_an_intent_for_every_topic(tmp_path: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    layout = bot_copy(tmp_path / "bot")
    report = generate(kb, layout)

    examples = nlu_examples(layout.generated_data_dir / "topics.yml")
    expected = {f"hulp_{topic}" for topic in kb.topics}
    assert set(examples) == expected
    for topic in kb.topics.values():
        texts = set(examples[f"hulp_{topic.id}"])
        assert set(topic.examples["nl"][:5]) <= texts, topic.id
        assert len(texts) >= 40, topic.id
    service = kb.services["purmerend-schulddienstverlening"]
    assert service.examples["nl"][0] in examples["hulp_schulden"]

    domain = yaml.safe_load((layout.generated_domain_dir / "topics.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) == expected
    rules = yaml.safe_load((layout.generated_data_dir / "rules.yml").read_text(encoding="utf-8"))["rules"]
    ruled = {rule["steps"][0]["intent"]: rule["steps"][1]["action"] for rule in rules}
    assert set(ruled) == set(report.intents) and set(ruled.values()) == {ACTION}
    assert {"greet", "out_of_scope", "change_gemeente", "human_handoff"} | expected <= set(ruled)


def test_generated_examples_are_unique_across_intents(tmp_path: Path) -> None:
    layout = bot_copy(tmp_path / "bot")
    generate(load_knowledge(KNOWLEDGE), layout)
    owner: dict[str, str] = {}
    for path in sorted(layout.data_dir.rglob("*.yml")):
        if "nlu:" not in path.read_text(encoding="utf-8"):
            continue
        for intent, texts in nlu_examples(path).items():
            for text in texts:
                key = " ".join(text.casefold().split()).rstrip("?!. ")
                assert owner.setdefault(key, intent) == intent, f"{text!r}: {owner[key]} en {intent}"


def test_gemeente_names_come_from_knowledge(tmp_path: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    layout = bot_copy(tmp_path / "bot")
    generate(kb, layout)
    text = (layout.generated_data_dir / "gemeenten.yml").read_text(encoding="utf-8")
    lookup = text.split("- lookup: gemeente")[1]
    for gemeente in kb.gemeenten.values():
        assert f'"value": "{gemeente.id}"' in text or f"[{gemeente.id}](gemeente)" in text
        assert gemeente.name.split(" (")[0] in lookup
    assert '[Dijk en Waard]{"entity": "gemeente", "value": "heerhugowaard"}' in text
    assert "- synonym: heerhugowaard" in text and "- lookup: gemeente" in text
    assert "Leiderdorp" not in (BOT / "data" / "nlu_settings.yml").read_text(encoding="utf-8")


def add_topic(knowledge: Path) -> None:
    """A new topic is content only: its file, and its one-line explanation in each language's texts."""
    (knowledge / "topics" / "verslaving.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    for texts in (knowledge / "texts").glob("*.yaml"):
        content = texts.read_text(encoding="utf-8")
        if "\ntopics:\n" in content:
            texts.write_text(
                content.replace("\ntopics:\n", '\ntopics:\n  verslaving: "verslaving"\n', 1), encoding="utf-8"
            )


def test_a_new_topic_becomes_an_intent_without_code_change(tmp_path: Path, knowledge_copy: Path) -> None:
    add_topic(knowledge_copy)
    layout = bot_copy(tmp_path / "bot")
    run = cli(
        "bot", "generate", env={"WEGWIJZER_KNOWLEDGE": str(knowledge_copy), "WEGWIJZER_BOT_DIR": str(layout.root)}
    )
    assert run.returncode == 0, run.stderr
    assert "19 onderwerp-intents" in run.stdout

    examples = nlu_examples(layout.generated_data_dir / "topics.yml")
    assert "ik kan niet stoppen met gokken op mijn telefoon" in examples["hulp_verslaving"]
    domain = yaml.safe_load((layout.generated_domain_dir / "topics.yml").read_text(encoding="utf-8"))
    assert "hulp_verslaving" in domain["intents"]
    assert "hulp_verslaving -> action_wegwijzer" in (layout.generated_data_dir / "rules.yml").read_text()


def test_duplicates_are_resolved_deterministically() -> None:
    def example(intent: str, text: str, tier: int) -> Example:
        return Example(intent, text, text, tier, "test")

    kept, dropped = resolve_duplicates(
        [
            example("hulp_a", "Ik heb schulden", TIER_TOPIC),
            example("hulp_b", "ik heb schulden?", TIER_SERVICE),  # lower priority: the topic wins
            example("hulp_a", "hulp nodig", TIER_TOPIC),
            example("hulp_b", "hulp nodig", TIER_TOPIC),  # a tie between intents: both go
            example("hulp_a", "hallo", TIER_TOPIC),  # hand-written elsewhere: the hand-written wins
            example("hulp_a", "iets anders", TIER_TOPIC),
        ],
        handwritten={"Hallo": {"greet"}},
    )
    assert [(e.intent, e.text) for e in kept] == [("hulp_a", "Ik heb schulden"), ("hulp_a", "iets anders")]
    assert len(dropped) == 4


def test_freshness_follows_the_sources(tmp_path: Path, knowledge_copy: Path) -> None:
    layout = bot_copy(tmp_path / "bot")
    assert model_freshness(layout, knowledge_copy).state == MISSING
    layout.models_dir.mkdir()
    layout.model_path.write_bytes(b"model")
    write_stamp(layout, model_freshness(layout, knowledge_copy).current, 1.0)
    assert model_freshness(layout, knowledge_copy).state == UP_TO_DATE

    generate(load_knowledge(knowledge_copy), layout)  # generated files do not count, their sources do
    assert model_freshness(layout, knowledge_copy).state == UP_TO_DATE

    topic = knowledge_copy / "topics" / "schulden.yaml"
    topic.write_text(topic.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert model_freshness(layout, knowledge_copy).state == CHANGED


def test_missing_rasa_is_one_clear_line(tmp_path: Path) -> None:
    layout = bot_copy(tmp_path / "bot")
    run = cli("bot", "validate", env={"WEGWIJZER_RASA": str(tmp_path / "nee"), "WEGWIJZER_BOT_DIR": str(layout.root)})
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "make setup" in run.stderr


@needs_rasa
def test_rasa_data_validate_is_clean(tmp_path: Path) -> None:
    layout = bot_copy(tmp_path / "bot")
    run = cli("bot", "validate", env={"WEGWIJZER_BOT_DIR": str(layout.root)})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    assert "geen waarschuwingen" in run.stdout


@needs_rasa
def test_the_trained_model_is_fresh_after_setup(knowledge_copy: Path) -> None:
    layout = BotLayout(BOT)
    assert layout.model_path.is_file(), "geen bot/models/wegwijzer.tar.gz: run make setup"
    assert model_freshness(layout, KNOWLEDGE).state == UP_TO_DATE, "bot/ of knowledge/ veranderd: wegwijzer bot train"
    assert model_freshness(layout, knowledge_copy).state == UP_TO_DATE  # the hash does not depend on the path

    gemeente = knowledge_copy / "gemeenten" / "leiderdorp.yaml"
    gemeente.write_text(gemeente.read_text(encoding="utf-8").replace("name: Leiderdorp", "name: Leiderdorp (ZH)"))
    assert model_freshness(layout, knowledge_copy).state == CHANGED


E5_CHECK = """
import sys
sys.path.insert(0, ".")  # what `rasa` does with its working directory
from components.e5_featurizer import E5Featurizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

featurizer = E5Featurizer({**E5Featurizer.get_default_config(), "cache_dir": None}, "e5")
messages = [Message(data={"text": "ik kan de huur niet meer betalen"}), Message(data={"text": "مرحبا"})]
WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process(messages)
featurizer.process(messages)
sequence, sentence = messages[0].get_dense_features("text")
print(sentence.features.shape, sequence is None)
"""


def run_in_rasa_environment(script: str) -> subprocess.CompletedProcess[str]:
    """A script in .venv-rasa with bot/ as working directory, as `rasa run` loads our modules."""
    return subprocess.run(
        [str(REPO_ROOT / ".venv-rasa" / "bin" / "python"), "-c", script],
        cwd=BOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )


@needs_rasa
def test_e5_featurizer_loads_from_bot_as_working_directory() -> None:
    run = run_in_rasa_environment(E5_CHECK)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "(1, 384) True"


ACTION_CHECK = """
import sys
sys.path.insert(0, ".")
import channels.redacting_rest  # what Rasa loads at start-up (credentials.yml)
from channels.action_result_check import action_result_validator, validate_action_result
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

assert RemoteAction._validate_action_result is validate_action_result
action = RemoteAction.__new__(RemoteAction)
assert action._validate_action_result({"events": [{"event": "slot", "name": "lang", "value": "nl"}], "responses": []})
assert action_result_validator() is action_result_validator()  # the schema is checked once, not per turn
try:
    action._validate_action_result({"events": "not a list"})
except ValidationError as error:
    print("rejected:", "custom-actions" in error.message)
"""


@needs_rasa
def test_rasa_checks_action_answers_with_one_compiled_validator() -> None:
    run = run_in_rasa_environment(ACTION_CHECK)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "rejected: True"

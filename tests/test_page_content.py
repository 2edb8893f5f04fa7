"""The pages' own content: their words in every language, sources named in words a resident understands,
and each gemeente's colours checked for contrast by the validator."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from connectors.api.page_language import source_label, words
from tests.conftest import KNOWLEDGE, line_of, replace_in
from wegwijzer.knowledge import load_knowledge
from wegwijzer.knowledge.contrast import contrast
from wegwijzer.knowledge.reader import read_knowledge
from wegwijzer.knowledge.validator import validate
from wegwijzer.plain_language import check_text

KB = load_knowledge(KNOWLEDGE)


def blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", sorted(set(KB.texts) - {"nl"}))
def test_every_page_word_is_there_in_every_language_with_the_same_blanks(lang: str) -> None:
    dutch, own = KB.texts["nl"].page, KB.texts[lang].page
    assert sorted(set(dutch) - set(own)) == []
    assert {k: blanks(v) for k, v in own.items()} == {k: blanks(dutch[k]) for k in own}


def test_the_dutch_page_words_are_plain() -> None:
    sentences = [
        v.format(gemeente="Purmerend", document="Programmadoelen", section="armoede")
        for v in KB.texts["nl"].page.values()
    ]
    hard = [
        (text, issue.problem) for text in sentences if len(text.split()) >= 8 for issue in check_text(text, KB.glossary)
    ]
    assert hard == []


def test_no_internal_words_reach_a_resident() -> None:
    """'in de teksten', 'De tekst uit 2012 geeft geen ...': how the content was made is no answer."""
    said = [t for s in KB.services.values() for t in (*s.summary.values(), *s.contact.how.values())]
    said += [t for lang in KB.texts.values() for t in (*lang.texts.values(), *lang.page.values())]
    internal = ("de teksten", "in de tekst", "de tekst uit", "the texts", "the 2012 text", "the 2017 text")
    assert [t for t in said if any(word in t.lower() for word in internal)] == []


def test_a_source_is_named_in_words_not_as_a_path() -> None:
    page = words(KB, "nl")
    source = {
        "document": "Programmadoelen sociaal domein 2023",
        "section": "Wat gaan we doen en wat willen we hiermee bereiken? > Armoede en schulden",
        "year": 2023,
    }
    assert source_label(source, page) == "Uit: Programmadoelen sociaal domein 2023, over armoede en schulden"
    old = {"document": "Strategische kadernota sociaal domein", "section": "", "year": 2012}
    assert source_label(old, page) == "Uit: Strategische kadernota sociaal domein 2012"
    wmo = {"document": "Programmadoelen sociaal domein 2023", "section": "A > WMO en mantelzorg", "year": 2023}
    assert source_label(wmo, words(KB, "en")) == "From: Programmadoelen sociaal domein 2023, about WMO en mantelzorg"


def test_every_gemeente_has_colours_with_enough_contrast() -> None:
    assert set(KB.themes) == set(KB.gemeenten)
    for theme in KB.themes.values():
        light = theme.tokens["light"]
        assert contrast(light["on-accent"], light["accent"]) >= 4.5


def test_the_validator_rejects_colours_without_contrast_and_an_unknown_gemeente(knowledge_copy: Path) -> None:
    theme = knowledge_copy / "huisstijl" / "purmerend.yaml"
    replace_in(theme, 'on-accent: "#ffffff", band: "#00345f"', 'on-accent: "#6a8fb0", band: "#00345f"')
    (knowledge_copy / "huisstijl" / "haarlem.yaml").write_text(
        theme.read_text(encoding="utf-8").replace("gemeente: purmerend", "gemeente: haarlem"), encoding="utf-8"
    )
    replace_in(knowledge_copy / "huisstijl" / "leiderdorp.yaml", 'link: "#8fd6a7"', 'link: "green"')
    problems = [p.render(knowledge_copy) for p in validate(read_knowledge(knowledge_copy))]
    assert any("purmerend.yaml:5" in p and "te weinig contrast in light: on-accent #6a8fb0" in p for p in problems), (
        problems
    )
    assert any("haarlem.yaml:3" in p and "onbekende gemeente 'haarlem'" in p for p in problems), problems
    assert any("leiderdorp.yaml:6" in p for p in problems), problems


def test_the_gemeente_colours_do_not_make_the_index_or_the_rasa_model_stale(knowledge_copy: Path) -> None:
    from wegwijzer.knowledge.loader import content_hash

    before = content_hash(read_knowledge(knowledge_copy))
    replace_in(knowledge_copy / "huisstijl" / "purmerend.yaml", '"#dbe8f5"', '"#dde9f5"')
    assert content_hash(read_knowledge(knowledge_copy)) == before


# ---- the places said simpler (knowledge/simple) --------------------------------------------------------


def test_the_validator_checks_the_simpler_texts_with_file_and_line(knowledge_copy: Path) -> None:
    simple = knowledge_copy / "simple" / "purmerend.yaml"
    replace_in(simple, "  purmerend-werkom:", "  purmerend-werkloos:")  # a place that does not exist
    replace_in(simple, "  purmerend-cjg:", "  heerhugowaard-zorgloket:")  # another gemeente's place
    # a phone number the place does not have: a new fact
    replace_in(simple, "Vraag uw huisarts ernaar.", "Vraag uw huisarts ernaar. Of bel (0299) 411 411.")
    texts = knowledge_copy / "texts" / "nl.yaml"
    replace_in(
        texts,
        '  handoff: "Wilt u met iemand van de gemeente praten? Dat kan altijd. {contact}"',
        '  handoff: "Wilt u met iemand van de gemeente praten? Dat kan altijd."',
    )  # the contact left out
    replace_in(texts, '  goodbye: "Dag! Succes. Hebt', '  tot_ziens: "Dag! Succes. Hebt')  # no such text
    problems = [p.render(knowledge_copy) for p in validate(read_knowledge(knowledge_copy))]

    def at(path: Path, needle: str, below: int = 0) -> str:  # a place's problem is on the line under its id
        return f"{path.name}:{line_of(path, needle) + below}:"

    unknown, foreign = at(simple, "purmerend-werkloos:", below=1), at(simple, "heerhugowaard-zorgloket:", below=1)
    assert any(unknown in p and "onbekende plek 'purmerend-werkloos'" in p for p in problems), problems
    assert any(foreign in p and "hoort bij services/heerhugowaard" in p for p in problems), problems
    assert any(at(simple, "411 411") in p and "andere telefoonnummers" in p for p in problems), problems
    assert any(at(texts, '  handoff: "Wilt u') in p and "dezelfde invulplekken" in p for p in problems), problems
    assert any(at(texts, "tot_ziens") in p and "hoort bij geen tekst" in p for p in problems), problems


def test_the_simpler_texts_do_not_make_the_index_or_the_rasa_model_stale(knowledge_copy: Path) -> None:
    """Writing or changing an A2 text asks for no index rebuild and no Rasa retraining."""
    from wegwijzer.knowledge.loader import content_hash
    from wegwijzer.rasa_build import BotLayout
    from wegwijzer.rasa_build.freshness import source_hash

    layout = BotLayout.default()
    before = content_hash(read_knowledge(knowledge_copy))
    rasa_before = source_hash(layout, knowledge_copy)
    replace_in(knowledge_copy / "simple" / "purmerend.yaml", "Kom op tijd.", "Kom op tijd, dat helpt.")
    replace_in(
        knowledge_copy / "texts" / "nl.yaml", "Dag! Succes. Hebt u weer een vraag?", "Dag! Hebt u weer een vraag?"
    )
    schema = knowledge_copy / "schema" / "simple.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace("said simpler", "said simpler."), encoding="utf-8")
    assert content_hash(read_knowledge(knowledge_copy)) == before
    assert source_hash(layout, knowledge_copy) == rasa_before

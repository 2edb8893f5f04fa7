"""Exact words count by their stem, and a glossary answers "what does the framework mean by X?"."""

from __future__ import annotations

import pytest
import yaml

from index.chunking import document_passages, is_definition_list
from index.lexical import Bm25, stem, tokenize
from index.question import DefinitionQuestion, quoted_phrases
from tests.conftest import KNOWLEDGE
from wegwijzer.knowledge import load_knowledge
from wegwijzer.knowledge.text import fold
from wegwijzer.search_loader import open_searcher

HEERHUGOWAARD = "heerhugowaard-kadernota-sociaal-domein-2012"


def test_dutch_word_forms_share_their_stem() -> None:
    assert tokenize("droom")[0] == tokenize("dromen")[0]
    assert tokenize("schulden")[0] == tokenize("schuld")[0]
    assert tokenize("eigen kracht")[-1] == f"{stem('eigen')}_{stem('kracht')}"  # a pair of words counts too


def test_bm25_finds_the_other_form_of_a_word() -> None:
    documents = ["We dromen van een dorp waarin iedereen meedoet.", "De gemeente helpt bij schulden en armoede."]
    scores = Bm25(documents).scores("wat is de droom van het dorp")
    assert scores[0] > 0 and scores[1] == 0


def definitions() -> DefinitionQuestion:
    patterns = []
    for lang in ("nl", "en"):
        texts = yaml.safe_load((KNOWLEDGE / "texts" / f"{lang}.yaml").read_text(encoding="utf-8"))
        patterns += texts["definition_questions"]
    return DefinitionQuestion(patterns)


def test_a_question_for_a_meaning_is_recognised() -> None:
    asks = definitions()
    assert asks.asks_meaning("Hoe definieert de kadernota het begrip eigen kracht?")
    assert asks.asks_meaning("wat verstaat Heerhugowaard onder samenredzaamheid")
    assert asks.asks_meaning("What does the framework mean by 'eigen kracht'?")
    assert not asks.asks_meaning("ik kan de huur niet meer betalen")
    assert not asks.asks_meaning("waar kan ik terecht met schulden?")


def test_the_term_counts_only_as_whole_words() -> None:
    asks = definitions()
    assert asks.names("wat betekent het begrip eigen kracht?", "Eigen kracht")
    assert not asks.names("wat betekent kracht van burgers?", "Eigen kracht")
    assert not asks.names("wat is eigen krachtig?", "Eigen kracht")


def test_a_glossary_is_cut_into_one_passage_per_definition() -> None:
    document = load_knowledge(KNOWLEDGE).documents[HEERHUGOWAARD]
    glossary = [s for s in document.sections if is_definition_list(s)]
    assert [s.title for s in glossary] == ["Bijlage 2: verklarende woordenlijst"]
    passages = [p for p in document_passages(document) if p.section == glossary[0].id]
    assert len(passages) == len(glossary[0].paragraphs)
    eigen_kracht = next(p for p in passages if p.term == "Eigen kracht")
    assert "eigen hulpbronnen" in eigen_kracht.text
    assert eigen_kracht.text.startswith("Bijlage 2: verklarende woordenlijst\n")  # the heading stays, for citing
    ordinary = [p for p in document_passages(document) if p.section != glossary[0].id]
    assert ordinary and all(p.term is None for p in ordinary)


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Wat verstaat de kadernota onder samenredzaamheid?", "Samenredzaamheid"),
        ("hoe omschrijft Heerhugowaard het begrip ontschotting", "Ontschotting"),
        ("What does the framework mean by 'maatschappelijke participatie'?", "Maatschappelijke participatie"),
    ],
)
def test_the_definition_comes_first_for_a_meaning_question(question: str, term: str) -> None:
    result = open_searcher().search(question, "heerhugowaard", role="professional")
    assert result.passages[0].passage.term == term


def test_a_term_named_without_asking_its_meaning_gets_no_glossary_boost() -> None:
    result = open_searcher().search("ik wil meer samenredzaamheid in mijn straat", "heerhugowaard")
    assert result.passages[0].passage.term is None


def test_quoted_phrases_are_found_in_every_quote_style() -> None:
    assert quoted_phrases("wat bedoelt de gemeente met 'van buiten naar binnen'?") == ["van buiten naar binnen"]
    assert quoted_phrases('wat is "Eigen  Kracht" volgens de nota') == ["eigen kracht"]
    assert quoted_phrases("Co gmina rozumie przez „własne siły”?") == ["własne siły"]
    assert quoted_phrases("mijn moeder's huis en vader's auto") == []  # apostrophes are no quotes
    assert quoted_phrases("ik zeg 'ja' tegen hulp") == []  # one word: left to the other signals


def test_a_passage_holding_the_quoted_phrase_comes_first() -> None:
    searcher = open_searcher()

    def rank_of_phrase(question: str) -> int:
        passages = searcher.search(question, "purmerend", k=10, role="professional").passages
        return next((n for n, hit in enumerate(passages, 1) if "van buiten naar binnen" in fold(hit.passage.text)), 99)

    assert rank_of_phrase("wat bedoelt purmerend met 'van buiten naar binnen'?") == 1
    assert rank_of_phrase("wat bedoelt purmerend met van buiten naar binnen?") > 1  # without quotes: no lift


def test_a_name_with_an_apostrophe_is_one_word() -> None:
    assert stem("goud") in tokenize("de regiovisie G'oud")  # not "g" and "oud"
    assert stem("goud") in tokenize("de regiovisie G’oud")
    scores = Bm25(["We nemen deel aan de regiovisie G'oud.", "Ouderen wonen langer thuis."]).scores("wat is G'oud")
    assert scores[0] > 0 and scores[1] == 0

"""Multi-turn conversations through the real stack (Rasa REST + our action server), and the runner itself.

The conversations (tests/data/conversations) and the realistic messages (tests/data/realistic) were
written before the routing work of issue 14 and are held out: the router is never changed to make
one of their cases pass. The floors below are today's level, measured before that work (docs/dialogue.md,
"Real residents' messages: before the routing work"); they guard against a fall, they are not the
issue's targets (≥ 95 % of follow-up turns, ≥ 90 % right first reply, ≥ 97 % within one
clarification). Raise them as the routing work lands.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from wegwijzer.evaluation.conversations import (
    Conversation,
    Step,
    load_conversations,
    run_conversation,
    summarise,
)
from wegwijzer.evaluation.conversations import evaluate as evaluate_conversations
from wegwijzer.evaluation.dataset import Case, EvalSetError, load_cases
from wegwijzer.evaluation.dialogue import choice_passes
from wegwijzer.evaluation.dialogue import evaluate as evaluate_dialogue
from wegwijzer.paths import REPO_ROOT

DATA = REPO_ROOT / "tests" / "data"

# Today's level, as shares of turns or cases, a little below what session 8's routing work measured
# (docs/dialogue.md): conversations 35/49 first turns and 78/88 follow-ups right; realistic messages
# 142/209 right first reply, 145/209 within one clarification. End of session 7 (before the routing
# work) it was 33/49, 68/88, 122/209 and 127/209. These sets are held out: never tuned on.
CONVERSATION_FLOORS = {"first_turn_pass": 0.70, "follow_up_pass": 0.87}
REALISTIC_FLOORS = {"answer_pass": 0.66, "within_one_clarification": 0.68}


def _url(stack) -> str:  # type: ignore[no-untyped-def]
    return f"http://127.0.0.1:{stack.ports.rasa}/webhooks/rest/webhook"


def test_the_sets_load_and_every_turn_expects_something() -> None:
    conversations = load_conversations(DATA / "conversations")
    assert len(conversations) >= 40
    assert {c.lang for c in conversations} >= {"nl", "en", "ar", "tr", "uk", "pl"}
    assert all(step.expect_any for c in conversations for step in c.turns)
    assert len(load_cases(DATA / "realistic")) >= 150


def test_a_turn_without_expectation_is_refused_with_where_it_is(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- id: x1\n  gemeente: purmerend\n  role: inwoner\n  lang: nl\n"
        "  turns:\n    - say: hallo\n      expect_any: []\n      expect_not: []\n",
        encoding="utf-8",
    )
    with pytest.raises(EvalSetError, match=r"bad\.yaml: gesprek 1 \(x1\), beurt 1: 'expect_any' is leeg"):
        load_conversations(bad)


@pytest.mark.slow
def test_the_runner_fails_the_turns_that_should_fail(stack) -> None:  # type: ignore[no-untyped-def]
    """One session: the place, then its contact. The second turn forbids the place's name, which the
    contact reply names, and the third expects words the assistant never says: both must fail, and
    the summary must count them as follow-ups."""
    conversation = Conversation(
        "probe",
        "purmerend",
        "inwoner",
        "nl",
        (
            Step("ik heb schulden en weet niet waar ik moet beginnen", ("Schulddienstverlening",), ()),
            Step("hoe bereik ik ze?", ("452 452",), ("Schulddienstverlening",)),
            Step("en wat kost dat?", ("dit zegt de assistent nooit",), ()),
        ),
    )
    turns = run_conversation(conversation, _url(stack))
    assert [t.passed for t in turns] == [True, False, False], [t.reply for t in turns]
    # The second reply is the contact of the same place: the session kept the thread.
    assert "452 452" in turns[1].reply
    summary = summarise(turns)
    assert summary["first_turn_pass"] == 1.0 and summary["follow_up_pass"] == 0.0
    assert summary["conversation_pass"] == 0.0
    assert [(f["id"], f["turn"]) for f in summary["failures"]] == [("probe", 2), ("probe", 3)]


@pytest.mark.slow
def test_conversations_through_the_stack_hold_todays_level(stack) -> None:  # type: ignore[no-untyped-def]
    """A guard floor at today's level, not issue 14's target (≥ 95 % of follow-up turns right)."""
    summary = evaluate_conversations(load_conversations(DATA / "conversations"), _url(stack))
    print(json.dumps({k: summary[k] for k in ("turns", "first_turn_pass", "follow_up_pass")}, indent=2))
    for name, floor in CONVERSATION_FLOORS.items():
        assert summary[name] >= floor, (name, summary[name], summary["failures"])


@pytest.mark.slow
def test_realistic_messages_through_the_stack_hold_todays_level(stack) -> None:  # type: ignore[no-untyped-def]
    """A guard floor at today's level, not issue 14's target (≥ 90 % right first reply, ≥ 97 % within
    one clarification, every gemeente ≥ 85 %)."""
    summary = evaluate_dialogue(load_cases(DATA / "realistic"), _url(stack))
    print(json.dumps({k: summary[k] for k in ("cases", "answer_pass", "within_one_clarification")}, indent=2))
    for name, floor in REALISTIC_FLOORS.items():
        assert summary[name] >= floor, (name, summary[name], summary["failures"])


@pytest.mark.slow
def test_within_one_clarification_follows_the_chosen_place(stack) -> None:  # type: ignore[no-untyped-def]
    """The choice of a clarifying question is scored by the reply to that choice, in the same session."""
    case = Case(
        "probe", "purmerend", "inwoner", "nl", "route", "jeugd", "hulp bij opvoeden", ("Jeugd en Gezin",), (), ()
    )
    choose_cjg = '/choose{"place": "purmerend-cjg"}'
    assert choice_passes(case, choose_cjg, _url(stack))
    forbids_it = replace(case, expect_not=("Centrum voor Jeugd en Gezin",))
    assert not choice_passes(forbids_it, choose_cjg, _url(stack))

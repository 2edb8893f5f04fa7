"""`wegwijzer eval conversations`: multi-turn conversations said turn by turn in one session.

The sets (tests/data/conversations/*.yaml) are lists of conversations
`{id, gemeente, role, lang, turns: [{say, expect_any, expect_not}]}`. What their writers meant, from
the files' headers, and how this runner applies it:

- Every turn is the next message of the same conversation: one Rasa sender id for all turns, the
  conversation's gemeente, role and lang as channel metadata on every turn (as `wegwijzer chat` and
  the website send them). A message such as "ik woon trouwens in purmerend" must therefore switch
  the gemeente itself; the metadata does not do it.
- A turn's reply is every text the assistant sent for that message, joined. It passes when it
  contains at least one `expect_any` string and none of `expect_not`: the dev set's rule
  (shared/eval/README.md), case-insensitive substrings, so "schuld" matches "schuldhulp". An empty
  `expect_not` forbids nothing. Button titles are not part of the reply (a clarifying question names
  its places in its text).
- Where the content holds no fact (a cost, an address), the writers expect an honest reply with the
  way to find out ("staat niet", the gemeente's site or number) and never an invented figure; that
  is in the turns' `expect_any` / `expect_not` (e.g. "€"), so no special rule is needed here.
- The turns are said as written whatever the assistant answered before, as a resident who follows
  their own thread would: a failed turn does not end the conversation, and every follow-up is
  judged on its own reply.
- A conversation passes when all its turns pass. Figures are given per turn kind (the opening
  message vs the follow-ups, which is what issue 14 asks about), per language, per gemeente and per
  role, each over turns.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from wegwijzer.evaluation.dataset import EvalSetError
from wegwijzer.evaluation.rasa_rest import send
from wegwijzer.evaluation.report import breakdown, expectation_lines, rate, table
from wegwijzer.evaluation.scoring import answer_passes

FIRST, FOLLOW_UP = "first", "follow-up"
FIELDS = ("id", "gemeente", "role", "lang", "turns")


@dataclass(frozen=True)
class Step:
    say: str
    expect_any: tuple[str, ...]
    expect_not: tuple[str, ...]


@dataclass(frozen=True)
class Conversation:
    id: str
    gemeente: str
    role: str
    lang: str
    turns: tuple[Step, ...]


@dataclass(frozen=True)
class JudgedTurn:
    conversation: Conversation
    number: int  # 1-based
    step: Step
    reply: str
    passed: bool

    @property
    def kind(self) -> str:
        return FIRST if self.number == 1 else FOLLOW_UP


def _strings(value: object, where: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EvalSetError(f"{where}: '{field}' moet een lijst van teksten zijn")
    return tuple(value)


def _conversation(raw: object, where: str) -> Conversation:
    if not isinstance(raw, dict):
        raise EvalSetError(f"{where}: verwacht een gesprek met {', '.join(FIELDS)}")
    missing = [key for key in FIELDS if key not in raw]
    if missing:
        raise EvalSetError(f"{where}: mist veld(en): {', '.join(missing)}")
    where = f"{where} ({raw['id']})"
    turns = raw["turns"]
    if not isinstance(turns, list) or not turns:
        raise EvalSetError(f"{where}: 'turns' moet een niet-lege lijst zijn")
    steps = []
    for n, turn in enumerate(turns, start=1):
        at = f"{where}, beurt {n}"
        if not isinstance(turn, dict) or not isinstance(turn.get("say"), str) or not turn["say"].strip():
            raise EvalSetError(f"{at}: mist 'say'")
        expect_any = _strings(turn.get("expect_any"), at, "expect_any")
        if not expect_any:
            # A turn that expects nothing would always pass; that is no test.
            raise EvalSetError(f"{at}: 'expect_any' is leeg")
        steps.append(Step(turn["say"], expect_any, _strings(turn.get("expect_not"), at, "expect_not")))
    return Conversation(str(raw["id"]), str(raw["gemeente"]), str(raw["role"]), str(raw["lang"]), tuple(steps))


def load_conversations(path: Path) -> list[Conversation]:
    """A file, or a folder of files, each a YAML list of conversations."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise EvalSetError(f"Gesprekkenset niet gevonden: {path}")
    conversations: list[Conversation] = []
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise EvalSetError(f"{file}: geen geldige YAML ({error})") from error
        if not isinstance(data, list):
            raise EvalSetError(f"{file}: verwacht een YAML-lijst van gesprekken")
        conversations += [_conversation(raw, f"{file}: gesprek {n}") for n, raw in enumerate(data, start=1)]
    seen: set[str] = set()
    for conversation in conversations:
        if conversation.id in seen:
            raise EvalSetError(f"{path}: gesprek '{conversation.id}' komt twee keer voor")
        seen.add(conversation.id)
    return conversations


def run_conversation(conversation: Conversation, url: str | None) -> list[JudgedTurn]:
    sender = f"eval-{conversation.id}-{uuid.uuid4().hex[:8]}"
    metadata = {"gemeente": conversation.gemeente, "role": conversation.role, "lang": conversation.lang}
    judged = []
    for number, step in enumerate(conversation.turns, start=1):
        reply = send(step.say, sender, metadata, url).text
        passed = answer_passes(reply, step.expect_any, step.expect_not)
        judged.append(JudgedTurn(conversation, number, step, reply, passed))
    return judged


def summarise(turns: list[JudgedTurn]) -> dict[str, Any]:
    by_conversation: dict[str, list[JudgedTurn]] = {}
    for turn in turns:
        by_conversation.setdefault(turn.conversation.id, []).append(turn)
    facets = {
        "turn": lambda t: t.kind,
        "lang": lambda t: t.conversation.lang,
        "gemeente": lambda t: t.conversation.gemeente,
        "role": lambda t: t.conversation.role,
    }
    return {
        "conversations": len(by_conversation),
        "turns": len(turns),
        "conversation_pass": rate([all(t.passed for t in ts) for ts in by_conversation.values()]),
        "turn_pass": rate([t.passed for t in turns]),
        "first_turn_pass": rate([t.passed for t in turns if t.kind == FIRST]),
        "follow_up_pass": rate([t.passed for t in turns if t.kind == FOLLOW_UP]),
        "by": {name: breakdown(turns, facet, lambda t: float(t.passed)) for name, facet in facets.items()},
        "per_conversation": {
            cid: {"passed": sum(t.passed for t in ts), "turns": len(ts)} for cid, ts in by_conversation.items()
        },
        "failures": [
            {
                "id": t.conversation.id,
                "turn": t.number,
                "kind": t.kind,
                "gemeente": t.conversation.gemeente,
                "lang": t.conversation.lang,
                "say": t.step.say,
                "expect_any": list(t.step.expect_any),
                "expect_not": list(t.step.expect_not),
                "reply": t.reply,
            }
            for t in turns
            if not t.passed
        ],
    }


def evaluate(conversations: list[Conversation], url: str | None) -> dict[str, Any]:
    return summarise([turn for c in conversations for turn in run_conversation(c, url)])


def render(summary: dict[str, Any]) -> str:
    lines = [
        f"Gesprekken: {summary['conversations']} gesprekken, {summary['turns']} beurten",
        f"  hele gesprek goed       {summary['conversation_pass']:.3f}",
        f"  beurten goed            {summary['turn_pass']:.3f}",
        f"  eerste beurt goed       {summary['first_turn_pass']:.3f}",
        f"  vervolgbeurten goed     {summary['follow_up_pass']:.3f}",
    ]
    for facet, groups in summary["by"].items():
        lines += ["", table(f"beurten per {facet}", groups)]
    lines += ["", "Per gesprek (goede beurten / beurten):"]
    lines += [f"  {cid:<8} {c['passed']}/{c['turns']}" for cid, c in summary["per_conversation"].items()]
    if summary["failures"]:
        lines += ["", "Foute beurten:"]
        for f in summary["failures"]:
            lines.append(f"  {f['id']} beurt {f['turn']} [{f['gemeente']}, {f['lang']}] {f['say'][:90]}")
            lines += expectation_lines(f)
    return "\n".join(lines)

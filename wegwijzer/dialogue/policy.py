"""The assistant: from one message and the conversation so far to the replies.

Order of every turn:
1. the crisis check on the raw message (always, whatever the intent or the state);
2. context from the channel (gemeente, role, language) and from the message ("ik woon in ...");
3. the intent: small talk, a person, out of scope, follow-ups, or a help question;
4. a help question is answered with the most likely place(s), or one clarifying question.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from index.lexical import content_words
from index.question import POLICY_TOPIC
from index.search import Searcher, SearchResult
from wegwijzer.dialogue.crisis import NO_FINDING, CrisisDetector, CrisisFinding
from wegwijzer.dialogue.crisis.runtime import crisis_detector_for
from wegwijzer.dialogue.language import detect_language
from wegwijzer.dialogue.messages import Button, Reply, Source
from wegwijzer.dialogue.phrasebook import FALLBACK_LANGUAGE, Phrasebook
from wegwijzer.dialogue.places import PlaceChoice, PlaceWriter, passage_source, rank_places
from wegwijzer.dialogue.state import ROLES, State, Turn
from wegwijzer.knowledge import KnowledgeBase, Service
from wegwijzer.privacy import PLACEHOLDERS
from wegwijzer.text import fold

SMALLTALK = {"greet", "thanks", "goodbye", "bot_challenge", "restart_chat"}
SHORT_MESSAGE_WORDS = 6  # longer messages that open with "hallo" are questions, not small talk
LANGUAGE_SWITCH_WORDS = 4  # a message this long in another language switches the conversation to it
MAX_MESSAGE_CHARS = 2000
# The placeholders wegwijzer.privacy puts where it removed a personal detail.
_REDACTED = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
_PAYLOAD = re.compile(r"/[a-z_]+(\{.*\})?", re.DOTALL)  # what a button sends: /intent{"entity": "value"}
MAX_EXPLAINED_TERMS = 2  # words explained from the glossary in one answer
PART_CONTENT_WORDS = 3  # words beyond the stopwords a part of a message needs to count as a problem of its own


def _patterns(knowledge: KnowledgeBase, kind: str) -> list[re.Pattern[str]]:
    """The regular expressions of one kind (handoff, vague, ...) from every language's texts file."""
    return [
        re.compile(pattern, re.IGNORECASE) for texts in knowledge.texts.values() for pattern in getattr(texts, kind)
    ]


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.30  # P(place) at which a place is named without asking
    clarify_floor: float = 0.08  # below this, no place is offered at all: a person helps further
    second_problem: float = 0.45  # P(place) a second part of the message needs for a place of its own
    out_of_scope_override: float = 0.6  # a help place this likely wins over an unsure out-of-scope intent
    out_of_scope_sure: float = 0.8  # an out-of-scope intent this confident is followed
    off_topic: float = 0.5  # below this, a place must share a likely topic to be named
    also_possible: float = 0.12  # another place this likely is mentioned as "it may also be about"
    follow_up_words: int = 6


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    crisis: bool = False
    # what kind of turn this was, for the content team's records: answered, clarified, not_sure,
    # out_of_scope, handoff, smalltalk, followup, feedback, ask_gemeente, fallback, invalid
    kind: str = "answered"
    places: list[str] = field(default_factory=list)

    def add(self, text: str, buttons: tuple[Button, ...] = ()) -> None:
        if text:
            self.replies.append(Reply(text, buttons))


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


class Assistant:
    def __init__(
        self,
        knowledge: KnowledgeBase,
        searcher: Searcher | None,
        callback_form_url: str | None = None,
        thresholds: Thresholds | None = None,
        crisis: CrisisDetector | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.searcher = searcher
        self.callback_form_url = callback_form_url
        self.thresholds = thresholds or Thresholds()
        self.phrasebook = Phrasebook(knowledge)
        self.say = self.phrasebook.say
        # The classifier with the searcher's encoders; without a searcher the patterns alone.
        self.crisis = crisis or crisis_detector_for(knowledge, searcher)
        self.places = PlaceWriter(knowledge, self.phrasebook)
        self._person_requests = _patterns(knowledge, "handoff")
        self._other_matters = _patterns(knowledge, "other_matters")
        self._vague = _patterns(knowledge, "vague")
        self._lines = {line for signal in knowledge.crisis for line in signal.lines}  # offered in a crisis only
        self._gemeente_names = sorted(
            ((fold(name), g.id) for g in knowledge.gemeenten.values() for name in (g.id, g.name, *g.aliases)),
            key=lambda pair: -len(pair[0]),
        )

    # ---- context -------------------------------------------------------------------------

    def gemeente_in(self, text: str) -> str | None:
        folded = fold(text)
        for name, gemeente in self._gemeente_names:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
                return gemeente
        return None

    def _context(self, turn: Turn, state: State) -> tuple[str | None, bool]:
        """Apply metadata and the message to the state; returns (a gemeente the user named, unknown?)."""
        meta = turn.metadata or {}
        if meta.get("role") in ROLES:
            state.role = meta["role"]
        detected = None if turn.text.startswith("/") else detect_language(turn.text, self.knowledge)
        if meta.get("lang") in self.knowledge.texts:
            state.lang = meta["lang"]
        # Someone who writes a whole sentence in another language gets answers in that language.
        if detected and (not state.lang or len(turn.text.split()) >= LANGUAGE_SWITCH_WORDS):
            state.lang = detected
        if meta.get("gemeente") in self.knowledge.gemeenten and not state.gemeente:
            state.gemeente = meta["gemeente"]
        named = turn.entity("gemeente")
        chosen = None
        if named:
            chosen = self.gemeente_in(named) or self._gemeente_by_prefix(named)
            if chosen is None:
                # Only a request to switch to a gemeente we do not know gets that answer; a name in
                # another question ("de Haarlemse aanpak") is no request.
                return None, turn.intent == "change_gemeente"
        elif turn.intent == "change_gemeente" or self._says_lives_in(turn):
            chosen = self.gemeente_in(turn.text)
        if chosen:
            state.gemeente = chosen
        return chosen, False

    def _gemeente_by_prefix(self, named: str) -> str | None:
        """'Heerhugowaardse' or 'Purmerendse' name their gemeente too."""
        folded = fold(named).strip()
        if folded in self.knowledge.gemeenten:
            return folded
        return next((g for name, g in self._gemeente_names if len(name) >= 5 and folded.startswith(name)), None)

    @staticmethod
    def _says_lives_in(turn: Turn) -> bool:
        return bool(re.search(r"\b(woon|wonen|woont|live|living)\b", fold(turn.text)))

    def _contact(self, state: State) -> str:
        return self.phrasebook.gemeente_contact(self.knowledge.gemeenten.get(state.gemeente or ""), state.lang)

    def _gemeente_name(self, state: State) -> str:
        gemeente = self.knowledge.gemeenten.get(state.gemeente or "")
        return gemeente.name if gemeente else ""

    def _gemeente_buttons(self) -> tuple[Button, ...]:
        return tuple(
            Button(g.name, payload("change_gemeente", gemeente=g.id)) for g in self.knowledge.gemeenten.values()
        )

    # ---- the turn ------------------------------------------------------------------------

    def respond(self, turn: Turn, state: State) -> Outcome:
        out = Outcome()
        text = turn.text.strip()
        finding = self._crisis_check(text)
        chosen, unknown = self._context(turn, state)
        lang = state.lang
        out.crisis = finding.clear
        out.replies += self.crisis.replies(finding, lang)  # clear: the lines; possible: one line with the number
        if not text or len(text) > MAX_MESSAGE_CHARS:
            out.kind = "invalid"
            out.add(self.say("message_empty" if not text else "message_too_long", lang))
            return out
        if _REDACTED.search(text) and not state.privacy_noted:
            state.privacy_noted = True
            out.add(self.say("privacy_notice", lang))
        out = self._route(turn, text, state, out, chosen, unknown, finding)
        if out.crisis and out.kind != "answered":
            out.kind = "crisis"
        return out

    def _crisis_check(self, text: str) -> CrisisFinding:
        """Every message, before anything else; a payload of a button is no message of the user's."""
        if not text or _PAYLOAD.fullmatch(text):
            return NO_FINDING
        if len(text) <= MAX_MESSAGE_CHARS:
            return self.crisis.check(text)
        # Too long to answer is not too long to check: the patterns read it all, the classifier the end.
        return self.crisis.pattern_finding(text) or self.crisis.check(text[-MAX_MESSAGE_CHARS:])

    def _route(
        self,
        turn: Turn,
        text: str,
        state: State,
        out: Outcome,
        chosen: str | None,
        unknown: bool,
        finding: CrisisFinding,
    ) -> Outcome:
        lang = state.lang
        intent = turn.intent or ""
        if unknown:
            names = ", ".join(g.name for g in self.knowledge.gemeenten.values())
            out.add(self.say("unknown_gemeente", lang, gemeenten=names), self._gemeente_buttons())
            out.kind = "ask_gemeente"
            return out
        if chosen and (intent == "change_gemeente" or text.startswith("/")):
            return self._gemeente_chosen(state, out)
        if intent == "restart_chat":
            state.last_places, state.last_question, state.last_topic, state.pending_question = [], None, None, None
            out.add(self.say("restart", lang))
            out.kind = "smalltalk"
            return out
        short = len(text.split()) <= SHORT_MESSAGE_WORDS
        if intent in SMALLTALK and (short or text.startswith("/")):
            return self._smalltalk(intent, state, out)
        if intent == "human_handoff" or any(p.search(text) for p in self._person_requests):
            return self._handoff(state, out)
        if intent in ("feedback_helped", "feedback_not_helped"):
            return self._feedback(intent, state, out)
        if intent == "affirm" and state.offered_callback:
            return self._callback(state, out)
        if intent in ("affirm", "deny") and short:
            state.offered_callback = False
            out.add(self.say(intent, lang))
            out.kind = "smalltalk"
            return out
        if intent in ("ask_contact", "ask_cost", "ask_next") and state.last_places and short:
            return self._follow_up(intent, state, out)
        if intent == "choose":
            return self._choose(turn, state, out)
        if not state.gemeente:
            return self._ask_gemeente(text, state, out)
        return self._help(text, intent, turn.confidence, state, out, finding)

    # ---- kinds of turn -------------------------------------------------------------------

    def _ask_gemeente(self, text: str, state: State, out: Outcome) -> Outcome:
        if not text.startswith("/"):
            state.pending_question = text
        if not state.asked_gemeente:
            out.add(self.say("opening_no_gemeente", state.lang))
        state.asked_gemeente = True
        out.add(self.say("ask_gemeente", state.lang), self._gemeente_buttons())
        out.kind = "ask_gemeente"
        return out

    def _gemeente_chosen(self, state: State, out: Outcome) -> Outcome:
        out.add(self.say("gemeente_set", state.lang, gemeente=self._gemeente_name(state)))
        question = state.pending_question or state.last_question
        state.pending_question = None
        if question:
            return self._help(question, "", 0.0, state, out)
        out.add(self.say("ask_question", state.lang))
        out.kind = "smalltalk"
        return out

    def _smalltalk(self, intent: str, state: State, out: Outcome) -> Outcome:
        lang, contact = state.lang, self._contact(state)
        out.kind = "smalltalk"
        if intent == "greet":
            if state.gemeente:
                out.add(self.say("opening", lang, gemeente=self._gemeente_name(state)))
                out.add(self.say("ask_question", lang))
            else:
                out.add(self.say("opening_no_gemeente", lang))
                out.add(self.say("ask_gemeente", lang), self._gemeente_buttons())
                state.asked_gemeente = True
        elif intent == "bot_challenge":
            out.add(self.say("bot_challenge", lang, contact=contact))
        elif intent in ("thanks", "goodbye"):
            out.add(self.say(intent, lang))
        else:
            out.add(self.say("greet", lang))
        return out

    def _handoff(self, state: State, out: Outcome) -> Outcome:
        lang = state.lang
        out.kind = "handoff"
        out.add(self.say("handoff", lang, contact=self._contact(state)))
        if self.callback_form_url:
            state.offered_callback = True
            buttons = (
                Button(self.say("button_callback", lang), payload("affirm")),
                Button(self.say("button_no_thanks", lang), payload("deny")),
            )
            out.add(self.say("handoff_offer", lang), buttons)
        return out

    def _callback(self, state: State, out: Outcome) -> Outcome:
        state.offered_callback = False
        out.kind = "handoff"
        if not self.callback_form_url:
            out.add(self.say("handoff_no_form", state.lang, contact=self._contact(state)))
            return out
        url = self.callback_form_url.format(gemeente=state.gemeente or "", lang=state.lang or "nl")
        out.add(self.say("handoff_form", state.lang, form_url=url))
        return out

    def _feedback(self, intent: str, state: State, out: Outcome) -> Outcome:
        state.feedback = "helped" if intent == "feedback_helped" else "not_helped"
        out.kind = "feedback"
        if intent == "feedback_helped":
            out.add(self.say("feedback_thanks", state.lang))
        else:
            out.add(self.say("feedback_sorry", state.lang, contact=self._contact(state)))
            if self.callback_form_url:
                state.offered_callback = True
                out.add(
                    self.say("handoff_offer", state.lang),
                    (
                        Button(self.say("button_callback", state.lang), payload("affirm")),
                        Button(self.say("button_no_thanks", state.lang), payload("deny")),
                    ),
                )
        return out

    def _follow_up(self, intent: str, state: State, out: Outcome) -> Outcome:
        service = self.knowledge.services.get(state.last_places[0])
        out.kind = "followup"
        if service is None:
            out.add(self.say("no_place_yet", state.lang))
            return out
        how = self.places.how_to_reach(service, state.gemeente or "", state.lang or "nl")
        if intent == "ask_contact":
            out.add(self.say("how_to_reach", state.lang, place=service.name, how=how))
        elif intent == "ask_cost":
            out.add(self.say("cost", state.lang, place=service.name, how=how))
        else:
            out.add(self.say("next_steps", state.lang))
        return out

    def _choose(self, turn: Turn, state: State, out: Outcome) -> Outcome:
        service = self.knowledge.services.get(turn.entity("place") or "")
        if service is None:
            out.add(self.say("no_place_yet", state.lang))
            return out
        state.last_places = [service.id]
        out.places = [service.id]
        out.replies.append(self.places.place_reply(service, state.gemeente or "", state.lang or "nl"))
        self._feedback_question(state, out)
        return out

    # ---- help questions ------------------------------------------------------------------

    def _search(self, text: str, state: State) -> tuple[SearchResult, list[PlaceChoice]]:
        """The search, and the places it makes likely; the national lines only where crisis.yaml lets
        them be a place (they reach a person in danger through the crisis tiers, not as a place)."""
        assert self.searcher is not None
        result = self.searcher.search(text, state.gemeente or "", k=5, services=8, role=state.role)
        topic = result.topics[0].topic if result.topics else None
        result.services = [
            hit for hit in result.services if self.crisis.may_name(hit.service.id, state.role, topic, NO_FINDING)
        ]
        return result, rank_places(result, self.searcher.weights)

    def _help(
        self,
        text: str,
        intent: str,
        confidence: float,
        state: State,
        out: Outcome,
        finding: CrisisFinding = NO_FINDING,
    ) -> Outcome:
        lang, gemeente = state.lang or "nl", state.gemeente or ""
        if self.searcher is None:
            out.add(self.say("unavailable", lang, gemeente=self._gemeente_name(state), contact=self._contact(state)))
            out.kind = "fallback"
            return out
        if not state.last_question and self._is_vague(text):
            out.add(self.say("ask_question", lang))
            out.kind = "clarified"
            return out
        for explained in self._glossary_explanations(text, lang):
            out.add(explained)
        query = text
        if (
            state.last_question
            and len(text.split()) <= self.thresholds.follow_up_words
            and intent not in ("out_of_scope",)
        ):
            query = f"{state.last_question} {query}"
        result, places = self._search(query, state)
        top = places[0] if places else None
        sure_out_of_scope = confidence >= self.thresholds.out_of_scope_sure
        other_matter = not finding.clear and self._names_other_matter(text)
        # Besides a passport or a permit, a help question needs words of its own and a place that fits it.
        help_place_fits = (
            top is not None
            and top.probability >= self.thresholds.answer
            and not self._off_topic(result, top)
            and (not other_matter or len(content_words(self._without_other_matters(text))) >= PART_CONTENT_WORDS)
        )
        if (
            intent == "out_of_scope"
            and (sure_out_of_scope or top is None or top.probability < self.thresholds.out_of_scope_override)
        ) or (other_matter and not help_place_fits):
            out.add(self.say("out_of_scope", lang, gemeente=self._gemeente_name(state), contact=self._contact(state)))
            out.kind = "out_of_scope"
            return out
        if other_matter:  # and a help question: the gemeente for the one, a place for the other
            out.add(self.say("other_matter", lang, gemeente=self._gemeente_name(state), contact=self._contact(state)))
        state.last_question = query
        policy_question = bool(result.topics) and result.topics[0].topic == POLICY_TOPIC
        if policy_question and (state.role != "inwoner" or intent == f"hulp_{POLICY_TOPIC}"):
            self._passages(result, state, out, show=True, count=2)
            return out
        if finding.clear and (top is None or top.probability < self.thresholds.answer):
            # The lines came first; a place is added only when one clearly fits.
            self._passages(result, state, out, show=state.role != "inwoner")
            return out
        # A top place that fits none of the likely topics is no answer; places further down that do
        # fit them are offered as a question, and without such places the honest answer is the contact.
        fitting = self._places_for_likely_topics(result, places) if top and self._off_topic(result, top) else None
        unsure = top is not None and top.probability < self.thresholds.answer and not finding.clear
        options = fitting if fitting is not None else (self._places_to_offer(places) if unsure else None)
        if top is None or top.probability < self.thresholds.clarify_floor or options == []:
            # No place to name and none to offer (only the national lines come close): a person helps.
            out.add(self.say("not_sure", lang, contact=self._contact(state)))
            self._passages(result, state, out, show=state.role != "inwoner")
            out.kind = "not_sure"
            return out
        if options:
            names = ", ".join(p.service.name for p in options)
            buttons = tuple(Button(p.service.name, payload("choose", place=p.service.id)) for p in options)
            out.add(self.say("clarify", lang, places=names), buttons)
            state.last_places = [p.service.id for p in options]
            self._passages(result, state, out, show=state.role != "inwoner")
            out.kind = "clarified"
            return out
        chosen = [top.service]
        for part in self._parts(text):
            _, part_places = self._search(part, state)
            if part_places and part_places[0].probability >= self.thresholds.second_problem:
                candidate = part_places[0].service
                if candidate.id not in {s.id for s in chosen} and not set(candidate.topics) & set(top.service.topics):
                    chosen.append(candidate)
                    break
        if len(chosen) > 1:
            out.add(self.say("several_problems", lang))
        for service in chosen:
            out.replies.append(self.places.place_reply(service, gemeente, lang))
        others = [
            p.service.name
            for p in places[1:3]
            if p.probability >= self.thresholds.also_possible
            and p.service.id not in {s.id for s in chosen}
            and not p.service.is_national
        ]
        topic_place = self._best_place_for_top_topic(result, places)
        if topic_place and topic_place.id not in {s.id for s in chosen} and topic_place.name not in others:
            others.append(topic_place.name)
        if len(chosen) == 1 and others:
            out.add(self.say("also_possible", lang, places=", ".join(others)))
        state.last_places = [s.id for s in chosen] or [top.service.id]
        out.places = [s.id for s in chosen]
        state.last_topic = top.service.topics[0] if top.service.topics else None
        self._passages(self._grounding_first(result, chosen), state, out, show=state.role != "inwoner", count=2)
        if chosen:
            self._feedback_question(state, out)
        return out

    def _places_to_offer(self, places: list[PlaceChoice]) -> list[PlaceChoice]:
        """Up to three likely places to choose from; the national emergency lines are no choice."""
        return [
            p for p in places if p.probability >= self.thresholds.clarify_floor and p.service.id not in self._lines
        ][:3]

    def _grounding_first(self, result: SearchResult, places: list[Service]) -> SearchResult:
        """The passages found, those the named places rest on first: an answer that names a place
        shows where that place comes from."""
        assert self.searcher is not None
        grounding = self.searcher.passages_resting({service.id for service in places})
        return replace(result, passages=sorted(result.passages, key=lambda hit: hit.passage.id not in grounding))

    def _off_topic(self, result: SearchResult, top: PlaceChoice) -> bool:
        """A place that fits none of the likely topics, without strong evidence of its own: no answer.

        Where a gemeente has no place for a topic (debts in Leiderdorp's texts), a far-off place would
        be a guess dressed up as fact; the gemeente's general contact is the honest answer."""
        likely = {t.topic for t in result.topics[:2]}
        return top.probability < self.thresholds.off_topic and not likely & set(top.service.topics)

    def _places_for_likely_topics(self, result: SearchResult, places: list[PlaceChoice]) -> list[PlaceChoice]:
        """Up to three of the gemeente's own places that fit one of the two likely topics, best first."""
        likely = {t.topic for t in result.topics[:2]} - {POLICY_TOPIC}
        return [
            p
            for p in places
            if likely & set(p.service.topics) and p.service.id not in self._lines and not p.service.is_national
        ][:3]

    @staticmethod
    def _best_place_for_top_topic(result: SearchResult, places: list[PlaceChoice]) -> Service | None:
        """When the most likely topic is not one of the top place's, the best place for that topic.

        Place and topic are ranked from different evidence; when they disagree, both are offered."""
        if not result.topics or not places:
            return None
        topic = result.topics[0].topic
        if topic == POLICY_TOPIC or topic in places[0].service.topics:
            return None
        return next((p.service for p in places[1:] if topic in p.service.topics and not p.service.is_national), None)

    _SPLIT = re.compile(r"(?:[.;!?]\s+|,\s*(?:en|maar|ook|daarnaast)\s+|\s+(?:en ook|daarnaast|bovendien|and also)\s+)")

    def _names_other_matter(self, text: str) -> bool:
        """The message names a matter of the gemeente outside help and care (a passport, a permit, waste)."""
        return any(pattern.search(text) for pattern in self._other_matters)

    def _without_other_matters(self, text: str) -> str:
        for pattern in self._other_matters:
            text = pattern.sub(" ", text)
        return text

    def _glossary_explanations(self, text: str, lang: str) -> list[str]:
        """The words a "wat betekent ...?" question asks about, in plain language from
        knowledge/glossary.yaml, to send before the answer. At most two, the longest names first."""
        assert self.searcher is not None
        definitions = self.searcher.definitions  # the same patterns find the documents' own definitions
        if not definitions.asks_meaning(text):
            return []
        named = [
            term
            for term in self.knowledge.glossary
            if any(definitions.names(text, name) for name in (term.term, *term.aliases))
        ]
        named.sort(key=lambda term: -len(term.term))
        explained = [term.explanation.get(lang) or term.explanation.get(FALLBACK_LANGUAGE) for term in named]
        return [f"{term.term}: {plain}" for term, plain in zip(named, explained, strict=True) if plain][
            :MAX_EXPLAINED_TERMS
        ]

    def _is_vague(self, text: str) -> bool:
        """Asking for help without saying what for: no place can be chosen from it."""
        return any(pattern.search(text.strip()) for pattern in self._vague)

    def _parts(self, text: str) -> list[str]:
        """The parts of a message that could each hold a problem; "waar kan ze terecht?" holds none."""
        parts = [
            p.strip()
            for p in self._SPLIT.split(text)
            if len(content_words(p)) >= PART_CONTENT_WORDS and not self._is_vague(p)
        ]
        return parts if len(parts) > 1 else []

    def _passages(self, result: SearchResult, state: State, out: Outcome, show: bool, count: int = 1) -> None:
        """Sources for every answer; the passage itself for professionals and the front desk."""
        out.sources += [passage_source(hit.passage, with_text=show) for hit in result.passages[:3]]
        if show:
            for hit in result.passages[:count]:
                intro = self.say("passage_intro", state.lang, citation=hit.passage.citation())
                out.add(f"{intro}\n{hit.passage.text}")

    def _feedback_question(self, state: State, out: Outcome) -> None:
        lang = state.lang
        buttons = (
            Button(self.say("feedback_yes", lang), payload("feedback_helped")),
            Button(self.say("feedback_no", lang), payload("feedback_not_helped")),
        )
        out.add(self.say("feedback_question", lang), buttons)


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "replies": [{"text": r.text, "buttons": [b.__dict__ for b in r.buttons]} for r in outcome.replies],
        "sources": [s.__dict__ for s in outcome.sources],
        "crisis": outcome.crisis,
    }

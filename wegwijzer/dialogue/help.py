"""A help question: the most likely place(s) with what they do and how to reach them, or one
clarifying question, or honestly a person; a second problem in the same message gets its own place;
professionals and the front desk get the policy passage with its source."""

from __future__ import annotations

import re
from dataclasses import replace

from index.lexical import content_words
from index.question import POLICY_TOPIC
from index.search import Searcher, SearchResult
from wegwijzer.chat import Button
from wegwijzer.dialogue.calibration import PlaceChoice, Thresholds, rank_places
from wegwijzer.dialogue.context import GemeenteFacts
from wegwijzer.dialogue.crisis import NO_FINDING, CrisisDetector, CrisisFinding
from wegwijzer.dialogue.outcome import Outcome, payload
from wegwijzer.dialogue.phrasebook import FALLBACK_LANGUAGE, Phrasebook
from wegwijzer.dialogue.places import PlaceWriter, passage_source
from wegwijzer.dialogue.state import State
from wegwijzer.knowledge import KnowledgeBase, Service

MAX_EXPLAINED_TERMS = 2  # words explained from the glossary in one answer
PLACES_SEARCHED = 8  # places ranked for one question (the gemeente's own and the national lines)
# A national service is added after the front door when it is among the two best places of all, and
# after a place of the gemeente only when it is the best of all (the evidence says it fits better).
NATIONAL_RANK_AFTER_FRONT_DOOR = 2
NATIONAL_RANK_AFTER_PLACE = 1
PART_CONTENT_WORDS = 3  # words beyond the stopwords a part of a message needs to count as a problem of its own


class HelpQuestions:
    def __init__(
        self,
        knowledge: KnowledgeBase,
        searcher: Searcher | None,
        crisis: CrisisDetector,
        phrasebook: Phrasebook,
        thresholds: Thresholds,
    ) -> None:
        self.knowledge, self.searcher, self.crisis, self.thresholds = knowledge, searcher, crisis, thresholds
        self.say, self.phrase = phrasebook.say, phrasebook.phrase
        self.places = PlaceWriter(knowledge, phrasebook)
        self.gemeenten = GemeenteFacts(knowledge, phrasebook)
        self._other_matters = phrasebook.patterns("other_matters")
        self._vague = phrasebook.patterns("vague")
        self._lines = {line for signal in knowledge.crisis for line in signal.lines}  # offered in a crisis only
        self._national_count = sum(1 for service in knowledge.services.values() if service.after_local)

    def _search(self, text: str, state: State) -> tuple[SearchResult, list[PlaceChoice]]:
        """The search, and the places it makes likely; the national lines only where crisis.yaml lets
        them be a place (they reach a person in danger through the crisis tiers, not as a place).

        The national layer (services with after_local) is left out here: the places are decided
        as if it were not there, and `_national` may add one after the answer."""
        assert self.searcher is not None
        result, _ = self._search_all(text, state)
        return result, rank_places(result, self.searcher.weights)

    def _search_all(self, text: str, state: State) -> tuple[SearchResult, list[PlaceChoice]]:
        """The search with the gemeente's own places in `result.services`, and the ranking of every
        place including the national layer (for `_national`)."""
        assert self.searcher is not None
        result = self.searcher.search(
            text, state.gemeente or "", k=5, services=PLACES_SEARCHED + self._national_count, role=state.role
        )
        topic = result.topics[0].topic if result.topics else None
        every = [hit for hit in result.services if self.crisis.may_name(hit.service.id, state.role, topic, NO_FINDING)]
        result.services = [hit for hit in every if not hit.service.after_local][:PLACES_SEARCHED]
        return result, rank_places(replace(result, services=every[:PLACES_SEARCHED]), self.searcher.weights)

    def _national_fits_best(self, every: list[PlaceChoice]) -> bool:
        best = every[0] if every else None
        return best is not None and best.service.after_local and best.probability >= self.thresholds.national_first

    def _national(self, every: list[PlaceChoice], state: State, out: Outcome, named: set[str], rank: int) -> None:
        """A national service after the answer, when the message is clearly about what it does: it
        ranks among the best places over all of them, local and national. Never on its own, and
        never in a crisis line's place (the crisis tiers decide those)."""
        for choice in every[:rank]:
            service = choice.service
            if service.after_local and service.id not in named and choice.probability >= self.thresholds.national:
                lang = state.lang or "nl"
                out.replies.append(
                    self.places.place_reply(service, state.gemeente or "", lang, intro_key="answer_national")
                )
                out.places.append(service.id)
                return

    def answer(
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
            out.add(
                self.phrase(
                    "unavailable", lang, gemeente=self.gemeenten.name(state), contact=self.gemeenten.contact(state)
                )
            )
            out.kind = "fallback"
            return out
        if not state.last_question and self._is_vague(text):
            out.add(self.phrase("ask_question", lang))
            out.kind = "clarified"
            return out
        for explained in self._glossary_explanations(text, lang):
            out.add(explained)
        query = text
        if (
            state.last_question
            and text != state.last_question  # the last question asked again (another gemeente, language)
            and len(text.split()) <= self.thresholds.follow_up_words
            and intent not in ("out_of_scope",)
        ):
            query = f"{state.last_question} {query}"
        result, every = self._search_all(query, state)
        places = rank_places(result, self.searcher.weights)
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
            out.add(
                self.phrase(
                    "out_of_scope", lang, gemeente=self.gemeenten.name(state), contact=self.gemeenten.contact(state)
                )
            )
            out.kind = "out_of_scope"
            return out
        if other_matter:  # and a help question: the gemeente for the one, a place for the other
            out.add(
                self.phrase(
                    "other_matter", lang, gemeente=self.gemeenten.name(state), contact=self.gemeenten.contact(state)
                )
            )
        state.last_question = query
        policy_question = bool(result.topics) and result.topics[0].topic == POLICY_TOPIC
        if policy_question and (state.role != "inwoner" or intent == f"hulp_{POLICY_TOPIC}"):
            self.passages(result, state, out, show=True, count=2)
            return out
        if finding.clear and (top is None or top.probability < self.thresholds.answer):
            # The lines came first; a place is added only when one clearly fits.
            self.passages(result, state, out, show=state.role != "inwoner")
            return out
        # A top place that fits none of the likely topics is no answer; places further down that do
        # fit them are offered as a question, and without such places the honest answer is the contact.
        fitting = self._places_for_likely_topics(result, places) if top and self._off_topic(result, top) else None
        unsure = top is not None and top.probability < self.thresholds.answer and not finding.clear
        options = fitting if fitting is not None else (self._places_to_offer(places) if unsure else None)
        if (unsure or fitting is not None) and self._national_fits_best(every):
            # The gemeente's own places are a guess and a national service clearly fits: the front
            # door, then that service; not a choice between places that have little to do with it.
            options = []
        if top is None or top.probability < self.thresholds.clarify_floor or options == []:
            # No place to name and none to offer (only the national lines come close): a person helps.
            out.add(self.phrase("not_sure", lang, contact=self.gemeenten.contact(state)))
            if not finding.clear:
                self._national(every, state, out, set(), NATIONAL_RANK_AFTER_FRONT_DOOR)
            self.passages(result, state, out, show=state.role != "inwoner")
            out.kind = "not_sure"
            return out
        if options:
            names = ", ".join(p.service.name for p in options)
            buttons = tuple(Button(p.service.name, payload("choose", place=p.service.id)) for p in options)
            out.add(self.phrase("clarify", lang, places=names), buttons)
            state.last_places = [p.service.id for p in options]
            self.passages(result, state, out, show=state.role != "inwoner")
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
            out.add(self.phrase("several_problems", lang))
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
            out.add(self.phrase("also_possible", lang, places=", ".join(others)))
        state.last_places = [s.id for s in chosen] or [top.service.id]
        out.places = [s.id for s in chosen]
        if not finding.clear:
            self._national(every, state, out, {s.id for s in chosen}, NATIONAL_RANK_AFTER_PLACE)
        state.last_topic = top.service.topics[0] if top.service.topics else None
        self.passages(self._grounding_first(result, chosen), state, out, show=state.role != "inwoner", count=2)
        self.place_sources(chosen, state, out)
        if chosen:
            self.feedback_question(state, out)
        return out

    def other_places(self, state: State, out: Outcome) -> None:
        """ "That did not help": the next places for the last question that were not named yet, as a
        choice (besides a person, which the caller offers)."""
        if self.searcher is None or not state.last_question or not state.gemeente:
            return
        _, places = self._search(state.last_question, state)
        named = set(state.last_places)
        options = [p for p in self._places_to_offer(places) if p.service.id not in named][:2]
        if options:
            names = ", ".join(p.service.name for p in options)
            buttons = tuple(Button(p.service.name, payload("choose", place=p.service.id)) for p in options)
            out.add(self.phrase("other_places", state.lang, places=names), buttons)

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

    def passages(self, result: SearchResult, state: State, out: Outcome, show: bool, count: int = 1) -> None:
        """Sources for every answer; the passage itself for professionals and the front desk."""
        out.sources += [passage_source(hit.passage, with_text=show) for hit in result.passages[:3]]
        if show:
            for hit in result.passages[:count]:
                intro = self.say("passage_intro", state.lang, citation=hit.passage.citation())
                out.add(f"{intro}\n{hit.passage.text}")

    def place_sources(self, services: list[Service], state: State, out: Outcome) -> None:
        """Where each named place comes from, unless a passage of that section is cited already; for a
        resident first (the place is the answer), after the passages a professional reads."""
        cited = {(s.document, s.section) for s in out.sources}
        new = []
        for source in (self.places.source_of(service, state.gemeente) for service in services):
            if source and (source.document, source.section) not in cited:
                cited.add((source.document, source.section))
                new.append(source)
        out.sources[:] = [*new, *out.sources] if state.role == "inwoner" else [*out.sources, *new]

    def feedback_question(self, state: State, out: Outcome) -> None:
        lang = state.lang
        buttons = (
            Button(self.say("feedback_yes", lang), payload("feedback_helped")),
            Button(self.say("feedback_no", lang), payload("feedback_not_helped")),
        )
        out.add(self.phrase("feedback_question", lang), buttons)

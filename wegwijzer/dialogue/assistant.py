"""The assistant: from one message and the conversation so far to the replies.

Order of every turn:
1. the crisis check on the raw message (always, whatever the intent or the state);
2. context from the channel (gemeente, role, language) and from the message ("ik woon in ...");
3. the intent: small talk, a person, out of scope, follow-ups, or a help question;
4. a help question is answered with the most likely place(s), or one clarifying question.
"""

from __future__ import annotations

import re

from index.search import Searcher
from wegwijzer.chat import Button
from wegwijzer.dialogue.calibration import Thresholds
from wegwijzer.dialogue.context import Context, GemeenteFacts
from wegwijzer.dialogue.crisis import NO_FINDING, CrisisDetector, CrisisFinding
from wegwijzer.dialogue.crisis.runtime import crisis_detector_for
from wegwijzer.dialogue.help import HelpQuestions
from wegwijzer.dialogue.outcome import Outcome, payload
from wegwijzer.dialogue.phrasebook import Phrasebook
from wegwijzer.dialogue.state import State, Turn
from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.privacy import PLACEHOLDERS

SMALLTALK = {"greet", "thanks", "goodbye", "restart_chat"}
SHORT_MESSAGE_WORDS = 6  # longer messages that open with "hallo" are questions, not small talk
MAX_MESSAGE_CHARS = 2000
# The placeholders wegwijzer.privacy puts where it removed a personal detail.
_REDACTED = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
_PAYLOAD = re.compile(r"/[a-z_]+(\{.*\})?", re.DOTALL)  # what a button sends: /intent{"entity": "value"}


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
        self.say, self.phrase = self.phrasebook.say, self.phrasebook.phrase
        # The classifier with the searcher's encodings; without a searcher the patterns alone.
        self.crisis = crisis or crisis_detector_for(knowledge, searcher)
        self.context = Context(knowledge)
        self.gemeenten = GemeenteFacts(knowledge, self.phrasebook)
        self.help = HelpQuestions(knowledge, searcher, self.crisis, self.phrasebook, self.thresholds)
        self._person_requests = self.phrasebook.patterns("handoff")

    # ---- the turn ------------------------------------------------------------------------

    def respond(self, turn: Turn, state: State) -> Outcome:
        out = Outcome()
        text = turn.text.strip()
        finding = self._crisis_check(text)
        chosen, unknown = self.context.apply(turn, state)
        lang = state.lang
        out.lang = self.phrasebook.language(lang)
        out.crisis = finding.clear
        out.replies += self.crisis.replies(finding, lang)  # clear: the lines; possible: one line with the number
        if not text or len(text) > MAX_MESSAGE_CHARS:
            out.kind = "invalid"
            out.add(self.phrase("message_empty" if not text else "message_too_long", lang))
            return out
        if _REDACTED.search(text) and not state.privacy_noted:
            state.privacy_noted = True
            out.add(self.phrase("privacy_notice", lang))
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
            out.add(self.phrase("unknown_gemeente", lang, gemeenten=names), self.gemeenten.buttons())
            out.kind = "ask_gemeente"
            return out
        if chosen and (
            intent == "change_gemeente" or text.startswith("/") or self.context.only_says_where(text, state)
        ):
            return self._gemeente_chosen(state, out)
        if intent == "change_lang" and self._language_asked(turn) and (state.last_places or state.last_question):
            return self._in_other_language(turn, state, out)
        if intent == "restart_chat":
            state.last_places, state.last_question, state.last_topic, state.pending_question = [], None, None, None
            out.add(self.phrase("restart", lang))
            out.kind = "smalltalk"
            return out
        short = len(text.split()) <= SHORT_MESSAGE_WORDS
        # "Am I talking to a person?" and "what can you do?" are answered as such at any length (the
        # AI Act asks for a plain "no, a chatbot"); before the request for a person, which it includes.
        limits = self.thresholds
        sure = turn.confidence >= limits.identity_sure or (
            len(text.split()) <= limits.identity_words and turn.confidence >= limits.identity_likely
        )
        if intent == "bot_challenge" and (short or sure):
            return self._identity(state, out)
        if intent == "ask_capabilities" and (short or sure):
            out.kind = "smalltalk"
            out.add(self.phrase("capabilities", lang, contact=self.gemeenten.contact(state)))
            return out
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
            out.add(self.phrase(intent, lang))
            out.kind = "smalltalk"
            return out
        if intent in ("ask_contact", "ask_cost", "ask_next") and state.last_places and short:
            return self._follow_up(intent, state, out)
        if intent == "choose":
            return self._choose(turn, state, out)
        if not state.gemeente:
            return self._ask_gemeente(text, state, out)
        return self.help.answer(text, intent, turn.confidence, state, out, finding)

    # ---- kinds of turn -------------------------------------------------------------------

    def _ask_gemeente(self, text: str, state: State, out: Outcome) -> Outcome:
        if not text.startswith("/"):
            state.pending_question = text
        if not state.asked_gemeente:
            out.add(self.phrase("opening_no_gemeente", state.lang))
        state.asked_gemeente = True
        out.add(self.phrase("ask_gemeente", state.lang), self.gemeenten.buttons())
        out.kind = "ask_gemeente"
        return out

    def _gemeente_chosen(self, state: State, out: Outcome) -> Outcome:
        out.add(self.phrase("gemeente_set", state.lang, gemeente=self.gemeenten.name(state)))
        question = state.pending_question or state.last_question
        state.pending_question = None
        if question:
            return self.help.answer(question, "", 0.0, state, out)
        out.add(self.phrase("ask_question", state.lang))
        out.kind = "smalltalk"
        return out

    def _smalltalk(self, intent: str, state: State, out: Outcome) -> Outcome:
        lang = state.lang
        out.kind = "smalltalk"
        if intent == "greet":
            if state.gemeente:
                out.add(self.phrase("opening", lang, gemeente=self.gemeenten.name(state)))
                out.add(self.phrase("ask_question", lang))
            else:
                out.add(self.phrase("opening_no_gemeente", lang))
                out.add(self.phrase("ask_gemeente", lang), self.gemeenten.buttons())
                state.asked_gemeente = True
        elif intent in ("thanks", "goodbye"):
            out.add(self.phrase(intent, lang))
        else:
            out.add(self.phrase("greet", lang))
        return out

    def _identity(self, state: State, out: Outcome) -> Outcome:
        """No, a chatbot; and how to reach a person: the gemeente's contact, the call-back offer."""
        out.kind = "smalltalk"
        out.add(self.phrase("bot_challenge", state.lang, contact=self.gemeenten.contact(state)))
        if self.callback_form_url:
            state.offered_callback = True
            out.add(self.phrase("handoff_offer", state.lang), self._callback_buttons(state))
        return out

    def _handoff(self, state: State, out: Outcome) -> Outcome:
        lang = state.lang
        out.kind = "handoff"
        out.add(self.phrase("handoff", lang, contact=self.gemeenten.contact(state)))
        if self.callback_form_url:
            state.offered_callback = True
            out.add(self.phrase("handoff_offer", lang), self._callback_buttons(state))
        return out

    def _form_url(self, state: State) -> str:
        assert self.callback_form_url is not None
        return self.callback_form_url.format(gemeente=state.gemeente or "", lang=state.lang or "nl")

    def _callback_buttons(self, state: State) -> tuple[Button, ...]:
        """The offer: 'yes' opens the form at once (a link); typing or sending 'yes' gets the link too."""
        return (
            Button(self.say("button_callback", state.lang), payload("affirm"), url=self._form_url(state)),
            Button(self.say("button_no_thanks", state.lang), payload("deny")),
        )

    def _callback(self, state: State, out: Outcome) -> Outcome:
        state.offered_callback = False
        out.kind = "handoff"
        if not self.callback_form_url:
            out.add(self.phrase("handoff_no_form", state.lang, contact=self.gemeenten.contact(state)))
            return out
        url = self._form_url(state)
        link = Button(self.say("button_form", state.lang), "", url)
        out.add(self.phrase("handoff_form", state.lang, form_url=url), (link,))
        return out

    def _feedback(self, intent: str, state: State, out: Outcome) -> Outcome:
        state.feedback = "helped" if intent == "feedback_helped" else "not_helped"
        out.kind = "feedback"
        if intent == "feedback_helped":
            out.add(self.phrase("feedback_thanks", state.lang))
        else:
            out.add(self.phrase("feedback_sorry", state.lang, contact=self.gemeenten.contact(state)))
            self.help.other_places(state, out)
            if self.callback_form_url:
                state.offered_callback = True
                out.add(self.phrase("handoff_offer", state.lang), self._callback_buttons(state))
        return out

    def _follow_up(self, intent: str, state: State, out: Outcome) -> Outcome:
        service = self.knowledge.services.get(state.last_places[0])
        out.kind = "followup"
        if service is None:
            out.add(self.phrase("no_place_yet", state.lang))
            return out
        places, gemeente, lang = self.help.places, state.gemeente or "", state.lang or "nl"
        how = places.how_to_reach(service, gemeente, lang)
        simple = {"how": places.simple_how(service, gemeente, lang)}  # the place's own A2 words, if any
        if intent == "ask_contact":
            out.add(self.phrase("how_to_reach", state.lang, simple, place=service.name, how=how))
        elif intent == "ask_cost":
            out.add(self.phrase("cost", state.lang, simple, place=service.name, how=how))
        else:
            # What happens next starts with reaching the place the last answer named.
            out.add(self.phrase("next_steps", state.lang))
            out.add(self.phrase("how_to_reach", state.lang, simple, place=service.name, how=how))
        return out

    def _language_asked(self, turn: Turn) -> str | None:
        lang = turn.entity("lang")
        return lang if lang in self.knowledge.texts else None

    def _in_other_language(self, turn: Turn, state: State, out: Outcome) -> Outcome:
        """ "Can you say that in English?": the last answer again, in that language (the same places)."""
        state.lang = self._language_asked(turn)
        out.lang = self.phrasebook.language(state.lang)
        places = [self.knowledge.services[i] for i in state.last_places if i in self.knowledge.services]
        if not places:
            assert state.last_question is not None
            return self.help.answer(state.last_question, "", 0.0, state, out)
        out.kind = "followup"
        out.places = [service.id for service in places]
        for service in places:
            out.replies.append(self.help.places.place_reply(service, state.gemeente or "", state.lang or "nl"))
        return out

    def _choose(self, turn: Turn, state: State, out: Outcome) -> Outcome:
        service = self.knowledge.services.get(turn.entity("place") or "")
        if service is None:
            out.add(self.phrase("no_place_yet", state.lang))
            return out
        state.last_places = [service.id]
        out.places = [service.id]
        out.replies.append(self.help.places.place_reply(service, state.gemeente or "", state.lang or "nl"))
        self.help.place_sources([service], state, out)
        self.help.feedback_question(state, out)
        return out

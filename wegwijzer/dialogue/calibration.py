"""Every number the dialogue decides with, in one place: how likely a place is, and the thresholds
at which a place is named, offered as a choice or left for a person. Chosen on the development set
(docs/dialogue.md); the retrieval's own weights are `index.search.Weights`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from index.search import SearchResult, Weights
from wegwijzer.knowledge import Service

CALIBRATION_PLACES = 3
OLD_AFTER_YEARS = 6  # a framework older than this gets a note that things may have changed


def this_year() -> int:
    return date.today().year


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
    # P(place) over every place, the national layer included, at which a national service is added
    # after the answer (it must also rank among the best two); chosen on knowledge/ examples.
    national: float = 0.25
    national_first: float = 0.5  # a national service this likely: the front door and it, rather than a choice
    # "Am I talking to a person?" / "what can you do?": answered as such from this NLU confidence at any
    # length, and from `identity_likely` in a message of at most `identity_words` words (a question of
    # one sentence; the intent then stands out among some forty, the runner-up far below it).
    identity_sure: float = 0.6
    identity_likely: float = 0.3
    identity_words: int = 12


@dataclass(frozen=True)
class PlaceChoice:
    service: Service
    probability: float


def rank_places(result: SearchResult, weights: Weights) -> list[PlaceChoice]:
    """P(place | question) over the top places and "none of these" (the no-place score)."""
    scores = [hit.score / weights.service_temperature for hit in result.services]
    none = weights.no_place_score / weights.service_temperature
    top = max([*scores, none])
    # Normalised over the best CALIBRATION_PLACES and "none", as the thresholds were set; places
    # further down get their share on the same scale.
    total = sum(math.exp(s - top) for s in [*scores[:CALIBRATION_PLACES], none])
    return [PlaceChoice(hit.service, math.exp(s - top) / total) for hit, s in zip(result.services, scores, strict=True)]

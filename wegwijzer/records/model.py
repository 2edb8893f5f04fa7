"""What is recorded per turn, and the outcomes a turn can have."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

ANSWERED = "answered"
CLARIFIED = "clarified"
NOT_SURE = "not_sure"
OUT_OF_SCOPE = "out_of_scope"
HANDOFF = "handoff"
CRISIS = "crisis"
SMALLTALK = "smalltalk"
FALLBACK = "fallback"

OUTCOMES: tuple[str, ...] = (ANSWERED, CLARIFIED, NOT_SURE, OUT_OF_SCOPE, HANDOFF, CRISIS, SMALLTALK, FALLBACK)
FALLEN_BACK: tuple[str, ...] = (NOT_SURE, FALLBACK)
UNANSWERED: tuple[str, ...] = (NOT_SURE, FALLBACK, CLARIFIED)  # the content team's work list


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_utc_naive(moment: datetime) -> datetime:
    """Stored form: UTC without tzinfo (the same in SQLite and PostgreSQL). A naive input is taken as UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def from_stored(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class TurnRecord:
    """One resident message and what the assistant did with it.

    `conversation` is the channel's sender id (or any stable id of the conversation): the store keeps only a keyed
    hash of it. `question` is redacted by the store before it is written, whatever the caller did.
    """

    conversation: str
    question: str
    outcome: str
    gemeente: str = ""
    lang: str = ""
    role: str = ""
    channel: str = ""
    places: tuple[str, ...] | list[str] = ()
    crisis: bool = False
    at: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"onbekende uitkomst {self.outcome!r}; kies uit {', '.join(OUTCOMES)}")


@dataclass(frozen=True)
class PurgeResult:
    turns: int
    feedback: int
    events: int  # rows of Rasa's tracker store table `events`
    cutoff: datetime
    callbacks: int = 0  # callback requests past their own (shorter) retention
    callback_cutoff: datetime | None = None
    bound_sessions: int = 0  # bindings of a web session to a browser (connectors/api/sessions.py)
    log_lines: int = 0  # lines of log files (var/logs) older than the retention
    log_files: int = 0  # whole log files older than the retention

    def describe(self) -> str:
        text = (
            f"Ouder dan {self.cutoff:%Y-%m-%d %H:%M} UTC verwijderd: {self.turns} beurten, {self.feedback} reacties, "
            f"{self.events} Rasa-gebeurtenissen, {self.log_lines} logregels en {self.log_files} logbestanden."
        )
        if self.callback_cutoff is not None:
            text += f" Terugbelverzoeken ouder dan {self.callback_cutoff:%Y-%m-%d %H:%M} UTC: {self.callbacks}."
        return text

"""Dutch labels for the report, shared by `wegwijzer report` and the /beheer page."""

from __future__ import annotations

from typing import Any

SHARES: dict[str, str] = {
    "answered": "Beantwoord",
    "clarified": "Doorgevraagd",
    "fallen_back": "Teruggevallen (niet zeker of geen antwoord)",
    "handed_over": "Doorverwezen naar een medewerker",
    "crisis": "Crisis",
}
DIMENSIONS: dict[str, str] = {"by_gemeente": "Per gemeente", "by_lang": "Per taal", "by_channel": "Per kanaal"}
DIMENSION_KEY: dict[str, str] = {"by_gemeente": "gemeente", "by_lang": "taal", "by_channel": "kanaal"}
COLUMNS: dict[str, str] = {
    "conversations": "gesprekken",
    "questions": "vragen",
    "answered": "beantwoord",
    "clarified": "doorgevraagd",
    "fallen_back": "teruggevallen",
    "handed_over": "doorverwezen",
    "crisis": "crisis",
    "helped": "geholpen",
    "not_helped": "niet geholpen",
}
TITLE = "Wegwijzer – verslag van de gesprekken"
TOP_UNANSWERED = "Vaakst gestelde vragen zonder goed antwoord"
TOP_BADLY_RATED = "Vragen waarvan het antwoord niet hielp"
NONE_YET = "geen"
NOTE = (
    "Aandelen zijn van de vragen (beurten zonder begroeting of bedankje). Vragen zijn ontdaan van "
    "persoonsgegevens voordat ze zijn opgeslagen."
)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def period(report: dict[str, Any]) -> str:
    info = report["period"]
    start = info["since"][:10] if info["since"] else "begin van de bewaartermijn"
    where = f"gemeente {info['gemeente']}" if info["gemeente"] else "alle gemeenten"
    return f"Periode: {start} tot {info['until'][:10]} (UTC), {where}"


def feedback_line(report: dict[str, Any]) -> str:
    feedback = report["feedback"]
    return (
        f"Reacties: {feedback['helped']} geholpen, {feedback['not_helped']} niet geholpen "
        f"({percent(feedback['share_helped'])} geholpen)"
    )


def cell(row: dict[str, Any], column: str) -> str:
    value = row[column]
    return percent(value) if isinstance(value, float) or value is None else str(value)

"""The callback form's fields, checked one by one with a plain-Dutch message per problem."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

BEST_TIMES = {
    "ochtend": "'s ochtends (9-12 uur)",
    "middag": "'s middags (12-17 uur)",
    "maakt_niet_uit": "maakt niet uit",
}
MAX_NAME = 60
MAX_SUMMARY = 200
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[a-zA-Z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9()\- ]{10,20}$")


@dataclass(frozen=True)
class CallbackRequest:
    gemeente: str
    first_name: str
    contact: str  # a phone number or an e-mail address
    best_time: str
    summary: str
    lang: str = "nl"

    def personal_fields(self) -> dict[str, str]:
        """What the queue keeps sealed: everything but the gemeente (which routes the request)."""
        return {
            "first_name": self.first_name,
            "contact": self.contact,
            "best_time": self.best_time,
            "summary": self.summary,
            "lang": self.lang,
        }

    def to_json(self) -> dict[str, str]:
        data = asdict(self)
        data["best_time"] = BEST_TIMES.get(self.best_time, self.best_time)
        return data


def check_form(fields: dict[str, str], gemeenten: set[str]) -> tuple[CallbackRequest | None, dict[str, str]]:
    """The request, or the problems per field (the form is shown again with what was typed)."""
    problems: dict[str, str] = {}
    gemeente = fields.get("gemeente", "").strip()
    name = " ".join(fields.get("first_name", "").split())
    contact = fields.get("contact", "").strip()
    best_time = fields.get("best_time", "").strip()
    summary = " ".join(fields.get("summary", "").split())
    if gemeente not in gemeenten:
        problems["gemeente"] = "Kies uw gemeente."
    if not name:
        problems["first_name"] = "Vul uw voornaam in."
    elif len(name) > MAX_NAME:
        problems["first_name"] = f"Uw voornaam is te lang. Gebruik hoogstens {MAX_NAME} tekens."
    digits = re.sub(r"\D", "", contact)
    if not (_EMAIL.match(contact) or (_PHONE.match(contact) and 10 <= len(digits) <= 13)):
        problems["contact"] = "Vul een telefoonnummer (10 cijfers) of een e-mailadres in."
    if best_time not in BEST_TIMES:
        problems["best_time"] = "Kies wanneer het u past."
    if not summary:
        problems["summary"] = "Schrijf in één zin waar het over gaat."
    elif len(summary) > MAX_SUMMARY:
        problems["summary"] = f"Houd het kort: hoogstens {MAX_SUMMARY} tekens."
    if fields.get("consent") != "ja":
        problems["consent"] = "Geef toestemming, anders kan de gemeente u niet bellen."
    if problems:
        return None, problems
    lang = fields.get("lang", "nl") if re.fullmatch(r"[a-z]{2}", fields.get("lang", "")) else "nl"
    return CallbackRequest(gemeente, name, contact, best_time, summary, lang), {}

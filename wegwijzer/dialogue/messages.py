"""What the assistant sends back: replies with buttons, and the sources an answer rests on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    title: str
    payload: str  # a Rasa payload such as '/choose{"place":"purmerend-schulddienstverlening"}'


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Source:
    document: str  # document title
    section: str  # section path, "A > B"
    gemeente: str
    year: int | None = None
    passage: str | None = None  # the policy passage itself (professionals and front desk)

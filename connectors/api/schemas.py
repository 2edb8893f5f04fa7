"""The JSON shapes of the API, for validation and the OpenAPI description at /docs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ChatIn(BaseModel):
    session_id: str | None = Field(
        None,
        description="De session_id uit het vorige antwoord van de API. Leeg bij het eerste bericht; "
        "een session_id die de API niet zelf gaf, begint een nieuw gesprek.",
    )
    message: str = Field(..., description="De vraag of de payload van een knop; hoogstens 2000 tekens.")
    gemeente: str = Field(..., description="De gemeente, bijvoorbeeld 'purmerend'.")
    role: str | None = Field("inwoner", description="inwoner, professional of balie.")
    lang: str | None = Field(None, description="nl, en, ar, tr, uk of pl; leeg: de assistent herkent de taal.")

    model_config = {
        "json_schema_extra": {"examples": [{"message": "ik kan de huur niet betalen", "gemeente": "purmerend"}]}
    }


class ButtonOut(BaseModel):
    title: str
    payload: str
    url: str | None = Field(None, description="Een pagina om te openen in plaats van een bericht (terugbelformulier).")


class SegmentOut(BaseModel):
    text: str
    href: str | None = Field(None, description="Een link: tel:, https: of mailto:.")
    label: str | None = Field(None, description="Hoe een schermlezer de link voorleest (telefoonnummers).")
    kind: str | None = Field(None, description="tel, web of mail.")


class ReplyOut(BaseModel):
    text: str
    buttons: list[ButtonOut] = []
    lang: str = Field("nl", description="De taal van het antwoord.")
    dir: str = Field("ltr", description="ltr of rtl (Arabisch).")
    paragraphs: list[list[SegmentOut]] = Field(
        [], description="De tekst per alinea, met telefoonnummers en webadressen als links."
    )
    simple: str | None = Field(
        None, description="Hetzelfde antwoord in eenvoudiger taal (A2, 'Zeg het simpeler'); leeg als er geen is."
    )
    simple_paragraphs: list[list[SegmentOut]] | None = Field(
        None, description="De eenvoudige tekst per alinea, met links zoals `paragraphs`."
    )


class SourceOut(BaseModel):
    document: str
    section: str
    gemeente: str
    year: int | None = None
    passage: str | None = None
    url: str | None = Field(None, description="De brontekst op /bronnen, als die bekend is.")
    label: str | None = Field(None, description="De bron in woorden voor een inwoner.")


class ChatOut(BaseModel):
    session_id: str = Field(description="Stuur deze mee met het volgende bericht van hetzelfde gesprek.")
    replies: list[ReplyOut]
    sources: list[SourceOut]
    degraded: bool = Field(description="Waar als de assistent niet bereikbaar was: dan is het een noodantwoord.")
    crisis: bool
    lang: str = Field("nl", description="De taal van de antwoorden.")
    dir: str = Field("ltr", description="ltr of rtl.")
    simpler: bool = Field(False, description="Waar als minstens één antwoord een eenvoudiger versie (`simple`) heeft.")


class SearchOut(BaseModel):
    query: str
    gemeente: str
    topic: str | None
    services: list[dict[str, Any]]
    passages: list[dict[str, Any]]
    topics: list[dict[str, Any]]


class HealthOut(BaseModel):
    status: str = Field(description="ok, degraded (bijvoorbeeld Rasa onbereikbaar) of down")
    components: dict[str, dict[str, Any]]


class ErrorOut(BaseModel):
    detail: str
    field: str | None = None


class TooManyOut(BaseModel):
    detail: str = Field(description="Een Nederlandse zin die zegt hoe lang u moet wachten.")


# The rate limits (guard.py) answer every route; the OpenAPI description says so where clients look.
TOO_MANY: dict[str, Any] = {
    "model": TooManyOut,
    "description": "Te veel verzoeken; de header `Retry-After` zegt na hoeveel seconden het weer kan.",
}

"""GET /api/search: passages and places for the front desk and professionals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from connectors.api import validation
from connectors.api.errors import ApiError
from connectors.api.lookup import result_json, topic_listing
from connectors.api.schemas import TOO_MANY, ErrorOut, SearchOut
from connectors.api.state import AppState, SearchUnavailable
from index.errors import QueryError

router = APIRouter(tags=["zoeken"])
SERVICES_SHOWN = 3
ASKER = "balie"  # the lookup is for the front desk and professionals: "mevrouw aan de balie: ..." is a frame
SERVICES_WITH_TOPIC = 60  # with a topic filter, rank every place and keep those of the topic
PASSAGES_WITH_TOPIC = 4  # ... and look further down the passages


async def lookup(state: AppState, q: str, gemeente: str, k: int, topic: str | None) -> dict[str, Any]:
    if not q.strip() and topic:
        return topic_listing(state.knowledge, state.referral, gemeente, topic)
    if not q.strip():
        raise ApiError(422, "De zoekvraag is leeg. Typ een vraag of kies een onderwerp.", "q")
    query = validation.message(q)
    try:
        result = await state.searcher.search(
            query,
            gemeente,
            k=k * PASSAGES_WITH_TOPIC if topic else k,
            services=SERVICES_WITH_TOPIC if topic else SERVICES_SHOWN,
            role=ASKER,
        )
    except QueryError as error:
        raise ApiError(422, str(error), "q") from error
    except SearchUnavailable as error:
        raise ApiError(503, str(error)) from error
    fits = await state.searcher.passage_topics() if topic else None
    return result_json(result, state.knowledge, state.referral, k, SERVICES_SHOWN, topic, fits)


@router.get(
    "/api/search",
    response_model=SearchOut,
    responses={422: {"model": ErrorOut}, 429: TOO_MANY, 503: {"model": ErrorOut}},
)
async def search(
    request: Request,
    q: str = Query("", description="De vraag of zoekwoorden; hoogstens 2000 tekens."),
    gemeente: str = Query(..., description="De gemeente, bijvoorbeeld 'purmerend'."),
    k: int = Query(5, description="Aantal passages, 1 tot en met 20."),
    topic: str | None = Query(None, description="Alleen dit onderwerp, bijvoorbeeld 'schulden'."),
) -> dict[str, Any]:
    """Zoek passages (met bron) en plekken die passen bij een vraag. Met alleen een onderwerp: alle
    plekken van dat onderwerp."""
    state: AppState = request.app.state.wegwijzer
    place = validation.gemeente(state.knowledge, gemeente)
    return await lookup(state, q, place, validation.k(k), validation.topic(state.knowledge, topic))

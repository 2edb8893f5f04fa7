"""POST /api/chat: a message to the assistant, always answered (degraded when Rasa is down)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from connectors.api import validation
from connectors.api.schemas import ChatIn, ChatOut, ErrorOut
from connectors.api.sources import source_url
from connectors.api.state import AppState
from wegwijzer.chat import ChatAnswer, ChatRequest

router = APIRouter(tags=["chat"])


def chat_request(state: AppState, data: ChatIn) -> ChatRequest:
    return ChatRequest(
        session_id=validation.session_id(data.session_id),
        message=validation.message(data.message),
        gemeente=validation.gemeente(state.knowledge, data.gemeente),
        role=validation.role(data.role),  # type: ignore[arg-type]
        lang=validation.lang(data.lang),
    )


def answer_json(state: AppState, answer: ChatAnswer) -> dict[str, Any]:
    data = answer.to_json()
    for source in data["sources"]:
        source["url"] = source_url(state.knowledge, source["document"], source["section"], source["gemeente"])
    return data


async def ask(state: AppState, request: ChatRequest) -> ChatAnswer:
    """The assistant's answer; any failure on the way becomes the honest degraded answer."""
    try:
        return await state.assistant.chat(request)
    except Exception:  # the client already catches HTTP errors; this guards against anything else
        state.assistant.last_error = "onverwachte fout"
        return state.assistant.degraded(request)


@router.post("/api/chat", response_model=ChatOut, responses={422: {"model": ErrorOut}})
async def chat(data: ChatIn, request: Request) -> dict[str, Any]:
    """Stuur een bericht naar de assistent. Ook als de assistent niet werkt, komt er een antwoord
    (met `degraded: true` en het algemene contact van de gemeente)."""
    state: AppState = request.app.state.wegwijzer
    return answer_json(state, await ask(state, chat_request(state, data)))

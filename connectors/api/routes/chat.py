"""POST /api/chat: a message to the assistant, always answered (degraded when Rasa is down)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from connectors.api import validation
from connectors.api.schemas import TOO_MANY, ChatIn, ChatOut, ErrorOut
from connectors.api.sessions import Session, client_cookie, give_client_cookie
from connectors.api.sources import source_url
from connectors.api.state import AppState
from wegwijzer.chat import ChatAnswer, ChatRequest

router = APIRouter(tags=["chat"])


def chat_request(state: AppState, data: ChatIn, client: str | None) -> tuple[ChatRequest, Session]:
    """The checked request, and its conversation: the one the session token proves, else a new one."""
    token = validation.session_token(data.session_id)
    message = validation.message(data.message)
    gemeente = validation.gemeente(state.knowledge, data.gemeente)
    role = validation.role(data.role)
    lang = validation.lang(data.lang)
    session = state.sessions.resolve(token, client)
    request = ChatRequest(session_id=session.id, message=message, gemeente=gemeente, role=role, lang=lang)  # type: ignore[arg-type]
    return request, session


def answer_json(state: AppState, answer: ChatAnswer, session: Session) -> dict[str, Any]:
    data = answer.to_json()
    data["session_id"] = session.token  # the client's proof, not the id the assistant knows
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


@router.post(
    "/api/chat",
    response_model=ChatOut,
    responses={
        422: {"model": ErrorOut, "description": "Een veld klopt niet; `detail` zegt welk en wat er moet staan."},
        429: TOO_MANY,
    },
)
async def chat(data: ChatIn, request: Request, response: Response) -> dict[str, Any]:
    """Stuur een bericht naar de assistent. Ook als de assistent niet werkt, komt er een antwoord
    (met `degraded: true` en het algemene contact van de gemeente).

    Het eerste bericht heeft geen `session_id`: de API begint het gesprek en geeft er een terug. Stuur die
    mee met elk volgend bericht. Een `session_id` die de API niet zelf gaf, begint een nieuw gesprek."""
    state: AppState = request.app.state.wegwijzer
    chat_in, session = chat_request(state, data, client_cookie(request))
    give_client_cookie(request, response)
    return answer_json(state, await ask(state, chat_in), session)

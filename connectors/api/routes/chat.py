"""POST /api/chat: a message to the assistant, always answered (degraded when Rasa is down)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from connectors.api import validation
from connectors.api.linkify import paragraphs
from connectors.api.page_language import direction, page_language, source_label, with_lang, words
from connectors.api.schemas import TOO_MANY, ChatIn, ChatOut, ErrorOut
from connectors.api.sessions import Session, client_cookie, give_client_cookie
from connectors.api.sources import source_url
from connectors.api.state import AppState
from wegwijzer.chat import ChatAnswer, ChatRequest

router = APIRouter(tags=["chat"])


def chat_request(state: AppState, data: ChatIn, client: str | None) -> tuple[ChatRequest, Session]:
    """The checked request, and its conversation: the one the session token proves, else a new one. Reads the
    session bindings' database: call it from a worker thread."""
    token = validation.session_token(data.session_id)
    message = validation.message(data.message)
    gemeente = validation.gemeente(state.knowledge, data.gemeente)
    role = validation.role(data.role)
    lang = validation.lang(data.lang)
    session = state.sessions.resolve(token, client)
    request = ChatRequest(session_id=session.id, message=message, gemeente=gemeente, role=role, lang=lang)  # type: ignore[arg-type]
    return request, session


def answer_json(state: AppState, answer: ChatAnswer, session: Session, asked_lang: str | None = None) -> dict[str, Any]:
    """The answer for a page: each reply marked with its language and direction and cut into paragraphs
    with its phone numbers and web addresses as links; each source named for a resident, with its link."""
    data = answer.to_json()
    data["session_id"] = session.token  # the client's proof, not the id the assistant knows
    lang = page_language(state.knowledge, answer.lang or asked_lang)
    data["lang"], data["dir"] = lang, direction(lang)
    for reply in data["replies"]:
        reply.update(lang=lang, dir=direction(lang), paragraphs=paragraphs(reply["text"]))
        # "Zeg het simpeler": the reply in A2 when the content has it, with its links like the text's
        reply["simple_paragraphs"] = paragraphs(reply["simple"]) if reply.get("simple") else None
    data["simpler"] = any(reply.get("simple") for reply in data["replies"])
    page = words(state.knowledge, lang)
    for source in data["sources"]:
        url = source_url(state.knowledge, source["document"], source["section"], source["gemeente"])
        source["url"] = with_lang(url, lang)  # the source page in the answer's language
        source["label"] = source_label(source, page)
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

    Het eerste bericht heeft geen `session_id`: de API begint het gesprek en geeft er een terug. Stuur de
    `session_id` van het laatste antwoord mee met elk volgend bericht (hij kan veranderen: kwam er een cookie bij,
    dan hoort het gesprek vanaf dan bij die cookie en begint de oude `session_id` alleen een nieuw gesprek). Een
    `session_id` die de API niet zelf gaf, begint een nieuw gesprek."""
    state: AppState = request.app.state.wegwijzer
    chat_in, session = await run_in_threadpool(chat_request, state, data, client_cookie(request))
    give_client_cookie(request, response)
    return answer_json(state, await ask(state, chat_in), session, chat_in.lang)

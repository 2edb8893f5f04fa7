"""GET/POST /terugbellen: a server-rendered form (works without JavaScript) and what happens next."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from connectors.callback.delivery import CallbackSettings, deliver
from connectors.callback.form import BEST_TIMES, MAX_SUMMARY, check_form
from wegwijzer.knowledge import KnowledgeBase


def callback_router(
    knowledge: Callable[[Request], KnowledgeBase], settings: CallbackSettings | None = None
) -> APIRouter:
    router = APIRouter()
    config = settings or CallbackSettings.from_settings()

    def render(request: Request, status: int = 200, **context: object) -> HTMLResponse:
        kb = knowledge(request)
        gemeente = kb.gemeenten.get(str(context.get("values", {}).get("gemeente", "")))  # type: ignore[union-attr]
        return request.app.state.templates.TemplateResponse(
            request,
            "terugbellen.html",
            {
                "gemeenten": list(kb.gemeenten.values()),
                "best_times": BEST_TIMES,
                "max_summary": MAX_SUMMARY,
                "configured": config.configured,
                "gemeente": gemeente,
                "problems": {},
                "values": {},
                **context,
            },
            status_code=status,
        )

    @router.get("/terugbellen", response_class=HTMLResponse, include_in_schema=False)
    async def form(request: Request, gemeente: str = "", lang: str = "nl") -> HTMLResponse:
        return render(request, values={"gemeente": gemeente, "lang": lang})

    @router.post("/terugbellen", response_class=HTMLResponse, include_in_schema=False)
    async def submit(request: Request) -> HTMLResponse:
        fields = {k: str(v) for k, v in (await request.form()).items()}
        callback, problems = check_form(fields, set(knowledge(request).gemeenten))
        if callback is None:
            return render(request, status=422, problems=problems, values=fields)
        delivered = await deliver(callback, config)
        return render(request, status=200 if delivered else 503, sent=bool(delivered), values=fields)

    return router

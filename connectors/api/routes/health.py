"""GET /health: the state of every part; 200 with status 'degraded' when Rasa or the action server is down."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors.api.schemas import HealthOut
from connectors.api.state import AppState

router = APIRouter(tags=["status"])
NOT_BUILT = "de webbestanden zijn niet gebouwd: 'npm ci && npm run build' in connectors/web"


def web_status(state: AppState) -> dict[str, Any]:
    return (
        {"status": "ok"} if (state.settings.dist / "utrecht.css").is_file() else {"status": "down", "error": NOT_BUILT}
    )


def overall(components: dict[str, dict[str, Any]]) -> str:
    if components["knowledge"]["status"] != "ok":
        return "down"
    if all(c["status"] == "ok" for c in components.values()):
        return "ok"
    return "degraded"


@router.get("/health", response_model=HealthOut)
async def health(request: Request) -> JSONResponse:
    """De toestand van de kennisbank, de zoekindex, Rasa, de action server en de webbestanden."""
    state: AppState = request.app.state.wegwijzer
    knowledge = state.knowledge
    components: dict[str, dict[str, Any]] = {
        "knowledge": {
            "status": "ok",
            "gemeenten": sorted(knowledge.gemeenten),
            "services": len(knowledge.services),
            "content_hash": knowledge.content_hash,
        },
        "index": state.searcher.status,
        **await state.assistant.health(),
        "web": web_status(state),
    }
    status = overall(components)
    return JSONResponse({"status": status, "components": components}, status_code=503 if status == "down" else 200)

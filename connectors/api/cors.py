"""CORS for the municipal sites in WEGWIJZER_ALLOWED_ORIGINS; without it, none (same-origin only).

The widget needs no CORS: widget.js and widget.css are loaded by a plain <script> and <link>, and the
chat runs in a frame served by Wegwijzer that calls /api/chat on its own origin. CORS is only for a
municipality that calls the API from scripts on its own pages. Cookies are never allowed across sites
(no Access-Control-Allow-Credentials), and only Content-Type may be sent, so /beheer's Authorization
header cannot be used from another site either.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response

DENIED = "Deze website mag de Wegwijzer-API niet vanuit de browser gebruiken."


class DutchCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered like every other error: a Dutch sentence (403)."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code == 400:
            return JSONResponse({"detail": DENIED}, 403, {"Vary": "Origin"})
        return response


def install_cors(app: FastAPI, origins: tuple[str, ...]) -> None:
    if not origins:
        return
    app.add_middleware(
        DutchCORSMiddleware,
        allow_origins=list(origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        allow_credentials=False,
        expose_headers=["Retry-After"],
        max_age=600,
    )

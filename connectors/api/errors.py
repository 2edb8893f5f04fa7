"""Every error the API returns is one clear Dutch sentence in `detail`, never a stack trace or pydantic noise."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.field = status, detail, field


_TYPES = {
    "string_type": "moet tekst zijn",
    "int_type": "moet een heel getal zijn",
    "int_parsing": "moet een heel getal zijn",
    "bool_type": "moet waar of onwaar zijn",
    "bool_parsing": "moet waar of onwaar zijn",
}


# English details the libraries raise themselves, in Dutch (found by fuzzing: JSON nested too deep for Python).
LIBRARY_SENTENCES = {"There was an error parsing the body": "De aanvraag kon niet worden gelezen."}


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts)


def validation_sentence(errors: list[dict[str, Any]]) -> tuple[str, str | None]:
    """The first problem as a Dutch sentence, and the field it is about."""
    if not errors:
        return "De aanvraag is niet geldig.", None
    error = errors[0]
    kind, field = str(error.get("type", "")), _field(error.get("loc", ()))
    if kind == "json_invalid":
        return "De aanvraag is geen geldige JSON.", None
    if kind in ("model_attributes_type", "dict_type") or not field:
        return "Stuur een JSON-object met ten minste 'message' en 'gemeente'.", None
    if kind == "missing":
        return f"Het veld '{field}' ontbreekt.", field
    if kind in _TYPES:
        return f"Het veld '{field}' {_TYPES[kind]}.", field
    return f"Het veld '{field}' is niet geldig.", field


def _body(detail: str, field: str | None = None) -> dict[str, Any]:
    return {"detail": detail, "field": field} if field else {"detail": detail}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(_body(error.detail, error.field), status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        detail, field = validation_sentence(list(error.errors()))
        return JSONResponse(_body(detail, field), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        sentences = {404: "Deze pagina of dit adres bestaat niet.", 405: "Deze methode kan hier niet."}
        detail = error.detail if isinstance(error.detail, str) and error.status_code not in sentences else None
        detail = LIBRARY_SENTENCES.get(detail or "", detail)
        return JSONResponse(
            _body(detail or sentences.get(error.status_code, "De aanvraag kon niet worden verwerkt.")),
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        log.error("onverwachte fout: %s", type(error).__name__)  # never the request body: it may hold a message
        return JSONResponse(_body("Er ging iets mis aan onze kant. Probeer het later opnieuw."), status_code=500)

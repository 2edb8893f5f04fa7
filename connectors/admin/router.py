"""GET /beheer (HTML), GET /api/beheer/report (JSON) and the callback queue (/beheer/terugbellen), behind
WEGWIJZER_ADMIN_TOKEN.

Mount with `app.include_router(admin_router(store_factory))`. The factory is called on the first request that
needs the records (not at import), and its store is reused; if it fails, the next request tries again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from connectors.admin import auth, page
from connectors.callback.form import BEST_TIMES
from wegwijzer.records import RecordStore
from wegwijzer.records.model import utc_now
from wegwijzer.settings import SettingsError

LOGIN_BODY_MAX = 4096
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}
UNREACHABLE = "De gespreksverslagen zijn nu niet bereikbaar (database). Probeer het later opnieuw."

Days = Annotated[int, Query(ge=0, le=3650, description="de laatste N dagen; 0: alles wat bewaard is")]
Gemeente = Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9\-]*$", description="één gemeente")]
CallbackId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NEXT_PATHS = ("/beheer", page.QUEUE_PATH)  # where the login form may send staff back to: nowhere else


class _Stores:
    def __init__(self, factory: Callable[[], RecordStore]) -> None:
        self._factory = factory
        self._store: RecordStore | None = None
        self._lock = threading.Lock()

    def get(self) -> RecordStore:
        with self._lock:
            if self._store is None:
                self._store = self._factory()
            return self._store


def _html(content: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status, headers=HEADERS)


def _json(content: Any, status: int = 200, extra: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(content, status_code=status, headers={**HEADERS, **(extra or {})})


def _report(stores: _Stores, days: int, gemeente: str | None) -> dict[str, Any]:
    since = utc_now() - timedelta(days=days) if days else None
    return stores.get().report(since, gemeente or None)


def admin_router(store_factory: Callable[[], RecordStore]) -> APIRouter:
    router = APIRouter(tags=["beheer"])
    stores = _Stores(store_factory)

    @router.get("/beheer", response_class=HTMLResponse, summary="Verslag van de gesprekken (HTML, met token)")
    def beheer(request: Request, days: Days = 7, gemeente: Gemeente = None) -> Response:
        try:
            token = auth.configured_token()
        except auth.NotConfigured as error:
            return _html(page.message_page("Beheer", str(error)), 503)
        if not auth.is_authorised(request, token):
            return _html(page.login_page(), 401)
        try:
            report = _report(stores, days, gemeente)
            waiting = len(stores.get().waiting_callbacks(gemeente or None))
        except SQLAlchemyError:
            return _html(page.message_page("Beheer", UNREACHABLE), 503)
        except SettingsError as error:
            return _html(page.message_page("Beheer", str(error)), 503)
        return _html(page.report_page(report, days, gemeente, waiting))

    @router.get(page.QUEUE_PATH, response_class=HTMLResponse, summary="Terugbelverzoeken die wachten (met token)")
    def queue(request: Request, gemeente: Gemeente = None, verwijderd: int = 0) -> Response:
        refused = _refused(request, page.QUEUE_PATH)
        if refused is not None:
            return refused
        try:
            store = stores.get()
            items = store.waiting_callbacks(gemeente or None)
        except SQLAlchemyError:
            return _html(page.message_page("Beheer", UNREACHABLE), 503)
        except SettingsError as error:
            return _html(page.message_page("Beheer", str(error)), 503)
        return _html(page.queue_page(items, BEST_TIMES, store.callback_retention_days, done=bool(verwijderd)))

    @router.post(page.QUEUE_PATH + "/{callback_id}/afgehandeld", summary="Een terugbelverzoek is afgehandeld")
    def handled(request: Request, callback_id: CallbackId) -> Response:
        # The session cookie is SameSite=Strict: another site cannot make a logged-in browser post this.
        refused = _refused(request, page.QUEUE_PATH)
        if refused is not None:
            return refused
        try:
            stores.get().callback_handled(callback_id)
        except SQLAlchemyError:
            return _html(page.message_page("Beheer", UNREACHABLE), 503)
        except SettingsError as error:
            return _html(page.message_page("Beheer", str(error)), 503)
        # Gone already (a colleague was first) is the same outcome: the request is no longer waiting.
        return RedirectResponse(f"{page.QUEUE_PATH}?verwijderd=1", status_code=303, headers=HEADERS)

    @router.post("/beheer/login", response_class=HTMLResponse, summary="Inloggen met de toegangscode")
    async def login(request: Request) -> Response:
        try:
            token = auth.configured_token()
        except auth.NotConfigured as error:
            return _html(page.message_page("Beheer", str(error)), 503)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > LOGIN_BODY_MAX:
                return _html(page.login_page("Dit formulier is te groot."), 413)
        form = parse_qs(body.decode("utf-8", "replace"))
        given = form.get("token", [""])[0]
        next_path = form.get("next", ["/beheer"])[0]
        next_path = next_path if next_path in NEXT_PATHS else "/beheer"
        if not given or not auth.token_matches(given, token):
            return _html(page.login_page("Deze toegangscode klopt niet.", next_path), 401)
        response = RedirectResponse(next_path, status_code=303, headers=HEADERS)
        response.set_cookie(
            auth.COOKIE,
            auth.session_cookie(token),
            max_age=auth.SESSION_SECONDS,
            path="/",
            httponly=True,
            samesite="strict",
            secure=_is_https(request),
        )
        return response

    @router.post("/beheer/logout", summary="Uitloggen")
    def logout() -> Response:
        response = RedirectResponse("/beheer", status_code=303, headers=HEADERS)
        response.delete_cookie(auth.COOKIE, path="/", httponly=True, samesite="strict")
        return response

    @router.get("/api/beheer/report", summary="Verslag van de gesprekken (JSON, met token)")
    def report_json(request: Request, days: Days = 7, gemeente: Gemeente = None) -> Response:
        try:
            token = auth.configured_token()
        except auth.NotConfigured as error:
            return _json({"detail": str(error)}, 503)
        if not auth.is_authorised(request, token):
            return _json(
                {"detail": "Toegangscode ontbreekt of klopt niet (Authorization: Bearer <token>)."},
                401,
                {"WWW-Authenticate": 'Bearer realm="beheer"'},
            )
        try:
            return _json(_report(stores, days, gemeente))
        except SQLAlchemyError:
            return _json({"detail": UNREACHABLE}, 503)
        except SettingsError as error:
            return _json({"detail": str(error)}, 503)

    return router


def _refused(request: Request, path: str) -> Response | None:
    """The page to show instead when the admin pages are off or the request carries no valid token."""
    try:
        token = auth.configured_token()
    except auth.NotConfigured as error:
        return _html(page.message_page("Beheer", str(error)), 503)
    if not auth.is_authorised(request, token):
        return _html(page.login_page(next_path=path), 401)
    return None


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"

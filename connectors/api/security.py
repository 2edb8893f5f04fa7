"""Security in front of every route: request limits, CORS, security headers on every response, and an
access log without query strings or message texts.

`install_security(app, settings)` puts them in this order, outermost first:

    proxy headers  ->  security headers  ->  CORS  ->  body limit (413)  ->  rate limits (429)  ->  the routes

so a refused request (413, 429, a refused CORS preflight) still carries the security headers, and a
429 still carries the CORS headers a municipal site's script needs to read its sentence.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from connectors.api.cors import install_cors
from connectors.api.errors import ApiError
from connectors.api.guard import BodyLimit, CrisisCheck, RateLimits
from connectors.api.proxies import ProxyHeaders, TrustedProxies
from connectors.api.settings import ApiSettings

WIDGET_FRAME_PATH = "/widget/frame"
_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")
HSTS = "max-age=31536000"


def content_security_policy(frame_ancestors: str) -> str:
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        f"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )


def install_security(app: FastAPI, settings: ApiSettings) -> None:
    app.add_middleware(RateLimits, limits=settings.limits, crisis=_crisis_check(app))
    app.add_middleware(BodyLimit, max_bytes=settings.limits.max_body_bytes)
    install_cors(app, settings.allowed_origins)
    install_security_headers(app, settings)
    app.add_middleware(ProxyHeaders, proxies=TrustedProxies(settings.trusted_proxies))  # added last: outermost


def _crisis_check(app: FastAPI) -> CrisisCheck:
    """The assistant client's crisis check, once the app's state exists (made in the lifespan)."""

    def check(message: str) -> bool:
        return bool(app.state.wegwijzer.assistant.crisis_check(message))

    return check


def _widget_gemeente(request: Request) -> str | None:
    """The gemeente of the widget frame (its id, also when the address uses a name or alias)."""
    from connectors.api import validation  # late: validation pulls in the index package

    value = request.query_params.get("gemeente")
    if not value:
        return None
    try:
        return validation.gemeente(request.app.state.wegwijzer.knowledge, value)
    except (ApiError, AttributeError):
        return None


def own_sites(request: Request, gemeente: str | None) -> str:
    """The gemeente's own website and its subdomains (knowledge/gemeenten), and this site: where its widget may be."""
    sources = ["'self'"]
    place = request.app.state.wegwijzer.knowledge.gemeenten.get(gemeente) if gemeente else None
    website = (place.general_contact.website or "") if place is not None else ""
    host = website.strip().lower().removeprefix("https://").removeprefix("http://").split("/")[0]
    if host.startswith("www."):
        host = host[4:]
    if host and _HOST.fullmatch(host):
        sources += [f"https://{host}", f"https://*.{host}"]
    return " ".join(sources)


def install_security_headers(app: FastAPI, settings: ApiSettings) -> None:
    strict = content_security_policy("'self'")
    policies: dict[str, str] = {}

    def widget_policy(request: Request) -> str:
        gemeente = _widget_gemeente(request)
        ancestors = settings.frame_ancestors(gemeente)
        if ancestors is None:
            try:
                ancestors = own_sites(request, gemeente)
            except AttributeError:  # the app's state is not there yet (start-up): only this site
                ancestors = "'self'"
        if ancestors not in policies:
            policies[ancestors] = content_security_policy(ancestors)
        return policies[ancestors]

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        path = request.url.path
        # A route's own, stricter policy (/beheer: frame-ancestors 'none') stays; the rest gets the general one.
        if "content-security-policy" not in response.headers:
            policy = widget_policy(request) if path == WIDGET_FRAME_PATH else strict
            response.headers["Content-Security-Policy"] = policy
        if path != WIDGET_FRAME_PATH and "x-frame-options" not in response.headers:
            never = "frame-ancestors 'none'" in response.headers["content-security-policy"]
            response.headers["X-Frame-Options"] = "DENY" if never else "SAMEORIGIN"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), clipboard-write=(self)"
        if request.url.scheme == "https":  # behind a trusted TLS proxy (X-Forwarded-Proto, proxies.py)
            response.headers["Strict-Transport-Security"] = HSTS
        if path.startswith("/api/") or path in ("/chat", "/health"):
            response.headers["Cache-Control"] = "no-store"
        return response


class NoQueryStrings(logging.Filter):
    """Uvicorn's access log writes the client's address and the path with its query string;
    /api/search?q=... would log what a resident or front-desk worker typed. Keep the path only, and
    no address (the privacy page promises it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = ("-", args[1], args[2].split("?", 1)[0], *args[3:])
        return True


def install_access_log_filter() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, NoQueryStrings) for f in access.filters):
        access.addFilter(NoQueryStrings())

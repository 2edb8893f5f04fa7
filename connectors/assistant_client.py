"""Talk to the Rasa assistant over its REST channel; answer honestly when it cannot be reached.

Every channel (the web chat, the widget, Telegram) goes through `AssistantClient.chat`, so a
resident always gets an answer: the bot's own replies, or a degraded answer with the gemeente's
general contact (and the crisis lines first when the message shows crisis signs) when Rasa or
the action server is down, errs, times out or says nothing.

Rasa never sees who is talking: each call carries the internal token (Rasa's channel hears nobody else),
and the session goes to Rasa as its keyed hash (wegwijzer.privacy.keys), with metadata limited to the
channel context. Message texts are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Callable
from typing import Any

import httpx

from wegwijzer.chat import ChatAnswer, ChatRequest, answer_from_rasa
from wegwijzer.dialogue.crisis import CrisisDetector
from wegwijzer.dialogue.fallback import unavailable_answer
from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.privacy.keys import TOKEN_HEADER, internal_token, rasa_sender, session_key
from wegwijzer.settings import load_settings

log = logging.getLogger(__name__)

CHAT_TIMEOUT_S = 20.0
HEALTH_TIMEOUT_S = 2.0
KEEPALIVE_S = 4.0  # below the 5 s keep-alive of Rasa (Sanic) and uvicorn: never reuse a socket they close

# The crisis detector for the degraded answer: the API's own (with the classifier) once its index is
# loaded, the patterns alone before that or without an index.
DetectorFn = Callable[[], CrisisDetector]


def replicas(urls: str) -> list[str]:
    return [u.strip().rstrip("/") for u in urls.split(",") if u.strip()]


def spread(urls: list[str], session_id: str) -> list[str]:
    """The replicas in the order this session tries them: its own first, then the others."""
    start = zlib.crc32(session_id.encode()) % len(urls)
    return urls[start:] + urls[:start]


class AssistantClient:
    def __init__(
        self,
        knowledge: KnowledgeBase,
        base_url: str | None = None,
        actions_url: str | None = None,
        timeout: float = CHAT_TIMEOUT_S,
        crisis: DetectorFn | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        token: str | None = None,
        sender_key: bytes | None = None,
    ) -> None:
        self.knowledge = knowledge
        settings = load_settings()
        self.base_urls = replicas(base_url or settings.rasa_url)  # one Rasa server, or several sharing the stores
        self.base_url = self.base_urls[0]
        self.actions_url = (actions_url or settings.action_url).rstrip("/")
        self.timeout = timeout
        patterns = CrisisDetector(knowledge)
        self.crisis: DetectorFn = crisis or (lambda: patterns)
        self._transport = transport
        self.token = token if token is not None else internal_token(settings.internal_token, settings.var)
        self.sender_key = sender_key if sender_key is not None else session_key(settings.session_key, settings.var)
        self._http: httpx.AsyncClient | None = None  # one client (one SSL context, one pool) for all turns
        self._loop: asyncio.AbstractEventLoop | None = None  # the event loop that client belongs to
        self.last_error: str | None = None  # why the last chat was degraded, for /health (never the message)

    def _new_client(self) -> httpx.AsyncClient:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=KEEPALIVE_S)
        return httpx.AsyncClient(
            timeout=self.timeout,
            limits=limits,
            transport=self._transport,
            trust_env=False,
            headers={TOKEN_HEADER: self.token},
        )

    def _client(self) -> httpx.AsyncClient:
        """The shared client, made on first use in the running event loop. A client of another loop
        (tests run one per test; TestClient one per `with`) or a closed one is replaced, not reused."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._http.is_closed or self._loop is not loop:
            self._http, self._loop = self._new_client(), loop
        return self._http

    async def aclose(self) -> None:
        """Close the shared client (the API's lifespan does, on shutdown); a later turn makes a new one."""
        client, loop = self._http, self._loop
        self._http = self._loop = None
        if client is not None and loop is asyncio.get_running_loop():
            await client.aclose()

    async def chat(self, request: ChatRequest) -> ChatAnswer:
        sender = rasa_sender(request.session_id, self.sender_key)
        payload = {"sender": sender, "message": request.message, "metadata": request.metadata()}
        try:
            response = await self._post_to_a_replica(request.session_id, payload)
            response.raise_for_status()
            answer = answer_from_rasa(request.session_id, response.json(), request.gemeente)
        except (httpx.HTTPError, ValueError) as error:
            self.last_error = type(error).__name__
            log.warning("assistent niet bereikbaar (%s); noodantwoord gegeven", type(error).__name__)
            return self.degraded(request)
        if answer is None:
            self.last_error = "leeg antwoord"
            log.warning("assistent gaf geen antwoord; noodantwoord gegeven")
            return self.degraded(request)
        self.last_error = None
        return answer

    async def _post_to_a_replica(self, session_id: str, payload: dict[str, Any]) -> httpx.Response:
        """Each session goes to its own Rasa replica; when that one cannot be reached, to the next.

        Only a refused or broken connection moves on (Rasa saves a turn when it is done, so that is
        safe to repeat); a slow answer is not sent twice."""
        urls = spread(self.base_urls, session_id)
        client = self._client()
        for number, url in enumerate(urls, start=1):
            try:
                return await client.post(f"{url}/webhooks/rest/webhook", json=payload, timeout=self.timeout)
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as error:
                if number == len(urls):
                    raise
                log.warning("Rasa-replica niet bereikbaar (%s); volgende geprobeerd", type(error).__name__)
        raise httpx.ConnectError("geen Rasa-replica ingesteld")

    def crisis_check(self, message: str) -> bool:
        """Does the message show crisis signs (any tier)? Such a message is never refused by a limit."""
        return bool(self.crisis().check(message))

    def degraded(self, request: ChatRequest) -> ChatAnswer:
        detector = self.crisis()
        finding = detector.check(request.message)
        answer = unavailable_answer(self.knowledge, request.gemeente, request.lang, finding, detector)
        lang = request.lang if request.lang in self.knowledge.texts else "nl"
        return ChatAnswer(
            session_id=request.session_id, replies=list(answer), degraded=True, crisis=finding.clear, lang=lang
        )

    async def _probe(self, client: httpx.AsyncClient, url: str) -> dict[str, Any]:
        try:
            response = await client.get(url, timeout=HEALTH_TIMEOUT_S)
        except httpx.HTTPError as error:
            return {"status": "down", "url": url, "error": type(error).__name__}
        if response.status_code >= 400:
            return {"status": "down", "url": url, "error": f"HTTP {response.status_code}"}
        info: dict[str, Any] = {"status": "ok", "url": url}
        if response.text.startswith("Hello from Rasa: "):  # Rasa's root page names its version
            info["version"] = response.text.removeprefix("Hello from Rasa: ").strip()
            return info
        try:
            body = response.json()
        except ValueError:
            return info
        if isinstance(body, dict) and body.get("version"):
            info["version"] = str(body["version"])
        if isinstance(body, dict) and isinstance(body.get("status"), str) and body["status"] != "ok":
            info["status"] = body["status"]  # the action server says 'degraded' when its index is missing
            info["error"] = str(body.get("index") or body["status"])
        return info

    async def health(self) -> dict[str, Any]:
        """The state of Rasa (GET /, served without --enable-api) and of the action server (GET /health)."""
        client = self._client()
        servers = [await self._probe(client, f"{url}/") for url in self.base_urls]
        up = [server for server in servers if server["status"] == "ok"]
        rasa = dict(up[0] if up else servers[0])
        if len(servers) > 1:
            rasa["replicas"] = servers
        actions = await self._probe(client, f"{self.actions_url}/health")
        if self.last_error and rasa["status"] == "ok":
            rasa["last_chat_error"] = self.last_error
        return {"rasa": rasa, "action_server": actions}

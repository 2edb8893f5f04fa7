"""A local stand-in for Telegram's Bot API server, over real HTTP, that records every call.

python-telegram-bot is pointed at it with base_url; it answers the methods the bot uses the way
Telegram does (including Telegram's checks: HTML that does not parse, messages over 4096
characters, callback data over 64 bytes and empty texts get 400 Bad Request), queues updates for
getUpdates (long polling), and builds the update JSON that Telegram would send to a webhook.
Telegram's servers are the only thing the tests fake.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_ID = 7_000_000_001
BOT_USERNAME = "wegwijzer_test_bot"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
_ALLOWED_TAGS = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "code": {"class"},
    "pre": set(),
    "a": {"href"},
    "blockquote": {"expandable"},
    "tg-spoiler": set(),
    "span": {"class"},
    "tg-emoji": {"emoji-id"},
}
_TOKEN = re.compile(
    r"<(?P<close>/)?(?P<tag>[a-z][a-z-]*)(?P<attrs>(?:\s+[a-z-]+(?:=\"[^\"<>]*\")?)*)\s*>"
    r"|&(?P<entity>lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);"
    r"|(?P<text>[^<>&]+)"
)


class ParseError(ValueError):
    pass


def parse_telegram_html(html: str) -> str:
    """The plain text of a message in Telegram's HTML parse mode; ParseError where Telegram would refuse it."""
    out: list[str] = []
    stack: list[str] = []
    position = 0
    while position < len(html):
        match = _TOKEN.match(html, position)
        if match is None:
            raise ParseError(f"can't parse entities: unexpected {html[position]!r} at offset {position}")
        position = match.end()
        if match.group("text") is not None:
            out.append(match.group("text"))
        elif match.group("entity") is not None:
            out.append(unescape(f"&{match.group('entity')};"))
        else:
            tag = match.group("tag")
            if tag not in _ALLOWED_TAGS:
                raise ParseError(f"can't parse entities: unsupported start tag {tag!r}")
            if match.group("close"):
                if not stack or stack[-1] != tag:
                    raise ParseError(f"can't parse entities: unexpected end tag {tag!r}")
                stack.pop()
            else:
                names = set(re.findall(r"([a-z-]+)(?:=|\s|$)", match.group("attrs") or ""))
                if not names <= _ALLOWED_TAGS[tag]:
                    raise ParseError(f"can't parse entities: unsupported attribute in {tag!r}")
                stack.append(tag)
    if stack:
        raise ParseError(f"can't parse entities: can't find end tag corresponding to start tag {stack[-1]!r}")
    return "".join(out)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    method: str
    params: dict[str, str]
    status: int = 200
    error: str | None = None

    def json(self, name: str) -> Any:
        value = self.params.get(name)
        return None if value is None else json.loads(value)

    @property
    def text(self) -> str:
        return self.params.get("text", "")

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        markup = self.json("reply_markup") or {}
        return markup.get("inline_keyboard", [])


@dataclass
class FakeBotApi:
    token: str
    calls: list[Call] = field(default_factory=list)
    max_poll_wait: float = 0.5
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _callback_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _server: ThreadingHTTPServer | None = None

    # -- server -----------------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload = api.handle(self.path, self.headers.get("Content-Type", ""), body)
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the bot stopped while long polling
                    self.close_connection = True

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-bot-api", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- requests ---------------------------------------------------------------------------

    def handle(self, path: str, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", path.split("?")[0])
        if match is None or match.group("token") != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        params = self._params(content_type, body)
        call = Call(match.group("method"), params)
        try:
            result = self._dispatch(call)
        except ParseError as error:
            call.status, call.error = 400, f"Bad Request: {error}"
        except LookupError as error:
            call.status, call.error = 404 if str(error) == "method" else 400, f"Bad Request: {error}"
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        if call.error:
            return call.status, {"ok": False, "error_code": call.status, "description": call.error}
        return 200, {"ok": True, "result": result}

    @staticmethod
    def _params(content_type: str, body: bytes) -> dict[str, str]:
        if not body:
            return {}
        if content_type.startswith("application/json"):
            data = json.loads(body)
            return {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}
        if content_type.startswith("multipart/"):
            raise AssertionError("the bot sends no files; multipart is not expected")
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))

    def _dispatch(self, call: Call) -> Any:
        handler: Callable[[Call], Any] | None = getattr(self, f"api_{call.method}", None)
        if handler is None:
            raise LookupError("method")
        return handler(call)

    # -- Bot API methods --------------------------------------------------------------------

    def api_getMe(self, call: Call) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Wegwijzer",
            "username": BOT_USERNAME,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _check_text(self, call: Call) -> str:
        text = call.text
        plain = parse_telegram_html(text) if call.params.get("parse_mode") == "HTML" else text
        if not plain.strip():
            raise LookupError("message text is empty")
        if utf16_len(plain) > MAX_TEXT:
            raise LookupError("message is too long")
        self._check_markup(call)
        return plain

    def _check_markup(self, call: Call) -> None:
        for row in call.keyboard:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
                    raise LookupError("BUTTON_DATA_INVALID")

    def _message(self, chat_id: int, text: str, markup: Any = None) -> dict[str, Any]:
        message_id = next(self._message_ids)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Wegwijzer", "username": BOT_USERNAME},
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        self._messages[message_id] = message
        return message

    def api_sendMessage(self, call: Call) -> dict[str, Any]:
        plain = self._check_text(call)
        return self._message(int(call.params["chat_id"]), plain, call.json("reply_markup"))

    def api_editMessageText(self, call: Call) -> dict[str, Any]:
        plain = self._check_text(call)
        message = self._messages.get(int(call.params.get("message_id", 0)))
        if message is None:
            raise LookupError("message to edit not found")
        message["text"] = plain
        message.pop("reply_markup", None)
        if call.json("reply_markup"):
            message["reply_markup"] = call.json("reply_markup")
        return message

    def api_editMessageReplyMarkup(self, call: Call) -> dict[str, Any]:
        self._check_markup(call)
        message = self._messages.get(int(call.params.get("message_id", 0)))
        if message is None:
            raise LookupError("message to edit not found")
        message.pop("reply_markup", None)
        if call.json("reply_markup"):
            message["reply_markup"] = call.json("reply_markup")
        return message

    def api_answerCallbackQuery(self, call: Call) -> bool:
        return True

    def api_sendChatAction(self, call: Call) -> bool:
        return True

    def api_setMyCommands(self, call: Call) -> bool:
        return True

    def api_setWebhook(self, call: Call) -> bool:
        return True

    def api_deleteWebhook(self, call: Call) -> bool:
        return True

    def api_getWebhookInfo(self, call: Call) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def api_getUpdates(self, call: Call) -> list[dict[str, Any]]:
        offset = int(call.params.get("offset") or 0)
        wait = min(float(call.params.get("timeout") or 0), self.max_poll_wait)
        deadline = time.monotonic() + wait
        with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]  # confirmed ones are gone
            while not self._updates and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            return list(self._updates)

    # -- for the tests ----------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (polling mode)."""
        with self._changed:
            self._updates.append(update)
            self._changed.notify_all()

    def calls_of(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls_of("sendMessage") if chat_id is None or c.params["chat_id"] == str(chat_id)]

    def errors(self) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.error]

    def wait_for(self, check: Callable[[FakeBotApi], bool], timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not check(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    methods = [c.method for c in self.calls]
                    raise AssertionError(f"the bot did not make the expected calls within {timeout} s: {methods}")
                self._changed.wait(left)

    def last_message_id(self) -> int:
        """The id of the last message the bot sent (to tap one of its buttons)."""
        with self._changed:
            return max(self._messages)

    def clear(self) -> None:
        with self._changed:
            self.calls.clear()

    def user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"Gebruiker{user_id}", "language_code": "nl"}

    def message_update(self, user_id: int, text: str, chat_type: str = "private") -> dict[str, Any]:
        """The update Telegram sends when `user_id` writes `text` (commands get their bot_command entity)."""
        chat_id = user_id if chat_type == "private" else -100_000 - user_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": self.user(user_id),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return {"update_id": next(self._update_ids), "message": message}

    def callback_update(self, user_id: int, data: str, message_id: int | None = None) -> dict[str, Any]:
        """The update Telegram sends when `user_id` taps an inline button with callback data `data`."""
        message = self._messages.get(message_id) if message_id is not None else None
        if message is None:
            message = self._message(user_id, "…")
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._callback_ids)),
                "from": self.user(user_id),
                "chat_instance": f"ci-{user_id}",
                "message": message,
                "data": data,
            },
        }

    def photo_update(self, user_id: int) -> dict[str, Any]:
        return {
            "update_id": next(self._update_ids),
            "message": {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private"},
                "from": self.user(user_id),
                "photo": [{"file_id": "f1", "file_unique_id": "u1", "width": 10, "height": 10}],
            },
        }

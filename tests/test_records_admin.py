"""The /beheer router in its own small FastAPI app, over real HTTP (uvicorn on a free port)."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from connectors.admin import admin_router, auth
from wegwijzer.records import RecordStore, TurnRecord

TOKEN = "een-lange-geheime-toegangscode-42"
BSN = "123456782"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RecordStore]:
    path = Path(tmp_path_factory.mktemp("beheer")) / "records.db"
    store = RecordStore(f"sqlite:///{path}", key=b"k")
    store.create_tables()
    now = datetime.now(UTC)
    store.record_turn(TurnRecord("a", f"Mijn bsn is {BSN}, <script>alert(1)</script>", "not_sure", "purmerend", "nl"))
    store.record_turn(TurnRecord("b", "huur betalen", "answered", "purmerend", "nl", channel="web"))
    store.record_feedback("b", helped=False)
    store.record_turn(TurnRecord("c", "mantelzorg", "answered", "leiderdorp", "en", channel="telegram"))
    store.record_turn(TurnRecord("d", "heel oud", "fallback", "leiderdorp", at=now - timedelta(days=20)))
    yield store
    store.close()


@pytest.fixture(scope="module")
def base(records: RecordStore) -> Iterator[str]:
    app = FastAPI()
    app.include_router(admin_router(lambda: records))
    with serve(app) as url:
        yield url


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(auth.TOKEN_ENV, TOKEN)
    return TOKEN


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


# ---- switched off ----------------------------------------------------------------------------------------------------


def test_without_a_token_the_pages_are_off(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(auth.TOKEN_ENV, raising=False)
    page = httpx.get(f"{base}/beheer")
    assert page.status_code == 503 and "WEGWIJZER_ADMIN_TOKEN" in page.text
    api = httpx.get(f"{base}/api/beheer/report", headers=bearer("iets"))
    assert api.status_code == 503 and "WEGWIJZER_ADMIN_TOKEN" in api.json()["detail"]
    login = httpx.post(f"{base}/beheer/login", data={"token": "iets"})
    assert login.status_code == 503


def test_a_short_token_is_refused(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.TOKEN_ENV, "kort")
    response = httpx.get(f"{base}/api/beheer/report", headers=bearer("kort"))
    assert response.status_code == 503 and "16 tekens" in response.json()["detail"]


# ---- bearer ----------------------------------------------------------------------------------------------------------


def test_missing_or_wrong_token_is_401(base: str, token: str) -> None:
    for headers in ({}, bearer("fout-fout-fout-fout-fout"), bearer(token + "x"), {"Authorization": f"Basic {token}"}):
        api = httpx.get(f"{base}/api/beheer/report", headers=headers)
        assert api.status_code == 401, headers
        assert api.headers["www-authenticate"].startswith("Bearer")
        assert "conversations" not in api.text
        page = httpx.get(f"{base}/beheer", headers=headers)
        assert page.status_code == 401 and 'action="/beheer/login"' in page.text


def test_json_report_with_bearer(base: str, token: str) -> None:
    response = httpx.get(f"{base}/api/beheer/report", headers=bearer(token))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    report = response.json()
    assert report["conversations"] == 3 and report["questions"] == 3
    assert report["feedback"] == {"helped": 0, "not_helped": 1, "share_helped": 0.0}
    assert report["top_unanswered"][0]["question"] == "Mijn bsn is [BSN], <script>alert(1)</script>"
    everything = httpx.get(f"{base}/api/beheer/report", params={"days": 0}, headers=bearer(token)).json()
    assert everything["conversations"] == 4
    leiderdorp = httpx.get(f"{base}/api/beheer/report", params={"gemeente": "leiderdorp"}, headers=bearer(token))
    assert leiderdorp.json()["conversations"] == 1
    bad = httpx.get(f"{base}/api/beheer/report", params={"gemeente": "<x>"}, headers=bearer(token))
    assert bad.status_code == 422


def test_html_page_is_plain_and_escaped(base: str, token: str) -> None:
    response = httpx.get(f"{base}/beheer", headers=bearer(token))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "<script" not in html.lower() and "<style" not in html.lower() and " style=" not in html.lower()
    assert re.search(r"\son\w+=", html) is None  # no inline event handlers
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and BSN not in html
    assert '<th scope="col">gemeente</th>' in html and '<th scope="row">purmerend</th>' in html
    assert "Beantwoord" in html and "66,7%" in html and "Per kanaal" in html
    assert "default-src 'none'" in response.headers["content-security-policy"]


# ---- login form and cookie ----------------------------------------------------------------------------------------


def test_login_sets_a_strict_httponly_cookie(base: str, token: str) -> None:
    with httpx.Client(base_url=base) as client:
        wrong = client.post("/beheer/login", data={"token": "niet-de-goede-code-123"})
        assert wrong.status_code == 401 and "klopt niet" in wrong.text and not wrong.cookies
        right = client.post("/beheer/login", data={"token": token})
        assert right.status_code == 303 and right.headers["location"] == "/beheer"
        cookie = right.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict") and "Path=/" in cookie
        assert token not in cookie
        page = client.get("/beheer")
        assert page.status_code == 200 and "Samenvatting" in page.text
        assert client.get("/api/beheer/report").status_code == 200  # the same cookie works for the JSON
        out = client.post("/beheer/logout")
        assert out.status_code == 303
        assert client.get("/beheer").status_code == 401


def test_tampered_expired_or_old_cookies_are_refused(base: str, token: str, monkeypatch: pytest.MonkeyPatch) -> None:
    good = auth.session_cookie(token)
    expires, _, signature = good.partition(".")
    tampered = f"{int(expires) + 3600}.{signature}"
    expired = auth.session_cookie(token, now=time.time() - auth.SESSION_SECONDS - 10)
    for value in (tampered, expired, "garbage", f"{expires}.", token):
        response = httpx.get(f"{base}/beheer", cookies={auth.COOKIE: value})
        assert response.status_code == 401, value
    assert httpx.get(f"{base}/beheer", cookies={auth.COOKIE: good}).status_code == 200
    monkeypatch.setenv(auth.TOKEN_ENV, "een-nieuwe-toegangscode-na-rotatie")
    assert httpx.get(f"{base}/beheer", cookies={auth.COOKIE: good}).status_code == 401


def test_tokens_are_compared_in_constant_time(base: str, token: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = auth.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append(1)
        return original(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    httpx.get(f"{base}/api/beheer/report", headers=bearer("fout-fout-fout-fout-fout"))
    httpx.post(f"{base}/beheer/login", data={"token": "fout-fout-fout-fout-fout"})
    httpx.get(f"{base}/beheer", cookies={auth.COOKIE: auth.session_cookie(token)})
    assert len(calls) == 3


# ---- the database away ---------------------------------------------------------------------------------------------


def test_unreachable_database_is_503(token: str) -> None:
    app = FastAPI()
    app.include_router(admin_router(lambda: RecordStore(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/x")))
    with serve(app) as url:
        api = httpx.get(f"{url}/api/beheer/report", headers=bearer(token), timeout=30)
        assert api.status_code == 503 and "niet bereikbaar" in api.json()["detail"]
        page = httpx.get(f"{url}/beheer", headers=bearer(token), timeout=30)
        assert page.status_code == 503 and "niet bereikbaar" in page.text


def test_an_oversized_login_form_is_refused(base: str, token: str) -> None:
    response = httpx.post(f"{base}/beheer/login", data={"token": "x" * 10_000})
    assert response.status_code == 413

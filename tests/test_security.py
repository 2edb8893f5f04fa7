"""The API's security over real HTTP (uvicorn in its own process, Rasa down so chats answer at once):
body size (413), rate limits per session, per address and on the /beheer login (429 with Retry-After),
CORS for configured sites only, and the security headers, also on refused requests.

The limits server trusts X-Forwarded-For from 127.0.0.1 (WEGWIJZER_TRUSTED_PROXIES, as behind a proxy), so
each test plays its own client address and the tests do not share limits."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest

from connectors.api.launch import free_port, running_api

pytestmark = pytest.mark.slow

ADMIN_TOKEN = "security-test-toegangscode-1234567890"
PURMEREND_SITE = "https://www.purmerend.nl"
_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


def rasa_down() -> dict[str, str]:
    down = f"http://127.0.0.1:{free_port()}"
    return {"WEGWIJZER_RASA_URL": down, "WEGWIJZER_ACTION_URL": down}


@pytest.fixture(scope="module")
def limited() -> Iterator[str]:
    env = {
        **rasa_down(),
        "WEGWIJZER_TRUSTED_PROXIES": "127.0.0.1",  # the test is the proxy: its X-Forwarded-For is believed
        "WEGWIJZER_RATE_EXEMPT": "",
        "WEGWIJZER_RATE_SESSION": "3",
        "WEGWIJZER_RATE_ADDRESS": "10",
        "WEGWIJZER_RATE_LOGIN": "2",
        "WEGWIJZER_ALLOWED_ORIGINS": f"{PURMEREND_SITE},http://localhost:3000",
        "WEGWIJZER_WIDGET_HOSTS": "https://www.example.nl",
        "WEGWIJZER_WIDGET_HOSTS_PURMEREND": f"{PURMEREND_SITE} https://*.purmerend.nl",
        "WEGWIJZER_ADMIN_TOKEN": ADMIN_TOKEN,
    }
    with running_api(env, need_index=False) as base:
        yield base


@pytest.fixture(scope="module")
def direct() -> Iterator[str]:
    """No trusted proxy and no CORS sites (the defaults), a small per-address limit that holds for 127.0.0.1."""
    env = {**rasa_down(), "WEGWIJZER_RATE_EXEMPT": "", "WEGWIJZER_RATE_ADDRESS": "5"}
    with running_api(env, need_index=False) as base:
        yield base


@pytest.fixture(scope="module")
def proxied() -> Iterator[str]:
    """As in production behind a proxy on this machine: the proxy (127.0.0.1) is trusted, and this machine's own
    address keeps its default exemption (for local tools). The limit per address is the default, 120 a minute."""
    env = {**rasa_down(), "WEGWIJZER_TRUSTED_PROXIES": "127.0.0.1"}
    with running_api(env, need_index=False) as base:
        yield base


def client(base: str, address: str | None = None, **headers: str) -> httpx.Client:
    """A client that comes from its own address (through the trusted proxy) unless one is given."""
    return httpx.Client(base_url=base, timeout=30, headers={"X-Forwarded-For": address or next(_addresses), **headers})


def chat(api: httpx.Client, session: str, message: str = "ik heb schulden", **headers: str) -> httpx.Response:
    return api.post(
        "/api/chat", json={"session_id": session, "message": message, "gemeente": "purmerend"}, headers=headers
    )


def dutch_detail(response: httpx.Response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.endswith("."), detail
    for word in words:
        assert word in detail, detail
    return detail


def assert_security_headers(response: httpx.Response) -> None:
    headers = response.headers
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "SAMEORIGIN"


# --- body size ----------------------------------------------------------------------------------------------


def test_a_body_over_16_kb_gets_413_with_a_dutch_sentence(limited: str) -> None:
    with client(limited) as api:
        body = {"session_id": "big-1", "message": "schulden " * 2000, "gemeente": "purmerend"}
        response = api.post("/api/chat", json=body)
        dutch_detail(response, 413, "te groot", "16 kB")
        assert_security_headers(response)
        assert response.headers["cache-control"] == "no-store"


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(limited: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"session_id": "big-2", "gemeente": "purmerend", "message": "'
        for _ in range(40):
            yield b"x" * 1024
        yield b'"}'

    with client(limited) as api:
        response = api.post("/api/chat", content=chunks(), headers={"Content-Type": "application/json"})
        assert "content-length" not in response.request.headers  # sent chunked
        dutch_detail(response, 413, "te groot")


def test_a_big_form_gets_a_page_not_json(limited: str) -> None:
    with client(limited, Accept="text/html,application/xhtml+xml") as api:
        response = api.post("/chat", data={"message": "x" * 20_000, "gemeente": "purmerend"})
        assert response.status_code == 413
        assert response.headers["content-type"].startswith("text/html")
        assert '<html lang="nl">' in response.text and "te groot" in response.text


def test_under_the_limit_the_message_check_still_answers(limited: str) -> None:
    with client(limited) as api:
        dutch_detail(chat(api, "long-1", "a" * 3000), 422, "te lang")


@pytest.mark.parametrize(
    "body",
    [b"[" * 15_000, b'{"message": ' + b"[" * 15_000, b'\xff\xfe{"a"', b"", b"null", rb'{"message": "\u0000"}'],
    ids=["nested-array", "nested-field", "not-utf8", "empty", "null", "nul-char"],
)
def test_odd_bodies_get_a_dutch_sentence_not_a_server_error(limited: str, body: bytes) -> None:
    with client(limited) as api:
        response = api.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500
    detail = response.json()["detail"]
    assert detail.endswith(".") and "error" not in detail, detail


# --- rate limits ---------------------------------------------------------------------------------------------


def test_too_many_messages_in_one_session_get_429_other_sessions_go_on(limited: str) -> None:
    with client(limited) as api:
        for n in range(3):
            assert chat(api, "busy-session").status_code == 200, n
        refused = chat(api, "busy-session")
        detail = dutch_detail(refused, 429, "Wacht", "seconden", "112")
        assert 1 <= int(refused.headers["retry-after"]) <= 60, "3 a minute: room again when the first is a minute old"
        assert detail.startswith("U stuurt veel berichten")
        assert_security_headers(refused)
        assert chat(api, "quiet-session").status_code == 200, "another conversation is not affected"
    with client(limited) as elsewhere:  # the limit follows the conversation, not the address
        assert chat(elsewhere, "busy-session").status_code == 429


def test_a_crisis_message_is_never_held_back_by_the_session_limit(limited: str) -> None:
    with client(limited) as api:
        for _ in range(3):
            chat(api, "crisis-session")
        assert chat(api, "crisis-session").status_code == 429
        response = chat(api, "crisis-session", "ik wil niet meer leven")
        assert response.status_code == 200 and response.json()["crisis"] is True


def test_the_form_without_javascript_is_limited_too_and_gets_a_page(limited: str) -> None:
    with client(limited, Accept="text/html") as api:
        form = {"message": "ik heb schulden", "gemeente": "purmerend", "session_id": "nojs-limit"}
        assert [api.post("/chat", data=form).status_code for _ in range(3)] == [200, 200, 200]
        refused = api.post("/chat", data=form)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert refused.headers["content-type"].startswith("text/html")
        assert "Even wachten" in refused.text and "U stuurt veel berichten" in refused.text


def test_too_many_requests_from_one_address_get_429_other_addresses_go_on(limited: str) -> None:
    address = next(_addresses)
    with client(limited, address) as api:
        assert [api.get("/privacy").status_code for _ in range(10)] == [200] * 10
        refused = api.get("/api/search", params={"gemeente": "purmerend", "q": "schulden"})
        dutch_detail(refused, 429, "te veel verzoeken", "Wacht")
        assert 1 <= int(refused.headers["retry-after"]) <= 60, "10 a minute: room again when the first is a minute old"
        assert_security_headers(refused)
        assert api.get("/health").status_code == 200, "health checks are not limited"
        assert api.get("/static/wegwijzer.css").status_code == 200, "nor are the page's own files"
    with client(limited) as other:
        assert other.get("/privacy").status_code == 200


def test_login_attempts_are_limited_per_address(limited: str) -> None:
    address = next(_addresses)
    with client(limited, address, Accept="text/html") as api:
        for _ in range(2):
            assert api.post("/beheer/login", data={"token": "geraden-geraden-geraden"}).status_code == 401
        refused = api.post("/beheer/login", data={"token": ADMIN_TOKEN})
        assert refused.status_code == 429, "even the right code waits: no guessing in a hurry"
        assert "Te veel inlogpogingen" in refused.text and int(refused.headers["retry-after"]) >= 1
    with client(limited) as other:
        response = other.post("/beheer/login", data={"token": ADMIN_TOKEN}, follow_redirects=False)
        assert response.status_code == 303


def test_a_forwarded_header_from_the_client_itself_is_not_believed(direct: str) -> None:
    """Without a trusted proxy, X-Forwarded-For is the client's own word: every request counts for 127.0.0.1."""
    statuses = [
        httpx.get(f"{direct}/privacy", headers={"X-Forwarded-For": f"203.0.113.{n}"}, timeout=30).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]


def test_behind_the_proxy_a_client_that_rotates_its_forwarded_header_is_still_limited(proxied: str) -> None:
    """The proxy appends the address it saw; what the client wrote before it is ignored."""
    statuses = [
        httpx.get(f"{proxied}/privacy", headers={"X-Forwarded-For": f"203.0.113.{n}, 198.51.100.77"}, timeout=30)
        for n in range(121)
    ]
    assert [r.status_code for r in statuses] == [200] * 120 + [429], "the 121st request within a minute"
    assert httpx.get(f"{proxied}/privacy", headers={"X-Forwarded-For": "198.51.100.78"}, timeout=30).status_code == 200


def test_a_forwarded_address_of_this_machine_exempts_nothing(proxied: str) -> None:
    """127.0.0.1 is exempt as the real peer (local tools), never as an address a header names."""
    headers = {"X-Forwarded-For": "127.0.0.1"}
    with httpx.Client(base_url=proxied, timeout=30, headers=headers) as claimed:
        statuses = [claimed.get("/privacy").status_code for _ in range(121)]
    assert statuses == [200] * 120 + [429]
    with httpx.Client(base_url=proxied, timeout=30) as local:  # no header: the real peer, exempt
        assert [local.get("/privacy").status_code for _ in range(130)] == [200] * 130


def test_beheer_keeps_its_own_frame_ancestors_none(limited: str) -> None:
    with client(limited) as api:
        page = api.get("/beheer")
        report = api.get("/api/beheer/report")
    for response in (page, report):
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "frame-ancestors 'self'" not in policy, policy
        assert response.headers["x-frame-options"] == "DENY"


def test_by_default_only_the_gemeentes_own_site_may_frame_its_widget(proxied: str) -> None:
    response = httpx.get(f"{proxied}/widget/frame", params={"gemeente": "purmerend"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-security-policy"].endswith(
        "frame-ancestors 'self' https://purmerend.nl https://*.purmerend.nl"
    )
    leiderdorp = httpx.get(f"{proxied}/widget/frame", params={"gemeente": "leiderdorp"}, timeout=30)
    assert leiderdorp.headers["content-security-policy"].endswith("https://leiderdorp.nl https://*.leiderdorp.nl")


# --- CORS ----------------------------------------------------------------------------------------------------


def test_cors_allows_a_configured_municipal_site(limited: str) -> None:
    with client(limited, Origin=PURMEREND_SITE) as api:
        response = chat(api, "cors-1")
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == PURMEREND_SITE
        assert "access-control-allow-credentials" not in response.headers
        assert "Retry-After" in response.headers["access-control-expose-headers"]
        preflight = api.options(
            "/api/chat",
            headers={"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == PURMEREND_SITE
        assert "POST" in preflight.headers["access-control-allow-methods"]


def test_cors_refuses_other_sites_and_credentials_headers(limited: str) -> None:
    with client(limited, Origin="https://kwaadwillend.example") as api:
        response = chat(api, "cors-2")
        assert response.status_code == 200  # the server answers; the browser will not show it to that site
        assert "access-control-allow-origin" not in response.headers
        preflight = api.options("/api/chat", headers={"Access-Control-Request-Method": "POST"})
        dutch_detail(preflight, 403, "niet vanuit de browser")
        assert "access-control-allow-origin" not in preflight.headers
        assert_security_headers(preflight)
    with client(limited, Origin=PURMEREND_SITE) as api:
        admin = api.options(
            "/api/beheer/report",
            headers={"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"},
        )
        assert admin.status_code == 403, "the admin token header may not be sent from another site"


def test_without_configured_sites_there_is_no_cors_at_all(direct: str) -> None:
    headers = {"Origin": PURMEREND_SITE}
    response = httpx.get(f"{direct}/health", headers=headers, timeout=30)
    assert "access-control-allow-origin" not in response.headers
    preflight = httpx.options(
        f"{direct}/health", headers={**headers, "Access-Control-Request-Method": "GET"}, timeout=30
    )
    assert preflight.status_code == 405 and "access-control-allow-origin" not in preflight.headers


# --- headers -------------------------------------------------------------------------------------------------


def test_the_widget_frame_may_only_be_embedded_by_its_own_gemeente(limited: str) -> None:
    with client(limited) as api:
        purmerend = api.get("/widget/frame", params={"gemeente": "purmerend"})
        leiderdorp = api.get("/widget/frame", params={"gemeente": "leiderdorp"})
    assert purmerend.status_code == 200 and leiderdorp.status_code == 200
    assert purmerend.headers["content-security-policy"].endswith(
        f"frame-ancestors {PURMEREND_SITE} https://*.purmerend.nl"
    )
    assert leiderdorp.headers["content-security-policy"].endswith("frame-ancestors https://www.example.nl")
    for response in (purmerend, leiderdorp):
        assert "x-frame-options" not in response.headers  # it would forbid every other site
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/", "/privacy", "/balie", "/health", "/api/search?gemeente=x", "/nergens"])
def test_every_response_has_the_security_headers(limited: str, path: str) -> None:
    with client(limited) as api:
        response = api.get(path)
    assert_security_headers(response)
    assert "strict-transport-security" not in response.headers, "plain http: no HSTS"


def test_hsts_behind_a_tls_proxy(limited: str) -> None:
    with client(limited, **{"X-Forwarded-Proto": "https"}) as api:
        response = api.get("/privacy")
    assert response.headers["strict-transport-security"].startswith("max-age=")

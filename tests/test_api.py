"""The web API over real HTTP (uvicorn in its own process) with Rasa down: search, validation, /health,
the degraded chat answer, security headers, the no-JavaScript form and a private access log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from connectors.api.launch import free_port, running_api
from tests.conftest import KNOWLEDGE
from wegwijzer.knowledge import load_knowledge
from wegwijzer.plain_language import check_text

pytestmark = pytest.mark.slow
KB = load_knowledge(KNOWLEDGE)
LOG_SECRET = "huurachterstand-geheim"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    log = tmp_path_factory.mktemp("api") / "api.log"
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens here: Rasa and the action server are down
    with running_api({"WEGWIJZER_RASA_URL": down, "WEGWIJZER_ACTION_URL": down}, log=log) as base:
        yield base, log


@pytest.fixture(scope="module")
def api(server: tuple[str, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=60) as client:
        yield client


def assert_dutch_sentence(response: httpx.Response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    detail = body["detail"]
    assert isinstance(detail, str) and detail.endswith("."), body
    for word in words:
        assert word in detail, detail
    assert "Field required" not in response.text and "loc" not in body
    return detail


# --- health -------------------------------------------------------------------------------------


def test_health_is_degraded_but_200_when_rasa_is_down(api: httpx.Client) -> None:
    response = api.get("/health")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "degraded"
    parts = data["components"]
    assert parts["knowledge"]["status"] == "ok" and parts["knowledge"]["gemeenten"] == sorted(KB.gemeenten)
    assert parts["index"]["status"] == "ok"
    assert parts["rasa"]["status"] == "down" and parts["action_server"]["status"] == "down"
    assert parts["web"]["status"] == "ok"


def test_openapi_and_docs(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/chat", "/api/search", "/health"} <= set(paths)
    docs = api.get("/docs")
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.text
    assert "script-src 'self';" in docs.headers["content-security-policy"]


# --- search -------------------------------------------------------------------------------------


def test_search_returns_passages_and_places(api: httpx.Client) -> None:
    data = api.get("/api/search", params={"q": "ik kan de huur niet betalen", "gemeente": "purmerend", "k": 3}).json()
    assert data["gemeente"] == "purmerend" and len(data["passages"]) == 3
    assert data["services"][0]["id"] == "purmerend-schulddienstverlening"
    service = data["services"][0]
    assert service["contact"]["how"] and service["source"]["url"].startswith("/bronnen/purmerend-programmadoelen-2023")
    assert service["referral"].startswith("Dit kan u verder helpen: Loket Schulddienstverlening.")
    for passage in data["passages"]:
        assert passage["gemeente"] == "purmerend" and passage["citation"] and passage["document"]
        assert "".join(s["text"] for s in passage["segments"]) == passage["text"]
        assert isinstance(passage["score"], float)
        assert passage["url"].startswith(f"/bronnen/{passage['document']}")
    marked = [s["text"].lower() for p in data["passages"] for s in p["segments"] if s["mark"]]
    assert marked and all(word.startswith(("huur", "betal")) for word in marked)


LINES = {"landelijk-112", "landelijk-113", "landelijk-veilig-thuis"}


@pytest.mark.parametrize(
    ("q", "gemeente"),
    [
        ("inburgering taalles", "purmerend"),
        ("mijn vader is heel somber", "heerhugowaard"),
        ("ik maak me zorgen om mijn buurvrouw", "leiderdorp"),
        ("mijn zoon", "purmerend"),
        ("eenzaam", "leiderdorp"),
    ],
)
def test_search_for_everyday_words_lists_no_national_emergency_line(api: httpx.Client, q: str, gemeente: str) -> None:
    data = api.get("/api/search", params={"q": q, "gemeente": gemeente}).json()
    assert data["services"] and not {s["id"] for s in data["services"]} & LINES


def test_search_lists_the_line_when_the_query_carries_its_crisis_signal(api: httpx.Client) -> None:
    data = api.get("/api/search", params={"q": "mijn man slaat me en ik durf niet naar huis", "gemeente": "purmerend"})
    assert "landelijk-veilig-thuis" in {s["id"] for s in data.json()["services"]}


def test_search_with_a_topic_keeps_that_topic(api: httpx.Client) -> None:
    data = api.get("/api/search", params={"q": "hulp", "gemeente": "purmerend", "topic": "mantelzorg"}).json()
    assert data["services"] and all("mantelzorg" in [t["id"] for t in s["topics"]] for s in data["services"])
    listing = api.get("/api/search", params={"gemeente": "purmerend", "topic": "schulden"}).json()
    assert listing["passages"] == [] and "purmerend-schulddienstverlening" in [s["id"] for s in listing["services"]]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"q": "", "gemeente": "purmerend"}, ["leeg"]),
        ({"q": "x" * 2001, "gemeente": "purmerend"}, ["te lang", "2000"]),
        ({"q": "huur", "gemeente": "utrecht"}, ["utrecht", "heerhugowaard, leiderdorp, purmerend"]),
        ({"q": "huur"}, ["gemeente", "ontbreekt"]),
        ({"q": "huur", "gemeente": "purmerend", "k": 0}, ["k moet tussen 1 en 20"]),
        ({"q": "huur", "gemeente": "purmerend", "k": "veel"}, ["'k'", "heel getal"]),
        ({"q": "huur", "gemeente": "purmerend", "topic": "vakantie"}, ["Onbekend onderwerp"]),
    ],
    ids=["empty", "too-long", "unknown-gemeente", "no-gemeente", "k-range", "k-text", "unknown-topic"],
)
def test_search_validation_gives_a_dutch_sentence(
    api: httpx.Client, params: dict[str, object], words: list[str]
) -> None:
    assert_dutch_sentence(api.get("/api/search", params=params), 422, *words)


def test_referral_texts_are_plain_dutch(api: httpx.Client) -> None:
    for gemeente in KB.gemeenten:
        for topic in KB.topics:
            for service in api.get("/api/search", params={"gemeente": gemeente, "topic": topic}).json()["services"]:
                names = [service["name"], *KB.services[service["id"]].aliases]
                assert check_text(service["referral"], KB.glossary, allowed=names) == [], service["referral"]


# --- chat ---------------------------------------------------------------------------------------


def test_chat_answers_200_degraded_with_the_general_contact_when_rasa_is_down(api: httpx.Client) -> None:
    response = api.post(
        "/api/chat", json={"session_id": "test-1", "message": "ik kan de huur niet betalen", "gemeente": "purmerend"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["degraded"] is True and data["crisis"] is False
    assert data["session_id"] != "test-1", "a session the API did not give starts a new one"
    again = api.post("/api/chat", json={"session_id": data["session_id"], "message": "en nu?", "gemeente": "purmerend"})
    # the same conversation (its id before the '.'); re-signed for the cookie the first answer gave the client
    assert again.json()["session_id"].split(".")[0] == data["session_id"].split(".")[0]
    text = " ".join(r["text"] for r in data["replies"])
    assert "(0299) 452 452" in text and "purmerend.nl" in text
    assert data["sources"] == []
    assert api.get("/health").json()["components"]["rasa"]["status"] == "down"


def test_chat_in_crisis_gets_the_crisis_lines_first_even_when_rasa_is_down(api: httpx.Client) -> None:
    data = api.post("/api/chat", json={"message": "ik wil niet meer leven", "gemeente": "heerhugowaard"}).json()
    assert data["degraded"] and data["crisis"] and "113" in data["replies"][0]["text"]
    assert re.fullmatch(r"[\w-]{22}\.[\w-]{22}", data["session_id"])  # issued by the API: an id and its signature


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"message": "", "gemeente": "purmerend"}, ["leeg"]),
        ({"message": "   ", "gemeente": "purmerend"}, ["leeg"]),
        ({"message": "a" * 2001, "gemeente": "purmerend"}, ["te lang", "2001"]),
        ({"message": "hoi", "gemeente": "utrecht"}, ["Onbekende gemeente 'utrecht'", "purmerend"]),
        ({"message": "hoi", "gemeente": "purmerend", "role": "burgemeester"}, ["Onbekende rol", "inwoner"]),
        ({"message": "hoi", "gemeente": "purmerend", "lang": "de"}, ["Onbekende taal"]),
        ({"message": "hoi", "gemeente": "purmerend", "session_id": "<script>"}, ["session_id"]),
        ({"gemeente": "purmerend"}, ["'message'", "ontbreekt"]),
        ({"message": 5, "gemeente": "purmerend"}, ["'message'", "tekst"]),
        ([1, 2], ["JSON-object"]),
    ],
    ids=["empty", "blank", "too-long", "gemeente", "role", "lang", "session", "missing", "type", "not-object"],
)
def test_chat_validation_gives_a_dutch_sentence(api: httpx.Client, body: object, words: list[str]) -> None:
    assert_dutch_sentence(api.post("/api/chat", json=body), 422, *words)


def test_chat_with_broken_json(api: httpx.Client) -> None:
    response = api.post("/api/chat", content=b"{nope", headers={"Content-Type": "application/json"})
    assert_dutch_sentence(response, 422, "JSON")


# --- pages --------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects what a strict CSP forbids (inline script and style) and the text of <main>."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.main_text: list[str] = []
        self._in_main = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style>")
        self.inline += [f"{tag} {name}=" for name in names if name == "style" or name.startswith("on")]
        if tag == "main":
            self._in_main += 1
        if tag in ("script", "textarea", "select", "option"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main -= 1
        if tag in ("script", "textarea", "select", "option"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if self._in_main and not self._skip:
            self.main_text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


PAGES = ["/?gemeente=purmerend", "/", "/balie", "/privacy", "/widget/frame?gemeente=leiderdorp", "/docs"]


@pytest.mark.parametrize("path", [*PAGES, "/bronnen/purmerend-programmadoelen-2023"])
def test_pages_have_a_strict_csp_and_no_inline_script_or_style(api: httpx.Client, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self';", "style-src 'self';", "object-src 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert parse(response.text).inline == []
    widget = "frame-ancestors 'self' https://leiderdorp.nl https://*.leiderdorp.nl"  # the gemeente's own site
    expected = widget if path.startswith("/widget/frame") else "frame-ancestors 'self'"
    assert expected in csp


@pytest.mark.parametrize(
    "path", ["/?gemeente=purmerend", "/", "/balie", "/privacy", "/widget/frame?gemeente=purmerend"]
)
def test_page_texts_are_plain_dutch(api: httpx.Client, path: str) -> None:
    text = " ".join(" ".join(parse(api.get(path).text).main_text).split())
    assert len(text) > 100
    assert check_text(text, KB.glossary, allowed=["Wegwijzer", "Autoriteit Persoonsgegevens"]) == [], text


def test_the_chat_says_it_is_a_chatbot_and_links_privacy(api: httpx.Client) -> None:
    html = api.get("/", params={"gemeente": "purmerend"}).text
    assert "Ik ben een chatbot, geen mens." in html and 'href="/privacy?gemeente=purmerend"' in html
    assert 'role="log"' in html and 'aria-live="polite"' in html
    privacy = api.get("/privacy").text
    assert "hoogstens 28 dagen" in privacy


def test_without_javascript_the_form_posts_and_shows_the_answer(api: httpx.Client) -> None:
    page = api.get("/", params={"gemeente": "purmerend"}).text
    assert '<form class="ww-form" id="chat-form" method="post" action="/chat">' in page
    response = api.post("/chat", data={"message": "ik heb schulden", "gemeente": "purmerend", "session_id": ""})
    assert response.status_code == 200
    assert "ik heb schulden" in response.text and "(0299) 452 452" in response.text
    token = re.search(r'name="session_id" value="([\w.-]+)"', response.text)
    assert token and "." in token.group(1), "the next form carries the session the API issued"
    empty = api.post("/chat", data={"message": " ", "gemeente": "purmerend"})
    assert empty.status_code == 422 and "Het bericht is leeg" in empty.text and 'aria-invalid="true"' in empty.text


def test_unknown_gemeente_page_offers_the_choice(api: httpx.Client) -> None:
    response = api.get("/", params={"gemeente": "utrecht"})
    assert response.status_code == 404 and "Deze gemeente kennen we niet" in response.text
    assert 'name="gemeente"' in response.text


def test_balie_without_javascript_renders_results(api: httpx.Client) -> None:
    html = api.get("/balie", params={"q": "mantelzorg", "gemeente": "purmerend"}).text
    assert 'class="ww-card"' in html and "<mark" in html and "Kopieer verwijstekst" in html


def test_widget_script_and_sources(api: httpx.Client) -> None:
    script = api.get("/widget.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "data-gemeente" in script.text or "dataset" in script.text
    assert api.get("/static/widget.css").status_code == 200
    source = api.get("/bronnen/purmerend-programmadoelen-2023")
    assert source.status_code == 200 and 'id="armoede-en-schulden"' in source.text
    assert api.get("/bronnen/bestaat-niet").status_code == 404


# --- privacy of the logs ------------------------------------------------------------------------


def test_the_access_log_holds_no_query_strings_messages_or_addresses(
    api: httpx.Client, server: tuple[str, Path]
) -> None:
    api.get("/api/search", params={"q": LOG_SECRET, "gemeente": "purmerend"})
    api.post("/api/chat", json={"message": LOG_SECRET, "gemeente": "purmerend"})
    api.post("/chat", data={"message": LOG_SECRET, "gemeente": "purmerend"})
    log = server[1].read_text(encoding="utf-8")
    assert '"GET /api/search HTTP/1.1" 200' in log
    assert LOG_SECRET not in log and "127.0.0.1:" not in log.replace(server[0], "")

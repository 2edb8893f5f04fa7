"""Every phone number in the answers of the dev set is a tel: link, through the real stack (action server,
Rasa, API) and the real chat page. Each case is asked in a fresh conversation as its own role (the page
asks as a resident; the test adds the case's role to the request, as the API allows)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, Route

from tests.conftest import EVAL_DIR

DEV_SET = EVAL_DIR / "dev.yaml"
# Independent of connectors/api/linkify.py: Dutch numbers as the content writes them, and 112/113.
NUMBERS = r"\(0\d{2,3}\)\s?\d{3}\s?\d{2,4}|0[89]00-?\d{4,7}|0\d{9}|(?<![\w.])11[23](?![\w-]|\.\w)"
UNLINKED = """(pattern) => {
  const found = [], linked = [];
  const walker = document.createTreeWalker(document.querySelector('#transcript'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('.ww-message--bot') || node.parentElement.closest('[data-opening]')) continue;
    const inLink = node.parentElement.closest('a[href^="tel:"]');
    for (const m of node.textContent.matchAll(new RegExp(pattern, 'g'))) (inLink ? linked : found).push(m[0]);
  }
  return { unlinked: found, linked };
}"""


@pytest.fixture(scope="module")
def stack_base(stack) -> str:  # type: ignore[no-untyped-def]
    return f"http://127.0.0.1:{stack.ports.api}"


@pytest.fixture
def stack_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    yield context.new_page()
    context.close()


def test_every_phone_number_in_the_dev_set_answers_is_a_tel_link(stack_page: Page, stack_base: str) -> None:
    if not DEV_SET.is_file():
        pytest.skip(f"de dev-set ontbreekt ({DEV_SET})")
    cases: list[dict[str, Any]] = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))
    page, role = stack_page, {"value": "inwoner"}

    def with_role(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        route.continue_(post_data=json.dumps({**body, "role": role["value"]}))

    page.route("**/api/chat", with_role)
    problems: dict[str, list[str]] = {}
    linked = 0
    for case in cases:
        role["value"] = case["role"]
        page.goto(f"{stack_base}/?gemeente={case['gemeente']}")
        page.evaluate("sessionStorage.clear()")
        page.reload()
        page.locator("#message").fill(case["question"])
        with page.expect_response(lambda r: r.url.endswith("/api/chat")) as response:
            page.locator("#message").press("Enter")
        assert response.value.json()["degraded"] is False, case["id"]
        page.locator(".ww-message--bot").last.wait_for()
        found = page.evaluate(UNLINKED, NUMBERS)
        linked += len(found["linked"])
        if found["unlinked"]:
            problems[case["id"]] = found["unlinked"]
    print(f"{linked} phone numbers in {len(cases)} dev-set answers, all tel: links")  # the figure for the docs
    assert problems == {}
    assert linked >= 10, f"only {linked} linked numbers in {len(cases)} answers: the check saw almost nothing"

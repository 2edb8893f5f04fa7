"""WCAG layout checks in Chromium: 320 px wide and 200% zoom without sideways scrolling, no motion for
users who ask for less, and a check that axe really finds problems (so 'zero violations' means something)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import run_axe

PAGES = ["/?gemeente=purmerend", "/balie?gemeente=purmerend&q=schulden", "/privacy", "/widget/frame?gemeente=purmerend"]


def overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    "viewport", [{"width": 320, "height": 640}, {"width": 640, "height": 450}], ids=["320px", "zoom-200%"]
)
def test_no_sideways_scrolling(browser: Browser, api_base: str, path: str, viewport: dict[str, int]) -> None:
    # 200% zoom of a 1280 px window is a 640 px wide layout viewport at twice the pixel density.
    context = browser.new_context(viewport=viewport, device_scale_factor=2 if viewport["width"] == 640 else 1)
    page = context.new_page()
    page.goto(f"{api_base}{path}")
    page.wait_for_load_state("networkidle")
    assert overflow(page) <= 0, f"{path} scrolls sideways at {viewport['width']} px"
    for control in page.locator("main textarea, main input:not([type=hidden]), main button").all():
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], control
    context.close()


def test_the_chat_at_320px_after_a_conversation(browser: Browser, api_base: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{api_base}/?gemeente=purmerend")
    page.locator("#message").fill("ik kan de huur niet betalen")
    page.locator("#message").press("Enter")
    expect(page.locator(".ww-choice").first).to_be_visible()
    assert overflow(page) <= 0
    context.close()


def test_no_motion_when_the_user_asks_for_less(browser: Browser, api_base: str) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{api_base}/?gemeente=purmerend")
    durations = page.evaluate(
        "() => [...document.querySelectorAll('button, a, textarea, select')].map(e => getComputedStyle(e)"
        ".transitionDuration + '|' + getComputedStyle(e).animationName)"
    )
    assert durations and all(d == "0s|none" for d in durations), set(durations)
    context.close()


def test_axe_finds_real_problems(page: Page, api_base: str) -> None:
    page.goto(f"{api_base}/privacy")
    page.evaluate(
        "() => { const i = document.createElement('input'); document.querySelector('main').append(i);"
        " const b = document.createElement('button'); document.querySelector('main').append(b); }"
    )
    found = {v["id"] for v in run_axe(page, "controle: kapotte pagina (moet fouten geven)")["violations"]}
    assert {"label", "button-name"} <= found

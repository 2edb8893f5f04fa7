"""Helpers for the browser tests: Debian's Chromium through Playwright, axe-core from npm."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Frame, FrameLocator, Page, expect

from wegwijzer.paths import REPO_ROOT, var_dir

CHROMIUM = Path(os.environ.get("WEGWIJZER_CHROMIUM", "/usr/bin/chromium"))
# As root and on a closed network: no sandbox, no background connections (see the machine notes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = REPO_ROOT / "connectors" / "web" / "node_modules" / "axe-core" / "axe.min.js"
AXE_REPORT = var_dir() / "reports" / "axe.json"
BLOCKING = ("serious", "critical")
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, headings, ...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def open_widget(page: Page) -> FrameLocator:
    """Opens the widget on a host page and waits until its script is live: typed before that, Enter only
    starts a new line in the box (the script's handler is what sends)."""
    page.get_by_role("button", name="Chat met de chatbot").click()
    frame = page.frame_locator("iframe.wegwijzer-frame")
    expect(frame.locator("[data-ready='1']")).to_have_count(1)
    return frame


def widget_in_a_new_browser(browser: Browser, host_url: str) -> tuple[BrowserContext, FrameLocator]:
    """A desktop browser of its own on the host page, no conversation kept, the widget open and live."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{host_url}/index.html")
    page.evaluate("sessionStorage.clear()")
    page.reload()
    return context, open_widget(page)


_RUN = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, iframes: true });
  const brief = (items) => items.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
  return {
    violations: brief(result.violations), passes: result.passes.length,
    incomplete: result.incomplete.map((v) => v.id),
  };
}"""


def inject_axe(target: Page | Frame) -> None:
    """axe-core is evaluated through the DevTools protocol, which the page's CSP does not govern,
    so the page keeps its strict CSP while it is checked."""
    if not target.evaluate("() => typeof window.axe === 'object'"):
        target.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    # The widget's frame is on another origin than the host page: let axe talk to it.
    target.evaluate("() => axe.configure({ allowedOrigins: ['<unsafe_all_origins>'] })")


def run_axe(page: Page, state: str) -> dict[str, Any]:
    for frame in page.frames:
        inject_axe(frame)
    result: dict[str, Any] = page.evaluate(_RUN, AXE_TAGS)
    result["state"] = state
    record(result)
    return result


def record(result: dict[str, Any]) -> None:
    """Keep every axe run in var/reports/axe.json, for the closing note."""
    AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(AXE_REPORT.read_text(encoding="utf-8")) if AXE_REPORT.is_file() else {}
    runs[result["state"]] = result
    AXE_REPORT.write_text(json.dumps(runs, indent=2, ensure_ascii=False), encoding="utf-8")


def assert_accessible(page: Page, state: str, console: list[str] | None = None) -> dict[str, Any]:
    """Zero serious or critical axe violations. axe fetches the page's stylesheets to check them, which a
    host page's CSP refuses (connect-src): pass the console to drop those lines, which are axe's own."""
    before = len(console) if console is not None else 0
    result = run_axe(page, state)
    if console is not None:
        page.wait_for_timeout(100)
        console[before:] = [m for m in console[before:] if "connect-src" not in m]
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], f"axe ({state}): {json.dumps(blocking, indent=2, ensure_ascii=False)}"
    return result


# The tags the resident's pages are held to: every WCAG 2.0, 2.1 and 2.2 A/AA rule; no violation of any impact.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_no_violations(page: Page, state: str) -> dict[str, Any]:
    """Zero axe violations of any impact (minor included) under WCAG 2.2 AA, frames included."""
    for frame in page.frames:
        inject_axe(frame)
    result: dict[str, Any] = page.evaluate(_RUN, WCAG_TAGS)
    result["state"] = f"wcag22: {state}"
    record(result)
    assert result["violations"] == [], (
        f"axe ({state}): {json.dumps(result['violations'], indent=2, ensure_ascii=False)}"
    )
    assert result["passes"] > 10, f"axe ({state}) checked almost nothing"
    return result


def csp_violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]

"""A consultation in the demo, in Debian's Chromium: vote with the keyboard, write a statement,
moderate it, and watch the results page update itself after someone else votes.

The demo holds an illustrative consultation of the Astana participants (slug below): it
compares three declared segments, so the first vote also asks for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import Demo
from tests.browser.test_demo_journey import printed_logins

pytestmark = pytest.mark.browser
SLUG = "astana-2015-consultation"
STATEMENT = "Women's groups should be represented at the next round (browser test)."
MAX_TABS = 40  # a page has fewer focusable elements before the card's buttons than this


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Yield a list to put browser contexts in; all are closed after the test, which also ends
    their event streams (the demo server then shuts down without waiting for them)."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def visitor(browser: Browser, contexts: list[BrowserContext], demo: Demo, path: str) -> Page:
    """Return a page of a new, anonymous browser at *path*."""
    context = browser.new_context()
    contexts.append(context)
    page = context.new_page()
    page.goto(f"{demo.url}{path}")
    return page


def signed_in(
    browser: Browser, contexts: list[BrowserContext], demo: Demo, username: str, path: str
) -> Page:
    page = visitor(browser, contexts, demo, f"/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(printed_logins(demo)[username])
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"**{path}")
    return page


def tab_to(page: Page, test: str) -> None:
    """Press Tab until the focused element passes the JavaScript *test* (of ``el``)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => Boolean(el && ({test})))(document.activeElement)"):
            return
    raise AssertionError(f"no element matching {test} is reachable with Tab")


def vote_with_keyboard(page: Page, value: str) -> None:
    tab_to(page, f"el.tagName === 'BUTTON' && el.value === '{value}'")
    page.keyboard.press("Enter")


def progress(page: Page, voted: int) -> None:
    expect(page.locator(".progress")).to_contain_text(f"You have voted on {voted} of")


def test_vote_with_the_keyboard_write_moderate_and_watch_results_update(
    browser: Browser, demo: Demo, contexts: list[BrowserContext]
):
    card = f"/c/{SLUG}/"
    page = visitor(browser, contexts, demo, card)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Astana 2015")
    progress(page, 0)

    # First card: choose a segment with the arrow keys, then Tab to Agree and press Enter.
    tab_to(page, "el.id === 'segment'")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#segment")).not_to_have_value("")
    vote_with_keyboard(page, "agree")
    progress(page, 1)
    expect(page.locator("#segment")).to_have_count(0)  # asked once
    vote_with_keyboard(page, "disagree")
    progress(page, 2)
    page.keyboard.press("p")  # the small script's shortcut: Pass
    progress(page, 3)

    # Write a statement; under strict moderation it waits for the team.
    page.get_by_role("link", name="Write a statement").first.click()
    page.get_by_label("Your statement").fill(STATEMENT)
    page.get_by_role("button", name="Add statement").click()
    expect(page.get_by_role("status").first).to_contain_text("waits for the moderators")

    # The mediator finds it first in the queue and accepts it.
    mediator = signed_in(browser, contexts, demo, "mediator", f"{card}moderation/")
    waiting = mediator.locator(".moderation-queue li").filter(has_text=STATEMENT)
    expect(waiting).to_have_count(1)
    waiting.get_by_role("button", name=re.compile(r"^Accept statement \d+$")).click()
    expect(mediator.get_by_role("status").first).to_contain_text("accepted")
    expect(mediator.locator(".moderation-queue li").filter(has_text=STATEMENT)).to_have_count(0)

    # The mediator reads the results; another visitor's votes update them live (SSE).
    mediator.goto(f"{demo.url}{card}results/")
    as_of = mediator.locator(".results-as-of")
    before = as_of.inner_text()
    mediator.evaluate("window.notReloaded = true")
    other = visitor(browser, contexts, demo, card)
    other.get_by_label("Which group are you part of?").select_option(index=2)
    for voted in range(1, 4):
        other.get_by_role("button", name="Agree", exact=True).click()
        progress(other, voted)
    expect(as_of).not_to_have_text(before, timeout=30_000)
    expect(mediator.get_by_role("status").first).to_have_text("The results were updated.")
    assert mediator.evaluate("window.notReloaded") is True  # swapped in, not a page reload

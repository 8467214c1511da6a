"""The demo's negotiating text in Debian's Chromium: the board, a draft, a position.

`parley demo` loads three illustrative drafts of the Astana joint document and prints the
text's address. The mediator reads where Draft 2 stands (blocked on the foreign-fighters
bracket) and its labelled brackets; the head of Demo Group A records a position on the final
draft through the form and finds it on the clause page; the board also works without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import Demo
from tests.browser.test_demo_journey import printed_logins

pytestmark = pytest.mark.browser
TITLE = "Joint document (illustrative demo drafts)"
RESERVATION = "Subject to a timetable the parties agree (browser test)."


def text_path(demo: Demo) -> str:
    """Return the path of the text `parley demo` printed ("/p/astana-2015/texts/<key>/")."""
    found = re.search(r"^Negotiating text: (\S+)$", demo.output, re.MULTILINE)
    assert found, demo.output
    return urlsplit(found.group(1)).path


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def signed_in(
    browser: Browser,
    contexts: list[BrowserContext],
    demo: Demo,
    username: str,
    path: str,
    *,
    javascript: bool = True,
) -> Page:
    """Return a page of a new browser, signed in as *username* through the form, at *path*."""
    context = browser.new_context(java_script_enabled=javascript)
    contexts.append(context)
    page = context.new_page()
    page.goto(f"{demo.url}/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(printed_logins(demo)[username])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{path}")
    return page


def open_board(page: Page, draft: str) -> None:
    """From the text's overview, open the board of the draft labelled *draft*."""
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=draft, exact=True))
    row.get_by_role("link", name="board").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(draft)
    expect(page.locator("svg.text-board")).to_be_visible()


def test_mediator_reads_the_board_and_the_brackets_of_draft_2(
    browser: Browser, demo: Demo, contexts: list[BrowserContext]
):
    page = signed_in(browser, contexts, demo, "mediator", text_path(demo))
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_text("invented").first).to_be_visible()

    open_board(page, "Draft 2")
    standing = page.locator("section").filter(
        has=page.get_by_role("heading", name="Where the draft stands")
    )
    expect(standing).to_contain_text("Blocked")
    expect(standing.get_by_role("link", name=re.compile("Foreign fighters"))).to_be_visible()
    expect(page.locator("svg.text-board g.board-row")).to_have_count(3)

    page.get_by_role("link", name="Read Draft 2").click()
    clause = page.locator("#clause-foreign-fighters")
    expect(clause.locator("sup.option-label")).to_have_text(["1A", "1B"])
    expect(clause).to_contain_text("All foreign fighters, including Hezbollah,")

    page.get_by_role("link", name="Drafts", exact=True).click()
    open_board(page, "Draft 3 (final)")
    expect(page.get_by_text("The draft as a whole")).to_contain_text("Agreed")


def test_party_a_records_a_position_on_the_current_draft(
    browser: Browser, demo: Demo, contexts: list[BrowserContext]
):
    page = signed_in(browser, contexts, demo, "party-a-lead", text_path(demo))
    page.get_by_role("link", name="Draft 3 (final)", exact=True).click()
    clause = page.locator("#clause-foreign-fighters")
    expect(clause.locator("sup.option-label")).to_have_count(0)  # the final has no brackets
    clause.get_by_role("link", name="Record a position").click()

    expect(page.get_by_text("For Demo Group A.")).to_be_visible()
    page.get_by_label("Can live with it").check()
    page.get_by_label(re.compile(r"^Reservation")).fill(RESERVATION)
    page.get_by_role("button", name="Record position").click()

    expect(page.get_by_text("Demo Group A's position on")).to_be_visible()
    positions = page.locator("ul.positions").first
    mine = positions.locator("li").filter(has_text=RESERVATION)
    expect(mine).to_contain_text("Demo Group A")
    expect(mine).to_contain_text("Can live with it")
    assert "Demo Group B" not in positions.inner_text()  # another party's position stays hidden


def test_the_board_works_without_javascript(
    browser: Browser, demo: Demo, contexts: list[BrowserContext]
):
    page = signed_in(browser, contexts, demo, "mediator", text_path(demo), javascript=False)
    open_board(page, "Draft 2")
    table = page.locator("table.board-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tr#board-foreign-fighters")).to_contain_text("Blocked")
    expect(table.locator("tr#board-foreign-fighters")).to_contain_text("Reject")
    expect(page.locator("svg.text-board title").first).to_be_attached()

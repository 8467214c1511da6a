"""A new user's journey through the demo, in Debian's Chromium.

The mediator signs in, reads the Astana timeline with its sources and adds a round; the head of
Demo Group A signs in and sees Group A's confidential position but not Group B's.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Demo

pytestmark = pytest.mark.browser
PROCESS = "Intra-Syrian talks: Moscow and Astana, 2015"


def printed_logins(demo: Demo) -> dict[str, str]:
    """Return username -> password as `parley demo` printed them."""
    # Rows read "<persona>  <username>  <password>  <what they see>".
    return dict(re.findall(r"(\S+)\s+(parley-demo)\s", demo.output))


def sign_in(browser: Browser, demo: Demo, username: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(demo.url)
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(printed_logins(demo)[username])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=PROCESS).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROCESS)
    return page


def test_the_demo_prints_one_login_per_persona(demo: Demo):
    expected = {"mediator", "party-a-lead", "party-a-member", "party-b-lead", "observer"}
    assert expected <= set(printed_logins(demo))


def test_mediator_reads_the_timeline_with_sources_and_adds_a_round(browser: Browser, demo: Demo):
    page = sign_in(browser, demo, "mediator")
    page.get_by_role("link", name="Timeline").first.click()
    astana = page.locator("li, article, section").filter(has_text="Astana I").first
    expect(astana).to_contain_text("25 May 2015")
    expect(astana).to_contain_text("Tengrinews")
    expect(page.get_by_text("January 2015").first).to_be_visible()

    page.get_by_role("link", name=PROCESS).first.click()
    page.get_by_role("link", name="Add round").click()
    page.get_by_label("Name").fill("Astana III (browser test)")
    page.get_by_label("Sequence").fill("9")
    page.get_by_label("Status").select_option("planned")
    page.get_by_label("Starts on").fill("2015-10")
    page.get_by_role("button", name=re.compile("Add|Save|Create")).click()
    expect(page.get_by_text("Astana III (browser test)").first).to_be_visible()
    expect(page.get_by_text("October 2015").first).to_be_visible()


def test_party_a_sees_its_confidential_position_but_not_party_bs(browser: Browser, demo: Demo):
    page = sign_in(browser, demo, "party-a-lead")
    expect(page.get_by_text("Demo Group A's bottom line").first).to_be_visible()
    assert "Demo Group B's bottom line" not in page.content()

"""End to end in Chromium: search as you type, facets, permalink, back, and all of it without JavaScript."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import shoot

pytestmark = pytest.mark.e2e
QUERY = "DeepSeek R1 成本"


def query_of(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll through CDP: page.wait_for_function evaluates strings, which the site's CSP forbids."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(50)


def total(page) -> int:
    return int(page.locator("#results-summary strong").inner_text())


def test_search_as_you_type_facets_permalink_and_back(page, two_dollar_claim):
    page.goto("/")
    wait_until(page, "window.htmx !== undefined")
    shoot(page, "home")
    page.evaluate("window.__noReload = 'still here'")
    before = total(page)

    page.locator("#q").press_sequentially(QUERY, delay=40)
    first = page.locator("article.claim-card").first
    first.wait_for()
    expect(first).to_have_id(f"claim-{two_dollar_claim}")
    marks = first.locator("mark").all_inner_texts()
    assert any("成本" in m for m in marks) and any("DeepSeek" in m for m in marks)
    assert page.evaluate("window.__noReload") == "still here", "the page was reloaded"
    page.wait_for_url(re.compile(r"/claims\?"))
    assert query_of(page.url)["q"] == [QUERY]
    assert page.title().startswith(QUERY)
    searched = total(page)
    assert searched < before
    shoot(page, "results")

    # click a facet: the list and the counts change, the URL holds the filter, still no reload
    facet = page.locator("section.facet a.facet-value", has_text="Nathan Lambert").first
    facet_count = int(facet.locator(".count").inner_text())
    stance_counts_before = page.locator("section[aria-labelledby=facet-stance] .count").all_inner_texts()
    facet.click()
    page.wait_for_url(re.compile(r"speaker=nathan-lambert"))
    page.locator("ul.chips a.chip").first.wait_for()
    assert total(page) == facet_count < searched
    assert page.locator("section[aria-labelledby=facet-stance] .count").all_inner_texts() != stance_counts_before
    assert query_of(page.url)["q"] == [QUERY]
    assert page.evaluate("window.__noReload") == "still here"
    for card in page.locator("article.claim-card").all():
        assert card.locator("a[href='/speakers/nathan-lambert']").count() == 1
    filtered_url = page.url

    # open a permalink, then come back to the filtered list
    page.locator(f"#claim-{two_dollar_claim} a.claim-link").click()
    page.wait_for_url(f"**/claims/{two_dollar_claim}")
    assert "2美元" in page.locator("blockquote.claim-quote").inner_text()
    assert page.locator("section.context li.in-claim").count() >= 1
    copy = page.locator("button.copy-link")
    assert copy.is_visible()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy.click()
    expect(page.locator(".copy-status")).to_have_text("已复制链接")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "permalink")
    page.go_back()
    page.wait_for_url(filtered_url)
    page.locator("article.claim-card").first.wait_for()
    assert page.locator("#q").input_value() == QUERY
    assert total(page) == facet_count

    # back once more: htmx restores the unfiltered search from the server
    page.go_back()
    wait_until(page, "!location.search.includes('speaker=')")
    expect(page.locator("ul.chips")).to_have_count(0)
    assert total(page) == searched
    assert page.locator("#q").input_value() == QUERY
    assert not page.problems, page.problems


def test_search_works_without_javascript(browser, server, two_dollar_claim):
    context = browser.new_context(base_url=server, java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto("/")
        page.locator("#q").fill(QUERY)
        page.locator("#q").press("Enter")
        page.wait_for_url(re.compile(r"/claims\?q="))
        first = page.locator("article.claim-card").first
        assert first.get_attribute("id") == f"claim-{two_dollar_claim}"
        assert first.locator("mark").count() >= 2
        # facets are plain links
        page.locator("section.facet a.facet-value", has_text="Nathan Lambert").first.click()
        page.wait_for_url(re.compile(r"speaker=nathan-lambert"))
        assert page.locator("ul.chips a.chip").count() == 1
        page.locator(f"#claim-{two_dollar_claim} a.claim-link").click()
        page.wait_for_url(f"**/claims/{two_dollar_claim}")
        assert page.locator("button.copy-link").is_hidden()  # nothing that needs JS is offered
        assert page.locator("#permalink-url").input_value().endswith(two_dollar_claim)
        page.go_back()
        page.wait_for_url(re.compile(r"speaker=nathan-lambert"))
        assert page.locator("#q").input_value() == QUERY
    finally:
        context.close()


def test_entity_page(page):
    page.goto("/entities/deepseek-r1")
    assert page.locator("h1").inner_text().startswith("DeepSeek")
    cell = page.locator("section.matrix td.num a").first
    shoot(page, "entity")
    count = int(cell.inner_text())
    cell.click()
    page.wait_for_url(re.compile(r"/claims\?.*entity=deepseek-r1"))
    assert total(page) == count
    assert not page.problems, page.problems


def test_phone_layout_and_keyboard_focus(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"/claims?q={QUERY}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
        shoot(page, "results-phone")
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
    finally:
        context.close()

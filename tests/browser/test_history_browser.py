"""The merchant's morning in headless chromium on the demo admin: filter conversations by
outcome and date, open a transcript, close and reopen its ticket, export CSV and open the file.
Screenshots at 1280 px and 768 px go to /work/screens/issue9/ (outside the repository)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lumen.history.csv_format import CONVERSATION_COLUMNS
from lumen.models import utcnow

pytestmark = pytest.mark.browser
SCREENS = Path("/work/screens/issue9")


@pytest.fixture(params=[1280, 768], ids=["1280px", "768px"])
def width(request) -> int:
    return request.param


def test_filter_open_transcript_close_reopen_and_export(demo, open_page, width, tmp_path):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = open_page(width=width, height=900, accept_downloads=True)
    page.goto(demo.url + "/admin/")
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()

    page.get_by_role("link", name="Conversations").click()
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()
    expect(page.locator("#conversation-count")).to_contain_text("45 conversations")
    page.screenshot(path=SCREENS / f"conversations-{width}.png", full_page=True)

    # Filter by outcome and date: the list alone is swapped in and the URL follows.
    page.get_by_label("Escalated").check()
    expect(page).to_have_url(re.compile(r"outcome=escalated"))
    since = (utcnow() - timedelta(days=29)).date().isoformat()
    page.get_by_label("From").fill(since)
    expect(page).to_have_url(re.compile(rf"from={since}.*outcome=escalated|outcome=escalated.*"
                                        rf"from={since}"))
    expect(page.locator("#conversation-count")).to_contain_text("match these filters")
    badges = page.locator("#conversation-list tbody .badge")
    expect(badges.first).to_have_text("Escalated")
    assert set(badges.all_inner_texts()) == {"Escalated"}
    page.screenshot(path=SCREENS / f"conversations-filtered-{width}.png", full_page=True)

    # The browser's back button: the outcome-only view, its form showing no date.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"from=\d"))
    expect(page.get_by_label("From")).to_have_value("")
    expect(page.get_by_label("Escalated")).to_be_checked()
    page.get_by_label("From").fill(since)
    expect(page).to_have_url(re.compile(rf"from={since}"))
    expect(page.locator("#conversation-count")).to_contain_text("match these filters")
    assert "ticket=" not in page.url, "empty filters stay out of the URL"

    # Open the transcript of a conversation with an open ticket.
    page.locator("#conversation-list tbody tr").filter(has_text="Open").first.locator(
        "td a").first.click()
    expect(page.get_by_role("heading", name=re.compile(r"Conversation #\d+"))).to_be_visible()
    expect(page.locator(".message").first).to_be_visible()
    ticket = page.locator("#ticket article")
    expect(ticket.get_by_role("button", name="Close ticket")).to_be_visible()
    page.screenshot(path=SCREENS / f"transcript-{width}.png", full_page=True)

    open_count = int(page.locator(".nav-count").inner_text())
    ticket.get_by_role("button", name="Close ticket").click()
    expect(page.locator("#ticket article").get_by_role("button", name="Reopen ticket")) \
        .to_be_visible()
    expect(page.locator("#ticket article .badge").first).to_have_text("Closed")
    expect(page.locator("#ticket article").get_by_role("link", name="Open transcript")) \
        .to_have_count(0)  # already on it
    nav_count = page.locator(".nav-count")
    if open_count > 1:
        expect(nav_count).to_have_text(str(open_count - 1))
    else:
        expect(nav_count).to_have_count(0)
    page.screenshot(path=SCREENS / f"ticket-closed-{width}.png", full_page=True)
    page.locator("#ticket article").get_by_role("button", name="Reopen ticket").click()
    expect(page.locator("#ticket article").get_by_role("button", name="Close ticket")) \
        .to_be_visible()
    expect(page.locator(".nav-count")).to_have_text(str(open_count))

    # Export what the filtered list shows and open the file.
    page.go_back()
    expect(page.locator("#conversation-count")).to_contain_text("match these filters")
    shown = int(re.search(r"\d+", page.locator("#conversation-count").inner_text()).group())
    page.get_by_role("button", name="Export CSV").click()
    expect(page.get_by_role("heading", name="CSV export")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Your export is ready")
    page.screenshot(path=SCREENS / f"export-ready-{width}.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CONVERSATION_COLUMNS and len(rows) - 1 == shown
    assert {row[4] for row in rows[1:]} == {"escalated"}
    assert "@example.com" not in raw.decode("utf-8")
    assert page.js_errors == []

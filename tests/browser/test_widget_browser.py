"""The storefront widget in headless chromium against the whole demo (shim, API, engine, store)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser

LAUNCHER = "Chat with us about your order"
BOT_REPLIES = ".msg.bot:not(.typing)"
STORAGE_KEY = "lumen:/apps/lumen"
# True once the assistant has answered: more bot bubbles than before and no request in flight.
REPLY_ARRIVED = """(before) => {
  const root = document.querySelector('lumen-chat').shadowRoot;
  return root.querySelector('.log').getAttribute('aria-busy') === 'false'
    && root.querySelectorAll('.msg.bot:not(.typing)').length > before;
}"""
# The focused element inside the widget, named by its id or else its accessible label.
SHADOW_FOCUS = """() => {
  const focused = document.querySelector('lumen-chat').shadowRoot.activeElement;
  return focused && (focused.id || focused.getAttribute('aria-label'));
}"""


@pytest.fixture(scope="module")
def order_1042() -> dict:
    """The demo store's split-shipment order, straight from the development store's fixtures."""
    from lumen.devstore import load_fixtures

    return next(order for order in load_fixtures(None)["orders"] if order["name"] == "#1042")


def order_secrets(order: dict) -> list[str]:
    """What must stay hidden before verification: items, carriers, tracking numbers and links."""
    found = [item["title"] for item in order["lineItems"]["nodes"]] + [order["statusPageUrl"]]
    for fulfillment in order.get("fulfillments", []):
        for tracking in fulfillment.get("trackingInfo", []):
            found += [tracking[key] for key in ("company", "number", "url") if tracking.get(key)]
    return found


def tracking_urls(order: dict) -> set[str]:
    """Every tracking link Shopify has for the order."""
    return {tracking["url"] for fulfillment in order.get("fulfillments", [])
            for tracking in fulfillment.get("trackingInfo", []) if tracking.get("url")}


def open_chat(page: Page, url: str) -> None:
    """Load the storefront, click the bubble and wait for the welcome message."""
    page.goto(url + "/")
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.wait_for_function(REPLY_ARRIVED, arg=0)


def say(page: Page, text: str) -> str:
    """Send ``text`` as the shopper and return what the assistant answered."""
    before = page.locator(BOT_REPLIES).count()
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(REPLY_ARRIVED, arg=before)
    return "\n".join(page.locator(BOT_REPLIES).all_inner_texts()[before:])


def screenshot(page: Page, path) -> None:
    """Capture once the conversation has scrolled (smoothly) down to the newest message."""
    page.locator(".log").evaluate("""log => new Promise(done => {
      const settled = () => log.scrollHeight - log.scrollTop - log.clientHeight < 2;
      const poll = () => settled() ? done() : requestAnimationFrame(poll);
      poll();
    })""")
    page.screenshot(path=path, animations="disabled")


def panel_text(page: Page) -> str:
    """Everything the chat panel shows."""
    return page.locator(".panel").inner_text()


def assert_nothing_revealed(page: Page, order: dict) -> None:
    """No detail of ``order`` is on screen and no tracking link exists."""
    shown = panel_text(page)
    leaked = [secret for secret in order_secrets(order) if secret in shown]
    assert leaked == []
    expect(page.locator("a.link")).to_have_count(0)


def test_shopper_verifies_then_gets_tracking_link(demo, open_page, order_1042, screenshots_dir):
    """Ask, give the number, fail then pass the email check, then follow up for the link."""
    page = open_page(1280, 800)
    widget_requests = []
    page.on("request", lambda request: widget_requests.append(request.url))
    page.goto(demo.url + "/")
    expect(page.get_by_role("button", name=LAUNCHER)).to_be_visible()
    page.screenshot(path=screenshots_dir / "storefront-desktop.png")
    # Before the click the widget costs one deferred script and not a single request more.
    assert [url for url in widget_requests if "widget" in url or "/apps/" in url] == [
        demo.url + "/static/widget/lumen-widget.js"]
    open_chat(page, demo.url)
    assert "order number" in say(page, "where is my order").lower()
    assert "For security" in say(page, "#1042")
    assert_nothing_revealed(page, order_1042)
    say(page, "wrong.person@example.com")
    assert_nothing_revealed(page, order_1042)
    details = say(page, order_1042["email"])
    assert any(secret in details for secret in order_secrets(order_1042))
    say(page, "can I get the tracking link?")
    assert_tracking_links(page, order_1042)
    screenshot(page, screenshots_dir / "widget-desktop.png")
    assert page.js_errors == []


def assert_tracking_links(page: Page, order: dict) -> None:
    """Links are http(s) anchors from the order's own data, tracking among them, opening safely."""
    links = page.locator("a.link")
    expect(links.first).to_be_visible()
    hrefs = [links.nth(index).get_attribute("href") for index in range(links.count())]
    assert all(href.startswith(("https://", "http://")) for href in hrefs)
    assert set(hrefs) <= tracking_urls(order) | {order["statusPageUrl"]}
    assert set(hrefs) & tracking_urls(order)
    for index in range(links.count()):
        assert set(links.nth(index).get_attribute("rel").split()) >= {"noopener", "noreferrer"}
        assert links.nth(index).get_attribute("target") == "_blank"


def test_phone_layout_takes_the_whole_screen(demo, open_page, order_1042, screenshots_dir):
    """At 360 px the panel fills the viewport and nothing scrolls sideways."""
    page = open_page(360, 740, is_mobile=True, has_touch=True)
    open_chat(page, demo.url)
    # Focus goes to the dialog, not the input, so the keyboard does not cover the welcome.
    assert page.evaluate(SHADOW_FOCUS) == "lumen-panel"
    screenshot(page, screenshots_dir / "widget-phone-welcome.png")
    say(page, f"Where is order 1042? My email is {order_1042['email']}")
    say(page, "can I get the tracking link?")
    assert_tracking_links(page, order_1042)
    box = page.locator(".panel").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 360, 740)
    log_overflow = page.locator(".log").evaluate("log => log.scrollWidth - log.clientWidth")
    assert log_overflow == 0
    screenshot(page, screenshots_dir / "widget-phone.png")
    page.get_by_role("button", name="Close chat").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name=LAUNCHER)).to_be_in_viewport()
    page.screenshot(path=screenshots_dir / "storefront-phone.png")
    assert page.js_errors == []


def test_keyboard_and_screen_reader_support(demo, open_page):
    """Labelled controls, a polite live log, focus in on open, Escape closes, focus back out."""
    page = open_page()
    page.goto(demo.url + "/")
    page.get_by_role("button", name=LAUNCHER).focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Northwind Outfitters")
    expect(dialog).to_be_visible()
    page.wait_for_function(REPLY_ARRIVED, arg=0)
    assert page.evaluate(SHADOW_FOCUS) == "lumen-input"
    expect(page.get_by_role("log")).to_have_attribute("aria-live", "polite")
    expect(page.get_by_label("Your message")).to_have_attribute("maxlength", "1000")
    page.keyboard.press("Tab")
    send = page.get_by_role("button", name="Send message")
    expect(send).to_be_focused()
    assert send.evaluate("button => getComputedStyle(button).outlineStyle") != "none"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate(SHADOW_FOCUS) == LAUNCHER
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(page.locator(BOT_REPLIES)).to_have_count(1)
    assert page.js_errors == []


def test_feedback_is_sent_and_acknowledged(demo, open_page):
    """Thumbs up/down appear after an answer, post the rating and say thanks."""
    page = open_page()
    open_chat(page, demo.url)
    expect(page.get_by_role("button", name="Yes, this was helpful")).to_be_hidden()
    say(page, "where is my order")
    down = page.get_by_role("button", name="No, this was not helpful")
    with page.expect_response(lambda response: response.url.endswith("/api/feedback")) as sent:
        down.click()
    assert sent.value.status == 204
    assert json.loads(sent.value.request.post_data)["rating"] == "down"
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Yes, this was helpful")).to_have_attribute(
        "aria-pressed", "false")
    expect(page.get_by_text("Thanks for your feedback!")).to_be_visible()


def test_token_lives_in_session_storage_and_expiry_renews_once(demo, open_page):
    """The token is kept per tab; when the server forgot it, a new session answers the message."""
    page = open_page()
    open_chat(page, demo.url)
    first = json.loads(page.evaluate(f"sessionStorage.getItem('{STORAGE_KEY}')"))["session"]
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
    # What 30 idle minutes do: the session record disappears from Redis.
    demo.app.extensions["redis"].flushdb()
    with page.expect_response(lambda response: response.url.endswith("/api/sessions")):
        answer = say(page, "where is my order")
    assert "order number" in answer.lower()
    expect(page.get_by_text("timed out")).to_be_visible()
    renewed = json.loads(page.evaluate(f"sessionStorage.getItem('{STORAGE_KEY}')"))["session"]
    assert renewed != first
    expect(page.locator(".msg.user.failed")).to_have_count(0)


def test_network_error_then_rate_limit_then_success(demo, open_page, screenshots_dir):
    """A dropped request offers a retry; a 429 waits out Retry-After; then the message goes."""
    page = open_page()
    outcomes = iter(["drop", "rate-limit"])

    def flaky(route: Route) -> None:
        outcome = next(outcomes, "pass")
        if outcome == "drop":
            route.abort("internetdisconnected")
        elif outcome == "rate-limit":
            route.fulfill(status=429, headers={"Retry-After": "2"}, content_type="application/json",
                          body=json.dumps({"error": "rate_limited", "message": "Slow down."}))
        else:
            route.continue_()

    page.route("**/apps/lumen/api/messages", flaky)
    open_chat(page, demo.url)
    page.get_by_label("Your message").fill("where is my order")
    page.get_by_label("Your message").press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("couldn\u2019t reach")
    alert.get_by_role("button", name="Try again").click()
    expect(alert).to_contain_text("wait")
    expect(page.get_by_role("button", name="Send message")).to_be_disabled()
    page.screenshot(path=screenshots_dir / "widget-rate-limited.png", animations="disabled")
    expect(alert.get_by_role("button", name="Try again")).to_be_visible(timeout=5_000)
    alert.get_by_role("button", name="Try again").click()
    page.wait_for_function(REPLY_ARRIVED, arg=1)
    expect(alert).to_be_hidden()
    expect(page.locator(".msg.user")).to_have_count(1)
    expect(page.locator(".msg.user.failed")).to_have_count(0)


def test_replies_are_text_and_only_web_links_become_anchors(demo, open_page):
    """Markup in a reply stays text; javascript: and data: links are dropped."""
    page = open_page()
    hostile = {"replies": [{
        "text": "<img src=x onerror=\"window.pwned=1\">Here you go",
        "links": [{"url": "javascript:window.pwned=1", "label": "Script"},
                  {"url": "data:text/html,<b>hi</b>", "label": "Data"},
                  {"url": "https://carrier.example/track?n=1", "label": "Track"}],
        "quick_replies": ["<b>Yes</b>"]}]}
    page.route("**/apps/lumen/api/messages", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(hostile)))
    open_chat(page, demo.url)
    say(page, "hello")
    expect(page.get_by_text('<img src=x onerror="window.pwned=1">Here you go')).to_be_visible()
    expect(page.locator(".panel img")).to_have_count(0)
    expect(page.locator("a.link")).to_have_count(1)
    expect(page.locator("a.link")).to_have_attribute("href", "https://carrier.example/track?n=1")
    expect(page.get_by_role("button", name="<b>Yes</b>")).to_be_visible()
    assert page.evaluate("window.pwned") is None


def test_opening_offline_then_sending_starts_the_session(demo, open_page):
    """If the session could not start when the chat opened, the first message starts it."""
    page = open_page()
    page.route("**/apps/lumen/api/sessions", lambda route: route.abort("internetdisconnected"))
    page.goto(demo.url + "/")
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.get_by_role("alert")).to_contain_text("couldn\u2019t reach")
    page.unroute("**/apps/lumen/api/sessions")
    answer = say(page, "where is my order")
    assert "order number" in answer.lower()
    expect(page.get_by_role("alert")).to_be_hidden()
    assert json.loads(page.evaluate(f"sessionStorage.getItem('{STORAGE_KEY}')"))["session"]


def test_script_tag_sets_position_and_a_legible_accent(demo, open_page):
    """data-position and data-accent from the script tag; text on a light accent turns dark."""
    page = open_page()

    def configured(route: Route) -> None:
        html = route.fetch().text().replace(
            'data-accent="#1f4e5f"', 'data-accent="#f5d000" data-position="bottom-left"')
        route.fulfill(status=200, content_type="text/html", body=html)

    page.route(demo.url + "/", configured)
    page.goto(demo.url + "/")
    launcher = page.get_by_role("button", name=LAUNCHER)
    assert launcher.bounding_box()["x"] < 100
    colours = launcher.evaluate(
        "button => [getComputedStyle(button).backgroundColor, getComputedStyle(button).color]")
    assert colours == ["rgb(245, 208, 0)", "rgb(17, 20, 24)"]


def test_reduced_motion_turns_animations_off(demo, open_page):
    """Shoppers who ask for less motion get the panel without its opening animation."""
    page = open_page(reduced_motion="reduce")
    open_chat(page, demo.url)
    animation = page.locator(".panel").evaluate("panel => getComputedStyle(panel).animationName")
    assert animation == "none"

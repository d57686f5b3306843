"""Widget requests take the shop and its settings from a short per-process snapshot."""

from __future__ import annotations

from sqlalchemy import event, update

from lumen.extensions import db
from lumen.models import Shop, ShopSettings, utcnow
from tests.widget.proxy import Chat


def shop_selects(app) -> list[str]:
    """Every SELECT of the shops table from now on."""
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: seen.append(statement)
                 if statement.startswith("SELECT shops") else None)
    return seen


def test_a_second_request_within_seconds_selects_no_shop(app, proxy):
    chat = Chat(proxy)
    seen = shop_selects(app)
    assert "order number" in chat.say("Where is my order?").lower()
    assert seen == []


def test_settings_saved_in_this_process_apply_to_the_next_request(app, proxy, shop):
    Chat(proxy)
    shop.settings.welcome_message = "Welcome to the test store!"
    db.session.commit()
    assert proxy.post("api/sessions", {}).get_json()["welcome"] == "Welcome to the test store!"


def test_a_bulk_uninstall_refuses_the_next_request(app, proxy, shop):
    chat = Chat(proxy)
    db.session.execute(update(Shop).values(uninstalled_at=utcnow()))
    db.session.commit()
    assert chat.send("Where is my order?").status_code == 401


def test_a_bulk_settings_change_is_seen_at_once(app, proxy, shop):
    Chat(proxy)
    db.session.execute(update(ShopSettings).values(welcome_message="Bulk hello"))
    db.session.commit()
    assert proxy.post("api/sessions", {}).get_json()["welcome"] == "Bulk hello"

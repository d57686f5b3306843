"""Settings: valid input is saved; invalid input comes back with clear errors and nothing lost."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from lumen.extensions import db
from lumen.models import Plan, Shop
from tests.embedded_app import SHOP as SHOP_DOMAIN

VALID = {
    "tone": "professional",
    "welcome_message": "Hello! Tell me your order number and I'll look it up.",
    "quick_prompts": "Where is my order?\n\nTrack my parcel\n",
    "escalation_email": "",
    "persona": "",
    "retention_days": "30",
}


@pytest.fixture
def shop(admin) -> Shop:
    """The development store's shop after its first admin load (Free plan)."""
    admin("/admin/")
    return db.session.scalar(select(Shop).where(Shop.domain == SHOP_DOMAIN))


def save(admin, **changes):
    return admin("/admin/settings", method="POST", data={**VALID, **changes})


def test_the_form_shows_the_stored_settings(admin, shop):
    page = admin("/admin/settings").data.decode()
    assert escape(shop.settings.welcome_message) in page
    assert "Where is my order?" in page and 'value="90"' in page


def test_valid_settings_are_saved(admin, shop):
    response = save(admin)
    assert response.status_code == 200 and "Settings saved." in response.text
    db.session.refresh(shop.settings)
    assert shop.settings.tone == "professional"
    assert shop.settings.welcome_message == VALID["welcome_message"]
    assert shop.settings.quick_prompts == ["Where is my order?", "Track my parcel"]
    assert shop.settings.retention_days == 30


@pytest.mark.parametrize(("field", "value", "message"), [
    ("tone", "sarcastic", "Choose one of the tones listed."),
    ("welcome_message", "   ", "Enter the first message shoppers see."),
    ("welcome_message", "x" * 501, "under 500 characters"),
    ("quick_prompts", "\n".join(f"Prompt {n}" for n in range(6)), "at most 5 quick prompts"),
    ("quick_prompts", "y" * 61, "under 60 characters"),
    ("retention_days", "ninety", "whole number of days from 1 to 365"),
    ("retention_days", "0", "whole number of days from 1 to 365"),
    ("retention_days", "366", "whole number of days from 1 to 365"),
    # Unicode digits: "²" passes str.isdigit() but not int(); "٣٠" passes int().
    ("retention_days", "²", "whole number of days from 1 to 365"),
    ("retention_days", "٣٠", "whole number of days from 1 to 365"),
    ("retention_days", "３０", "whole number of days from 1 to 365"),
])
def test_invalid_input_is_explained_and_nothing_is_lost(admin, shop, field, value, message):
    before = (shop.settings.tone, shop.settings.welcome_message, shop.settings.retention_days)
    welcome = "A welcome I spent time on — keep it!"
    response = save(admin, **{"welcome_message": welcome, field: value})
    page = response.text
    assert response.status_code == 422
    assert escape(message) in page
    assert 'aria-invalid="true"' in page and "nothing you typed was lost" in page
    if field == "tone":
        assert f'value="{value}"' not in page, "an unknown tone is not offered back"
    else:
        assert escape(value.strip()) in page, "the invalid value is shown for correction"
    if field != "welcome_message":
        assert escape(welcome) in page, "valid fields keep what was typed"
    db.session.refresh(shop.settings)
    assert (shop.settings.tone, shop.settings.welcome_message,
            shop.settings.retention_days) == before


def test_escalation_email_needs_a_paid_plan(admin, shop):
    response = save(admin, escalation_email="support@example.com")
    assert response.status_code == 422
    assert "part of the Pro plan and above" in response.text
    assert 'value="support@example.com"' in response.text
    db.session.refresh(shop.settings)
    assert shop.settings.escalation_email is None


def test_pro_saves_a_valid_escalation_email_and_rejects_a_bad_one(admin, shop):
    shop.plan = Plan.PRO
    db.session.commit()
    assert "Enter an email address" in save(admin, escalation_email="not-an-email").text
    assert save(admin, escalation_email="support@example.com").status_code == 200
    db.session.refresh(shop.settings)
    assert shop.settings.escalation_email == "support@example.com"


def test_the_persona_needs_pro_plus(admin, shop):
    shop.plan = Plan.PRO
    db.session.commit()
    assert 'name="persona"' not in admin("/admin/settings").text
    refused = save(admin, persona="Pre-orders ship within 4-6 weeks.")
    assert refused.status_code == 422 and "part of the Pro+ plan" in refused.text
    shop.plan = Plan.PRO_PLUS
    db.session.commit()
    assert save(admin, persona="Pre-orders ship within 4-6 weeks.").status_code == 200
    db.session.refresh(shop.settings)
    assert shop.settings.persona == "Pre-orders ship within 4-6 weeks."


def test_a_downgraded_shop_keeps_its_stored_email_when_saving_other_fields(admin, shop):
    shop.settings.escalation_email = "team@example.com"
    shop.plan = Plan.FREE
    db.session.commit()
    assert 'disabled' in admin("/admin/settings").text
    assert save(admin).status_code == 200
    db.session.refresh(shop.settings)
    assert shop.settings.escalation_email == "team@example.com"

"""Alert fixtures: a Pro shop with an escalation email, on the widget tests' development store."""

from __future__ import annotations

import pytest

from lumen.extensions import db
from lumen.mail import outbox
from lumen.models import Plan, Shop, ShopSettings
from tests.conftest import TEST_SECRETS
from tests.widget.conftest import SHOP_DOMAIN, STORE_TOKEN, app, devstore_url  # noqa: F401
from tests.widget.proxy import Chat, ProxyClient

TEAM = "support@northwind.example"
SHOPPER = "sam.okafor@example.com"


@pytest.fixture
def create_store(app):  # noqa: F811 - the widget tests' app fixture
    """Factory: the fixtures' shop on ``plan`` with ``escalation_email``."""

    def factory(plan: Plan = Plan.PRO, escalation_email: str | None = TEAM) -> Shop:
        shop = Shop(domain=SHOP_DOMAIN, access_token=STORE_TOKEN, scopes="read_orders",
                    plan=plan, settings=ShopSettings(escalation_email=escalation_email))
        db.session.add(shop)
        db.session.commit()
        return shop

    return factory


@pytest.fixture
def pro_shop(create_store) -> Shop:
    """The fixtures' shop on Pro, alerts going to TEAM."""
    return create_store()


@pytest.fixture
def chat(client, pro_shop) -> Chat:
    """A shopper's widget session on the Pro shop."""
    return Chat(ProxyClient(client, pro_shop.domain, TEST_SECRETS["SHOPIFY_API_SECRET"]))


def never_arrived(chat: Chat) -> None:
    """Verify #1036 (delivered to the mailbox) and say it never came."""
    chat.say("Where is my order #1036?")
    chat.say(SHOPPER)
    chat.say("It says delivered but I never got my package")


def sent():
    """The messages in the outbox, newest first."""
    return outbox().messages()

"""A customer data request reaches the merchant: notice on Home, then the download page."""

from __future__ import annotations

import base64
import json
import re

import pytest
from sqlalchemy import select

from lumen.extensions import db
from lumen.models import DataRequest, Shop
from tests.embedded_app import SHOP
from tests.webhooks.conftest import add_conversation, payload_for


@pytest.fixture
def installed_shop(admin) -> Shop:
    """The development store's shop, installed by its first admin request (token exchange)."""
    assert admin("/admin/").status_code == 200
    return db.session.scalar(select(Shop).where(Shop.domain == SHOP))


@pytest.fixture
def data_request(installed_shop, webhooks) -> DataRequest:
    """A customers/data_request for the shop, delivered and gathered (jobs run inline)."""
    add_conversation(installed_shop, email="ada@example.com", text="where is #1001?")
    payload = payload_for("customers/data_request", installed_shop)
    assert webhooks.post("customers/data_request", payload, SHOP).status_code == 200
    return db.session.scalars(select(DataRequest)).one()


def test_home_tells_the_merchant_about_a_pending_request(admin, data_request):
    page = admin("/admin/").get_data(as_text=True)
    assert "Customer data requests" in page and "#9999" in page
    assert f"/admin/data-requests/{data_request.id}" in page


def test_download_page_holds_the_transcripts_and_records_the_download(admin, data_request):
    response = admin(f"/admin/data-requests/{data_request.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'download="lumen-data-request-9999.json"' in page
    encoded = re.search(r'href="data:application/json;base64,([^"]+)"', page).group(1)
    document = json.loads(base64.b64decode(encoded))
    assert document["conversations"][0]["messages"][0]["text"] == "where is #1001?"
    assert "ada@example.com" not in page
    db.session.expire_all()
    assert db.session.get(DataRequest, data_request.id).downloaded_at is not None


def test_another_shops_request_is_not_found(admin, installed_shop, create_shop):
    other = create_shop(domain="other.myshopify.com")
    db.session.add(DataRequest(shop_id=other.id, shopify_request_id="1",
                               expires_at=installed_shop.installed_at.replace(year=2100)))
    db.session.commit()
    request_id = db.session.scalar(select(DataRequest.id))
    assert admin(f"/admin/data-requests/{request_id}").status_code == 404

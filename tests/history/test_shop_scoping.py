"""Only the shop's own data: every admin route that takes an id answers 404 for another
shop's id (the routes are read from the URL map, so a route added later is covered too)."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from lumen.extensions import db
from lumen.history import exports
from lumen.history.filters import ConversationFilters
from lumen.models import DataRequest, Export, ExportShape, Ticket, TicketStatus, utcnow
from lumen.outcomes import Outcome
from tests.conftest import make_app


def routes_with_ids() -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, rule, argument names) of every admin route with an id in its path."""
    app = make_app(Path(tempfile.mkdtemp(prefix="lumen-scoping-")))
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin.") and rule.arguments:
            found.extend((method, rule.rule, tuple(sorted(rule.arguments)))
                         for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return found


ROUTES = routes_with_ids()


def test_the_routes_with_ids_are_found():
    rules = {rule for _, rule, _ in ROUTES}
    assert {"/admin/conversations/<int:conversation_id>", "/admin/exports/<int:export_id>",
            "/admin/exports/<int:export_id>/download", "/admin/tickets/<int:ticket_id>/close",
            "/admin/tickets/<int:ticket_id>/reopen"} <= rules


@pytest.fixture
def other_ids(other_shop, add_conversation) -> dict[str, int]:
    """Ids of another shop's conversation, ticket, ready export and data request."""
    conversation = add_conversation(other_shop, outcome=Outcome.ESCALATED,
                                    ticket=("not_received", TicketStatus.OPEN))
    ticket = db.session.scalar(select(Ticket).where(Ticket.conversation_id == conversation.id))
    export = exports.create_export(other_shop, ConversationFilters(), ExportShape.CONVERSATIONS)
    db.session.commit()
    exports.write_export(export.id)
    data_request = DataRequest(shop_id=other_shop.id, shopify_request_id="77",
                               transcripts=[], order_ids=[],
                               expires_at=utcnow() + timedelta(days=30))
    db.session.add(data_request)
    db.session.commit()
    return {"conversation_id": conversation.id, "ticket_id": ticket.id,
            "export_id": export.id, "request_id": data_request.id}


@pytest.mark.parametrize(("method", "rule", "arguments"), ROUTES)
def test_another_shops_id_is_not_found(admin, shop, other_ids, method, rule, arguments):
    path = rule
    for name in arguments:
        path = path.replace(f"<int:{name}>", str(other_ids[name]))
    response = admin(path, method=method, data={"note": "mine now"})
    assert response.status_code == 404, (method, path)
    db.session.expire_all()
    ticket = db.session.get(Ticket, other_ids["ticket_id"])
    assert ticket.status is TicketStatus.OPEN and ticket.note == ""
    assert db.session.get(Export, other_ids["export_id"]) is not None

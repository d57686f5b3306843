"""The Conversations list and the transcript, registered on the admin blueprint.

Each view parses its input, reads, commits (the shop's cached time zone may have been
refreshed) and renders: the whole page, the page's partial for htmx, or only the list when the
filter form asks for it (`HX-Target: conversation-list`).
"""

from __future__ import annotations

from flask import Response, abort, g, make_response, render_template, request

from lumen import plans
from lumen.admin import bp
from lumen.admin.rendering import render_page
from lumen.extensions import db, htmx
from lumen.history import display, queries
from lumen.history.filters import SENTIMENTS, ConversationFilters
from lumen.history.timezone import shop_zone
from lumen.outcomes import OUTCOME_LABELS

LIST_TARGET = "conversation-list"


@bp.get("/conversations")
def conversations() -> Response:
    """Conversations: the shop's conversations, newest first, filtered as the URL says."""
    shop = g.shop
    filters = ConversationFilters.parse(request.args, shop)
    zone = shop_zone(shop)
    page = queries.conversation_page(shop, filters, zone)
    db.session.commit()
    context = {"filters": filters, "listing": page, "outcome_labels": OUTCOME_LABELS,
               "sentiments": SENTIMENTS,
               "may_sentiment": plans.may_use(shop, "sentiment_analytics"),
               "sentiment_plan": plans.required_plan_name("sentiment_analytics"),
               **display.helpers(zone)}
    if htmx and htmx.target == LIST_TARGET and not htmx.history_restore_request:
        response = make_response(render_template("admin/_conversation_list.html", **context))
        response.vary.add("HX-Target")
        return response
    response = render_page("conversations", **context)
    response.vary.add("HX-Target")
    return response


@bp.get("/conversations/<int:conversation_id>")
def transcript(conversation_id: int) -> Response:
    """One conversation's transcript: every message, as stored (redacted), in shop time."""
    shop = g.shop
    conversation = queries.shop_conversation(shop, conversation_id)
    if conversation is None:
        abort(404)
    zone = shop_zone(shop)
    db.session.commit()
    return render_page("transcript", conversation=conversation, ticket=conversation.ticket,
                       outcome_labels=OUTCOME_LABELS,
                       may_sentiment=plans.may_use(shop, "sentiment_analytics"),
                       **display.helpers(zone))

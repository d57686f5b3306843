"""Tickets: close and reopen through htmx, a merchant note, filters, counts, lock-outs apart."""

from __future__ import annotations

from lumen.extensions import db
from lumen.models import Ticket, TicketStatus
from lumen.outcomes import Outcome


def ticket_of(conversation) -> Ticket:
    db.session.expire_all()
    return db.session.get(type(conversation), conversation.id).ticket


def test_close_and_reopen_swap_the_card_and_refresh_the_nav_count(admin, shop,
                                                                   add_conversation):
    conversation = add_conversation(shop, outcome=Outcome.ESCALATED,
                                    ticket=("not_received", TicketStatus.OPEN))
    ticket = ticket_of(conversation)
    page = admin("/admin/tickets").text
    assert '<span class="count nav-count">1</span>' in page
    closed = admin(f"/admin/tickets/{ticket.id}/close", method="POST")
    assert closed.status_code == 200 and "<html" not in closed.text
    assert f'id="ticket-{ticket.id}"' in closed.text and "Reopen ticket" in closed.text
    assert 'id="admin-nav" class="tabs" aria-label="Lumen" hx-swap-oob="true"' in closed.text
    assert "nav-count" not in closed.text  # no open tickets left
    assert ticket_of(conversation).status is TicketStatus.CLOSED
    assert ticket_of(conversation).closed_at is not None
    reopened = admin(f"/admin/tickets/{ticket.id}/reopen", method="POST")
    assert "Close ticket" in reopened.text
    assert '<span class="count nav-count">1</span>' in reopened.text
    assert ticket_of(conversation).status is TicketStatus.OPEN
    assert ticket_of(conversation).closed_at is None
    assert ticket_of(conversation).conversation.outcome is Outcome.ESCALATED


def test_a_note_is_saved_redacted_and_length_checked(admin, shop, add_conversation):
    conversation = add_conversation(shop, ticket=("human_requested", TicketStatus.OPEN))
    ticket = ticket_of(conversation)
    saved = admin(f"/admin/tickets/{ticket.id}/note", method="POST",
                  data={"note": "Called back; reship sent. Wrote to jane@example.com"})
    assert saved.status_code == 200 and "Note saved." in saved.text
    assert ticket_of(conversation).note == "Called back; reship sent. Wrote to [email]"
    too_long = admin(f"/admin/tickets/{ticket.id}/note", method="POST", data={"note": "x" * 2001})
    assert too_long.status_code == 400
    assert ticket_of(conversation).note.startswith("Called back")


def test_filters_by_status_and_reason(admin, shop, add_conversation):
    add_conversation(shop, ticket=("not_received", TicketStatus.OPEN))
    add_conversation(shop, ticket=("human_requested", TicketStatus.OPEN))
    add_conversation(shop, ticket=("frustration", TicketStatus.CLOSED))
    open_page = admin("/admin/tickets").text
    assert "Summary: not_received" in open_page and "Summary: human_requested" in open_page
    assert "Summary: frustration" not in open_page
    by_reason = admin("/admin/tickets?status=all&reason=frustration").text
    assert "Summary: frustration" in by_reason and "Summary: not_received" not in by_reason
    assert admin("/admin/tickets?reason=bogus").status_code == 400
    assert admin("/admin/tickets?status=lost").status_code == 400


def test_lockouts_are_labelled_and_grouped_below_real_requests(admin, shop, add_conversation):
    add_conversation(shop, hours_ago=3, ticket=("human_requested", TicketStatus.OPEN))
    for hours in (2, 1):
        add_conversation(shop, hours_ago=hours, ticket=("verification_locked", TicketStatus.OPEN))
    page = admin("/admin/tickets").text
    group = page.index('class="card lockout-group"')
    assert page.index("Summary: human_requested") < group
    assert page.count("Opened by a verification lock-out") == 2
    assert page.index("Summary: verification_locked") > group
    assert 'Verification lock-outs</strong> <span class="count">2</span>' in page


def test_the_transcript_is_one_click_away(admin, shop, add_conversation):
    conversation = add_conversation(shop, ticket=("not_received", TicketStatus.OPEN))
    page = admin("/admin/tickets").text
    assert f'href="/admin/conversations/{conversation.id}"' in page and "Open transcript" in page

"""Answers about one verified order, built from its OrderFacts and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lumen.conversation.facts import MOVING, OrderFacts, Package
from lumen.conversation.replies import (
    NOT_SHIPPED,
    NOT_SHIPPED_PHRASES,
    STALE_AFTER,
    TALK_TO_A_PERSON,
    Link,
    Reply,
    describe_items,
    format_date,
    format_time,
    safe_link,
)


class _Writer:
    """Formats one order's facts relative to the current date."""

    def __init__(self, facts: OrderFacts, now: datetime):
        self.facts = facts
        self.now = now
        self.name = facts.name

    def date(self, moment: datetime) -> str:
        """A date as replies write it."""
        return format_date(moment, self.now)

    def label(self, index: int, package: Package) -> str:
        """"It" for a single package, else "Package 2 (Running Shoes)"."""
        if len(self.facts.packages) == 1:
            return "It"
        items = describe_items(package.items)
        return f"Package {index} ({items})" if items else f"Package {index}"

    def packages(self):
        """(number from 1, package) pairs."""
        return enumerate(self.facts.packages, 1)


def answer(intent: str, facts: OrderFacts, now: datetime) -> Reply:
    """The reply to an order question (``intent`` from the understanding layer)."""
    writer = _Writer(facts, now)
    if facts.status == "cancelled" and intent not in ("items", "payment"):
        return cancelled(writer)
    handler = _HANDLERS.get(intent, status)
    reply = handler(writer)
    if not reply.quick_replies:
        reply.quick_replies = follow_ups(facts)
    return reply


def follow_ups(facts: OrderFacts) -> list[str]:
    """Suggested next questions that this order can actually answer."""
    suggestions = []
    if any(safe_link(url, "") for package in facts.packages for url in package.tracking_urls):
        suggestions.append("Tracking link")
    if facts.status in NOT_SHIPPED or facts.status == "partially fulfilled":
        suggestions.append("Has it shipped?")
    elif any(package.tracking and package.state != "delivered" for package in facts.packages):
        suggestions.append("When will it arrive?")
    return [*suggestions[:2], TALK_TO_A_PERSON]


def cancelled(writer: _Writer) -> Reply:
    """Cancelled: the date, no guessed reason, and an offer of a person."""
    when = writer.facts.status_date
    on = f" on {writer.date(when)}" if when else ""
    return Reply(f"Your order {writer.name} was cancelled{on}. I don't have details about why. "
                 "If you need more information, I can connect you with our support team.",
                 quick_replies=[TALK_TO_A_PERSON], offers_help=True)


def not_shipped(writer: _Writer) -> Reply:
    """Confirmed or processing but not fulfilled: what is known, and who knows more."""
    phrase = NOT_SHIPPED_PHRASES.get(writer.facts.status or "", "hasn't been fulfilled")
    return Reply(f"Your order {writer.name} {phrase}. It hasn't shipped yet, so there's no "
                 "tracking information available. If you'd like an estimated shipping date, I "
                 "can connect you with our support team.", quick_replies=[TALK_TO_A_PERSON],
                 offers_help=True)


def status(writer: _Writer) -> Reply:
    """The full picture: headline, then every package with tracking, ETA and latest event."""
    facts = writer.facts
    if not facts.packages:
        return not_shipped(writer) if facts.status in NOT_SHIPPED or not facts.status \
            else Reply(f"The status of your order {writer.name} is: {facts.status}.")
    lines = [_headline(writer)]
    lines += [_package_line(writer, index, package) for index, package in writer.packages()]
    lines += _unshipped_line(writer)
    links = _tracking_links(writer)
    page = safe_link(facts.status_page_url, "Order status page")
    return Reply("\n".join(lines), links + ([page] if page else []))


def _headline(writer: _Writer) -> str:
    count = len(writer.facts.packages)
    state = writer.facts.status
    if state == "partially fulfilled":
        return f"Part of your order {writer.name} has shipped."
    if count > 1:
        verb = "been delivered" if state == "delivered" else "been shipped"
        return f"Your order {writer.name} has {verb} in {count} packages."
    phrases = {"delivered": "has been delivered", "in transit": "is in transit",
               "shipped": "has shipped", "fulfilled": "has been fulfilled"}
    return f"Your order {writer.name} {phrases.get(state or '', 'has shipped')}."


def _package_line(writer: _Writer, index: int, package: Package) -> str:
    label = writer.label(index, package)
    sentence = _package_opening(writer, label, package)
    if package.tracking_numbers:
        sentence += f", tracking {', '.join(package.tracking_numbers)}"
    if package.state != "delivered" and package.estimated_delivery:
        sentence += f", estimated delivery {writer.date(package.estimated_delivery)}"
    if package.state not in ("delivered", "shipped", "fulfilled"):
        sentence += f", currently {package.state}"
    parts = [sentence + "."]
    if package.state != "delivered":
        parts += [_event_sentence(writer, package), _stale_sentence(writer, package)]
    return " ".join(part for part in parts if part)


def _package_opening(writer: _Writer, label: str, package: Package) -> str:
    if package.state == "delivered":
        when = f" on {writer.date(package.delivered_at)}" if package.delivered_at else ""
        by = f" by {package.carrier}" if package.carrier else ""
        return f"{label} was delivered{when}{by}"
    on = f" on {writer.date(package.fulfilled_at)}" if package.fulfilled_at else ""
    if not package.tracking:
        return (f"{label} was fulfilled{on}, but no tracking details have been added, so I "
                "don't have a carrier or tracking number to share")
    via = f" via {package.carrier}" if package.carrier else ""
    return f"{label} shipped{via}{on}"


def _event_sentence(writer: _Writer, package: Package) -> str:
    event = package.latest_event
    if event is None:
        return ""
    what = event.message or (event.status or "").replace("_", " ").lower()
    place = ", ".join(part for part in (event.city, event.country) if part)
    where = f" ({place})" if place else ""
    when = f" on {writer.date(event.happened_at)}" if event.happened_at else ""
    return f"Latest tracking update: {what}{where}{when}." if what else ""


def _stale_sentence(writer: _Writer, package: Package) -> str:
    """No news for a week: say so, and point to the carrier that may know more."""
    event = package.latest_event
    last = event.happened_at if event and event.happened_at else package.in_transit_at
    if last is None or writer.now - last < STALE_AFTER or package.state not in MOVING:
        return ""
    carrier = package.carrier or "the carrier"
    return (f"There have been no tracking updates since {writer.date(last)}. Updates can be "
            "sparse while a package is travelling a long way, especially abroad; you can also "
            f"check with {carrier} directly using the tracking number.")


def _unshipped_line(writer: _Writer) -> list[str]:
    if writer.facts.status != "partially fulfilled":
        return []
    remaining = describe_items(writer.facts.unshipped_items)
    return [f"Not shipped yet: {remaining}."] if remaining else []


def _tracking_links(writer: _Writer) -> list[Link]:
    links = []
    for index, package in writer.packages():
        for url in package.tracking_urls:
            label = "Track package" if len(writer.facts.packages) == 1 else f"Track package {index}"
            carrier = f" ({package.carrier})" if package.carrier else ""
            link = safe_link(url, label + carrier)
            if link:
                links.append(link)
    return links


def shipped(writer: _Writer) -> Reply:
    """Has it shipped? Yes with the packages, or not yet with what is known."""
    if not writer.facts.packages:
        return status(writer)
    reply = status(writer)
    lead = "Partly. " if writer.facts.status == "partially fulfilled" else "Yes! "
    reply.text = lead + reply.text
    return reply


def tracking_number(writer: _Writer) -> Reply:
    """Every package's tracking number, or an honest "none yet"."""
    if not any(package.tracking_numbers for package in writer.facts.packages):
        return _no_tracking(writer)
    lines = [f"Tracking for your order {writer.name}:"]
    for index, package in writer.packages():
        numbers = ", ".join(package.tracking_numbers) or "no tracking number yet"
        carrier = f" ({package.carrier})" if package.carrier and package.tracking_numbers else ""
        lines.append(f"{writer.label(index, package)}: {numbers}{carrier}.")
    return Reply("\n".join(lines), _tracking_links(writer))


def tracking_link(writer: _Writer) -> Reply:
    """The tracking links; the number when the carrier gave no link."""
    links = _tracking_links(writer)
    if links:
        lead = "Here are the tracking links" if len(links) > 1 else "Here's the tracking link"
        return Reply(f"{lead} for your order {writer.name}.", links)
    if any(package.tracking_numbers for package in writer.facts.packages):
        reply = tracking_number(writer)
        reply.text = "The carrier hasn't provided a tracking link. " + reply.text
        return reply
    return _no_tracking(writer)


def carrier(writer: _Writer) -> Reply:
    """Which carrier has each package."""
    if not any(package.carrier for package in writer.facts.packages):
        return _no_tracking(writer)
    if len(writer.facts.packages) == 1:
        package = writer.facts.packages[0]
        verb = "was delivered" if package.state == "delivered" else "is being delivered"
        numbers = ", ".join(package.tracking_numbers)
        tracking = f" (tracking {numbers})" if numbers else ""
        return Reply(f"Your order {writer.name} {verb} by {package.carrier}{tracking}.",
                     _tracking_links(writer))
    lines = [f"Your order {writer.name} is in {len(writer.facts.packages)} packages:"]
    lines += [f"{writer.label(index, package)}: {package.carrier or 'no carrier details yet'}."
              for index, package in writer.packages()]
    return Reply("\n".join(lines), _tracking_links(writer))


def eta(writer: _Writer) -> Reply:
    """Estimated delivery, only when Shopify has one."""
    facts = writer.facts
    if not facts.packages or facts.status == "delivered":
        return status(writer)
    lines = []
    for index, package in writer.packages():
        lines.append(f"{writer.label(index, package)}: {_eta_phrase(writer, package)}.")
    if len(facts.packages) == 1:
        lines = [f"For your order {writer.name}, " + _eta_phrase(writer, facts.packages[0]) + "."]
        lines.append(_event_sentence(writer, facts.packages[0]))
    else:
        lines.insert(0, f"Estimated delivery for your order {writer.name}:")
    return Reply("\n".join(line for line in lines if line), _tracking_links(writer))


def _eta_phrase(writer: _Writer, package: Package) -> str:
    if package.state == "delivered":
        when = f" on {writer.date(package.delivered_at)}" if package.delivered_at else ""
        return f"delivered{when}"
    if package.estimated_delivery:
        return f"estimated delivery {writer.date(package.estimated_delivery)}"
    return (f"the carrier hasn't given an estimated delivery date yet (currently "
            f"{package.state})")


def items(writer: _Writer) -> Reply:
    """What the order contains."""
    described = describe_items(writer.facts.items, variants=True)
    if not described:
        return Reply(f"I don't have the item details for your order {writer.name}.")
    return Reply(f"Your order {writer.name} contains: {described}.")


def payment(writer: _Writer) -> Reply:
    """The payment status as Shopify reports it."""
    label = writer.facts.payment_status
    if label is None:
        return Reply(f"I don't have payment details for your order {writer.name}.")
    text = f"The payment status of your order {writer.name} is: {label}."
    if label != "pending":
        return Reply(text)
    return Reply(text + " The payment hasn't been completed yet. If you have questions about "
                 "paying, I can connect you with our support team.", offers_help=True)


def fulfilled_when(writer: _Writer) -> Reply:
    """When each package was fulfilled (handed over for shipping)."""
    facts = writer.facts
    if not facts.packages:
        return status(writer)
    dated = [(index, package) for index, package in writer.packages() if package.fulfilled_at]
    if not dated:
        return Reply(f"Your order {writer.name} has been fulfilled, but I don't have the date.")
    if len(facts.packages) == 1:
        lines = [f"Your order {writer.name} was fulfilled on "
                 f"{writer.date(facts.packages[0].fulfilled_at)}."]
    else:
        lines = [f"{writer.label(index, package)} was fulfilled on "
                 f"{writer.date(package.fulfilled_at)}." for index, package in dated]
    return Reply("\n".join(lines + _unshipped_line(writer)))


def not_received(facts: OrderFacts, now: datetime) -> tuple[Reply, bool]:
    """Delivery details when the carrier reports delivery (True: needs a person), else the
    current status with an offer of help (False)."""
    writer = _Writer(facts, now)
    delivered = [package for package in facts.packages if package.state == "delivered"]
    if facts.status == "cancelled" or not delivered:
        reply = answer("track", facts, now)
        if facts.packages and facts.status != "cancelled":
            reply.text += ("\nIf it still doesn't arrive, I can pass this to the store's support "
                           "team.")
            reply.offers_help = True
        return reply, False
    lines = [_delivery_confirmation(writer, index, package)
             for index, package in writer.packages() if package.state == "delivered"]
    lines.append("I can't confirm physical delivery myself, so this needs a person to look into.")
    return Reply("\n".join(lines), _tracking_links(writer)), True


def situation(facts: OrderFacts, question: str, now: datetime) -> str | None:
    """Which preventable situation an answered order was in, for the merchant's analytics:
    "delivered_not_received", "stale_tracking", "no_tracking", or None (none of them)."""
    if facts.status == "cancelled":
        return None
    if question == "not_received" and any(p.state == "delivered" for p in facts.packages):
        return "delivered_not_received"
    writer = _Writer(facts, now)
    if any(_stale_sentence(writer, package) for package in facts.packages):
        return "stale_tracking"
    delivered = facts.packages and all(p.state == "delivered" for p in facts.packages)
    if not delivered and not any(p.tracking_numbers for p in facts.packages):
        return "no_tracking"
    return None


def _delivery_confirmation(writer: _Writer, index: int, package: Package) -> str:
    when = ""
    if package.delivered_at:
        when = f" on {writer.date(package.delivered_at)} at {format_time(package.delivered_at)}"
    by = f" by {package.carrier}" if package.carrier else ""
    event = package.latest_event
    detail = f" ({event.message})" if event and event.message else ""
    subject = f"your order {writer.name}"
    if len(writer.facts.packages) > 1:
        subject = f"package {index} of {subject}"
    return f"Tracking shows {subject} was delivered{when}{by}{detail}."


def _no_tracking(writer: _Writer) -> Reply:
    facts = writer.facts
    if not facts.packages:
        return not_shipped(writer)
    return Reply(f"There's no tracking information for your order {writer.name} yet. "
                 + " ".join(_package_line(writer, index, package)
                            for index, package in writer.packages()),
                 quick_replies=[TALK_TO_A_PERSON], offers_help=True)


_HANDLERS: dict[str, Callable[[_Writer], Reply]] = {
    "track": status, "shipped": shipped, "tracking_number": tracking_number,
    "tracking_link": tracking_link, "carrier": carrier, "eta": eta, "items": items,
    "payment": payment, "fulfilled_when": fulfilled_when,
}

"""Reply templates. Answers about an order are built from OrderFacts only: every number, URL
and date in them comes from the facts, and a missing field is said to be missing.

Replies may contain line breaks ("\\n") between packages; the widget shows them as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from lumen.conversation.facts import Item, OrderFacts
from lumen.conversation.scope import OUT_OF_SCOPE

STALE_AFTER = timedelta(days=7)
NOT_SHIPPED = frozenset({"confirmed", "processing", "on hold"})
NOT_SHIPPED_PHRASES = {
    "confirmed": "is confirmed and is being prepared",
    "processing": "is being processed",
    "on hold": "is on hold",
}
TALK_TO_A_PERSON = "Talk to a person"
# Offered after a lock-out, and to a shopper without the order number (one-time email codes).
SEND_A_CODE = "Email me a code"
# Said whatever the address: nothing tells whether it has orders with the store.
CODE_SENT = "If that email has orders with us, I've sent a 6-digit code to it."

ASK_EMAIL = "For security, please provide the email address associated with this order."
ASK_ORDER_NUMBER = ("What's your order number? You'll find it in your order confirmation "
                    "email.")
WRONG_EMAIL = ("Sorry, I couldn't verify the order with that email address. Please check that "
               "it's the email you used at checkout and try again.")
UNAVAILABLE = ("I can't reach the store's order system right now. Please try again in a "
               "minute.")
OTHER_PLATFORM = (
    "I can only look up orders placed on this store. For orders from other platforms, you'll "
    "need to check with that platform directly. If you have an order from our store, I'm happy "
    "to help — just share the order number.")
VERIFIED = "Thanks, that email matches the order."
VERIFIED_BY_HASH = "This order matches the email you already verified in this chat."
SCOPE = "I can only check order status, tracking and delivery details here."


@dataclass(frozen=True)
class Link:
    """A link shown under a reply; only http(s) URLs are ever made into links."""

    url: str
    label: str

    def to_dict(self) -> dict[str, str]:
        """JSON form."""
        return {"url": self.url, "label": self.label}


@dataclass
class Reply:
    """One chat bubble: text, optional links and suggested follow-ups."""

    text: str
    links: list[Link] = field(default_factory=list)
    quick_replies: list[str] = field(default_factory=list)
    # Engine-only: the text offers to bring in a person, so a plain "yes" next turn accepts.
    offers_help: bool = field(default=False, compare=False, repr=False)
    # Engine-only: the text says a ticket was opened or updated (dropped if none could be).
    announces_ticket: bool = field(default=False, compare=False, repr=False)

    def to_dict(self) -> dict[str, object]:
        """JSON form for the widget API."""
        return {"text": self.text, "links": [link.to_dict() for link in self.links],
                "quick_replies": list(self.quick_replies)}


def safe_link(url: str | None, label: str) -> Link | None:
    """A Link when ``url`` is an absolute http(s) URL, else None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return Link(url.strip(), label)


def format_date(moment: datetime, today: datetime) -> str:
    """"February 20", with the year only when it is not the current one."""
    text = f"{moment:%B} {moment.day}"
    return text if moment.year == today.year else f"{text}, {moment.year}"


def format_time(moment: datetime) -> str:
    """"6:22 PM UTC" (Shopify gives times in UTC; the shop's time zone is not known)."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'} UTC"


def describe_items(items: tuple[Item, ...], *, variants: bool = False) -> str:
    """"2 × Blue T-Shirt, Running Shoes": quantities shown when known and above one."""
    return ", ".join(_describe_item(item, variants) for item in items)


def _describe_item(item: Item, variants: bool) -> str:
    text = item.title
    if variants and item.variant and item.variant.lower() != "default title":
        text = f"{text} ({item.variant})"
    return f"{item.quantity} × {text}" if item.quantity and item.quantity > 1 else text


# --- conversation replies (no order details) ------------------------------------------------

def greeting() -> Reply:
    """Hello, and what the assistant needs to start."""
    return Reply("Hi! I can check on an order for you: status, tracking and delivery. "
                 + ASK_ORDER_NUMBER)


def ask_order_number(*, other_order: bool = False) -> Reply:
    """Ask for the (next) order number."""
    lead = "Sure, what's the number of your other order?" if other_order else ASK_ORDER_NUMBER
    tail = " You'll find it in your order confirmation email." if other_order else ""
    return Reply(lead + tail)


def ask_email() -> Reply:
    """The verification prompt, in the wording the product documents."""
    return Reply(ASK_EMAIL)


def email_first() -> Reply:
    """The shopper gave an email before an order number."""
    return Reply("Thanks. What's your order number? I need it to find your order, and I'll "
                 "check it against that email. You'll find it in your order confirmation email.")


def not_found(order_name: str | None) -> Reply:
    """No order has that name in this store (None: a number the transcript must not repeat)."""
    matching = f"matching {order_name}" if order_name else "with that number"
    return Reply(f"I wasn't able to find an order {matching}. Could you double-check "
                 "the number? You can find it in your order confirmation email.")


def wrong_email() -> Reply:
    """The email did not match; nothing about the order is revealed."""
    return Reply(WRONG_EMAIL, quick_replies=[TALK_TO_A_PERSON])


def locked(store: str, *, email_code: bool = False) -> Reply:
    """Too many failed attempts: the same words whatever the order or email was.

    Nothing in it depends on the order: a lock on a number that matches no order reads
    exactly like a lock on a real one. With ``email_code`` it offers a one-time code sent to
    the checkout email, which only the real customer can read.
    """
    if email_code:
        return Reply(
            "For your security, I can't check emails in this chat right now because there "
            "have been too many unsuccessful attempts. If the order is yours, I can send a "
            "one-time code to the email address you used at checkout instead: with it I can "
            f"show your orders. You can also ask for a person on {store}'s team.",
            quick_replies=[SEND_A_CODE, TALK_TO_A_PERSON], offers_help=True)
    return Reply(
        "For your security, I can't check emails in this chat right now because there have "
        "been too many unsuccessful attempts. Please try again later. If you need help now, I "
        f"can pass this to a person on {store}'s team, or you can reach them through the "
        "store's contact page.", quick_replies=[TALK_TO_A_PERSON], offers_help=True)


def unavailable() -> Reply:
    """Shopify could not be reached."""
    return Reply(UNAVAILABLE)


def other_platform() -> Reply:
    """Orders from Amazon, Etsy and the like are not this store's."""
    return Reply(OTHER_PLATFORM)


def out_of_scope(action: str) -> Reply:
    """An action Lumen cannot take (cancel, refund, return...)."""
    doing = OUT_OF_SCOPE[action].cannot if action in OUT_OF_SCOPE else "do that"
    return Reply(f"I'm not able to {doing} in this chat. {SCOPE}")


def product_question() -> Reply:
    """Questions about products are for the store's team."""
    return Reply(f"{SCOPE} For questions about products, please check the product page or ask "
                 "the store's support team.", quick_replies=[TALK_TO_A_PERSON], offers_help=True)


def multiple_orders(first: str, others: list[str]) -> Reply:
    """Several order numbers in one message: one at a time."""
    return Reply(f"Let's start with {first}. You can ask me about {', '.join(others)} after.")


def greet_again(order_name: str) -> Reply:
    """Hello from a shopper who already verified an order."""
    return Reply(f"Hi again! What would you like to know about your order {order_name}?",
                 quick_replies=["Has it shipped?", "Tracking link", TALK_TO_A_PERSON])


def order_gone() -> Reply:
    """A verified order can no longer be found or re-verified."""
    return Reply("I can't find that order any more. " + ASK_ORDER_NUMBER)


def capabilities(store: str) -> Reply:
    """What the assistant is and does."""
    return Reply(f"I'm {store}'s automated order assistant. I can check your order status, "
                 "shipping and tracking, delivery estimates, items and payment status. Share "
                 "your order number to start; I'll verify your email before showing details.")


def thanks() -> Reply:
    """You're welcome."""
    return Reply("You're welcome! If anything else comes up about your order, just ask.")


def acknowledge(order_name: str | None) -> Reply:
    """A plain "ok" with nothing on offer."""
    if order_name:
        return Reply(f"Great. Is there anything else you'd like to know about your order "
                     f"{order_name}?", quick_replies=["Has it shipped?", "Tracking link"])
    return Reply("Great. " + ASK_ORDER_NUMBER)


def decline() -> Reply:
    """The shopper said no to an offer."""
    return Reply("No problem. Is there anything else I can help you with?")


def empathy() -> Reply:
    """A first sign of frustration."""
    return Reply("I'm sorry for the trouble. I'll do my best to help, and I can pass this to "
                 "a person on the store's team if you'd like.", quick_replies=[TALK_TO_A_PERSON],
                 offers_help=True)


def sorry() -> Reply:
    """Said before escalating a frustrated conversation."""
    return Reply("I'm sorry for the trouble.")


def already_escalated(store: str) -> Reply:
    """Frustration again after the team already has the conversation."""
    return Reply(f"I'm sorry for the trouble. {store[0].upper() + store[1:]}'s support team "
                 "already has this conversation.")


def not_understood(order_name: str | None) -> Reply:
    """The message was not understood."""
    if order_name:
        return Reply(f"Sorry, I didn't quite get that. About your order {order_name}, I can tell "
                     "you its status, tracking, carrier, estimated delivery, items or payment "
                     "status. What would you like to know?",
                     quick_replies=["Has it shipped?", "Tracking link", TALK_TO_A_PERSON])
    return Reply("Sorry, I didn't quite get that. I can help with order status, tracking and "
                 "delivery questions. " + ASK_ORDER_NUMBER)


# What a clarifying question offers for the model's best guess, and the button that says it.
CLARIFY_TOPICS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("track", "eta", "shipped", "tracking_number", "tracking_link", "carrier",
                     "fulfilled_when", "items", "payment"),
                    ("an order you placed", "Where is my order?")),
    "not_received": ("an order that hasn't arrived", "My order hasn't arrived"),
    "cancel": ("cancelling an order", "Cancel my order"),
    "refund": ("a refund", "I want a refund"),
    "return": ("returning an item", "Return an item"),
    "exchange": ("exchanging an item", "Exchange an item"),
    "address_change": ("changing a delivery address", "Change my delivery address"),
    "change_order": ("changing an order", "Change my order"),
    "damaged": ("a damaged or wrong item", "My item arrived damaged"),
    "human": ("talking to a person on the store's team", TALK_TO_A_PERSON),
    "product_question": ("a product", "A question about a product"),
    "policy_returns": ("the store's return policy", "What's your return policy?"),
    "policy_shipping": ("shipping times and destinations", "How long does shipping take?"),
}


def clarify(guess: str) -> Reply:
    """A clarifying question about the most likely reading, when no reading is sure enough."""
    topic, button = CLARIFY_TOPICS[guess]
    options = list(dict.fromkeys([button, "Where is my order?", TALK_TO_A_PERSON]))
    return Reply(f"Just to check I've understood: is your question about {topic}? Choose an "
                 "option below, or tell me in other words.", quick_replies=options)


def escalated(store: str, order_name: str | None, *, awaiting_email: bool = False) -> Reply:
    """What happens next after a ticket was created or updated."""
    if order_name:
        text = (f"I've passed this to {store}'s support team with your order {order_name}. "
                "They'll follow up using the contact details on your order.")
    elif awaiting_email:
        text = (f"I've noted this for {store}'s support team. Once you've verified the email "
                "on your order, I'll add the order so they can follow up with you.")
    else:
        text = (f"I've passed this conversation to {store}'s support team. I haven't verified "
                "an order with you, so they have no way to reach you from this chat: please "
                "also contact them through the store's contact page, or share your order "
                "number here so I can add your order to the request.")
    return Reply(text, announces_ticket=True)


def ticket_refused(store: str, domain: str) -> Reply:
    """Too many requests for a person from here lately: point to the contact page instead."""
    return Reply(f"I can't pass more requests to {store}'s support team from this chat right "
                 "now. Please contact them through the store's contact page.",
                 links=[Link(url=f"https://{domain}/pages/contact", label=f"Contact {store}")])


def order_attached(store: str, order_name: str) -> Reply:
    """A ticket opened before verification now carries the verified order."""
    return Reply(f"I've added your order {order_name} to your request for {store}'s support "
                 "team. They'll follow up using the contact details on your order.",
                 announces_ticket=True)


# --- one-time codes by email (lumen.conversation.codes) -------------------------------------

def ask_code_email() -> Reply:
    """The shopper has no order number (or asked for a code): ask where to send one."""
    return Reply("No problem. What's the email address you used at checkout? I'll send a "
                 "one-time code to it, and with the code I can show your orders.")


def code_sent(minutes: int) -> Reply:
    """The same words whether or not the address has orders (and a code went out)."""
    return Reply(f"{CODE_SENT} Type it here when it arrives; it works for {minutes} minutes. "
                 "If you have your order number, you can share it instead.")


def codes_limited() -> Reply:
    """Too many codes asked for this email or from this address in the last hour."""
    return Reply("I can't send another code right now because several have been asked for "
                 "recently. Please use the last code you received, or try again in an hour.",
                 quick_replies=[TALK_TO_A_PERSON], offers_help=True)


def wrong_code(tries_left: int) -> Reply:
    """A code that is not the one sent; the challenge goes on."""
    tries = "1 more try" if tries_left == 1 else f"{tries_left} more tries"
    return Reply(f"That code isn't right. Please check the email and type the 6 digits again "
                 f"({tries}).")


_CODE_ENDINGS = {
    "expired": "That code has expired.",
    "last_try": "That code isn't right either, and that was the last try for it.",
    "used_up": "That code can't be used any more: it has had its 3 tries.",
}


def code_ended(why: str) -> Reply:
    """The code expired or its tries are used up (``why``): a new one can be asked for."""
    return Reply(f"{_CODE_ENDINGS[why]} I can send you a new code if you'd like.",
                 quick_replies=[SEND_A_CODE, TALK_TO_A_PERSON])


def code_right() -> Reply:
    """A right code: the shopper proved the mailbox."""
    return Reply("Thanks, that code is right.")


def no_code_orders() -> Reply:
    """A right code whose orders can no longer be read (deleted, or Shopify changed)."""
    return Reply("I can't find any orders to show for that email right now. " + ASK_ORDER_NUMBER)


def code_order_list(orders: list[OrderFacts], now: datetime) -> Reply:
    """The email's orders, name, date and status only, to pick one from."""
    lines = [_order_line(facts, now) for facts in orders]
    listing = "\n".join(lines)
    return Reply(f"I found these orders for that email:\n{listing}\nWhich one would you like "
                 "to know about?", quick_replies=[facts.name for facts in orders])


def pick_code_order(names: list[str]) -> Reply:
    """A question about "the order" while a code's list waits for a pick."""
    return Reply("Which of your orders is it about?", quick_replies=names)


def _order_line(facts: OrderFacts, now: datetime) -> str:
    placed = f"placed {format_date(facts.created_at, now)}" if facts.created_at else None
    return " · ".join(filter(None, [facts.name, placed, facts.status or "status not known"]))

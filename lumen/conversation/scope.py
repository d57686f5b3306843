"""What Lumen cannot do in the chat, and the carriers it knows by name: one table each.

Every out-of-scope action is listed once here; understanding, replies, ticket summaries and
Gemini's list of intents all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutOfScope:
    """An action only the store's team can take, in the words each part needs."""

    cannot: str  # "I'm not able to {cannot} in this chat."
    wants: str  # the ticket summary: "the shopper wants to {wants}"
    reads_as: str  # for Gemini: what a message with this intent does


# In priority order: ties between equally strong matches go to the earlier action.
OUT_OF_SCOPE: dict[str, OutOfScope] = {
    "cancel": OutOfScope("cancel orders", "cancel an order", "wants to cancel an order"),
    "refund": OutOfScope("process refunds", "get a refund", "wants a refund"),
    "return": OutOfScope("process returns", "return an item", "wants to return something"),
    "exchange": OutOfScope("arrange exchanges", "exchange an item",
                           "wants to exchange something"),
    "address_change": OutOfScope("change delivery addresses", "change the delivery address",
                                 "wants to change the delivery address"),
    "change_order": OutOfScope("change the items in an order", "change the items in an order",
                               "wants to change what was ordered"),
    "damaged": OutOfScope("sort out damaged, wrong or missing items",
                          "report a damaged, wrong or missing item",
                          "says something arrived damaged or wrong"),
}

# Carriers a shopper may name and a reply may mention (lower case, as written in text).
CARRIERS = (
    "ups", "usps", "fedex", "fed ex", "dhl", "tnt", "dpd", "gls", "hermes", "evri", "yodel",
    "royal mail", "parcelforce", "canada post", "purolator", "australia post", "la poste",
    "colissimo", "chronopost", "correos", "postnl", "bpost", "poste italiane", "deutsche post",
    "japan post", "yamato", "sagawa", "china post", "sf express", "ontrac", "lasership",
    "amazon logistics", "aramex", "posti", "postnord", "inpost", "asendia", "canpar", "sendle",
    "new zealand post", "an post", "swiss post", "yanwen", "4px", "cainiao",
)

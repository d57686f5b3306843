"""Every GraphQL document Lumen sends to Shopify, and the order-name search syntax.

An order lookup takes two small queries rather than one big one: Shopify's `name:` search
matches loosely (searching "#1-A" also finds "#12-A"), so a cheap query lists candidate
names, code picks the exact one, and only that order is fetched in full by id. Fetching
full details for every candidate would multiply the requested cost by the candidate count.
The `first:` limits bound the requested cost that Shopify reserves from the bucket.
"""

from __future__ import annotations

import re

ORDER_CANDIDATES = """
query OrderCandidates($query: String!) {
  orders(first: 10, query: $query, sortKey: PROCESSED_AT, reverse: true) {
    nodes { id name }
  }
}
"""

ORDER_LOOKUP = """
query OrderLookup($id: ID!) {
  order(id: $id) {
    id name email createdAt processedAt cancelledAt cancelReason
    displayFinancialStatus displayFulfillmentStatus statusPageUrl
    lineItems(first: 25) { nodes { title quantity variantTitle } }
    fulfillments(first: 5) {
      status displayStatus createdAt inTransitAt deliveredAt estimatedDeliveryAt
      trackingInfo(first: 3) { company number url }
      fulfillmentLineItems(first: 10) { nodes { quantity lineItem { title } } }
      events(first: 1, sortKey: HAPPENED_AT, reverse: true) {
        nodes { status happenedAt message city country }
      }
    }
  }
}
"""

# A verified order read again for a follow-up: one query by id, under 60 requested points
# (ORDER_LOOKUP asks for 173), with only the fields order facts are built from. Pages sized
# for common orders; `order_is_complete` sends anything bigger to ORDER_LOOKUP, so a large
# order costs one more query but is never answered from a truncated page.
ORDER_FOLLOW_UP = """
query OrderFollowUp($id: ID!) {
  order(id: $id) {
    id name email createdAt cancelledAt
    displayFinancialStatus displayFulfillmentStatus statusPageUrl
    lineItems(first: 10) { nodes { title quantity variantTitle } pageInfo { hasNextPage } }
    fulfillments(first: 3) {
      status displayStatus createdAt inTransitAt deliveredAt estimatedDeliveryAt
      trackingInfo(first: 2) { company number url }
      fulfillmentLineItems(first: 3) {
        nodes { quantity lineItem { title } }
        pageInfo { hasNextPage }
      }
      events(first: 1, sortKey: HAPPENED_AT, reverse: true) {
        nodes { status happenedAt message city country }
      }
    }
  }
}
"""
FOLLOW_UP_FULFILLMENTS = 3
FOLLOW_UP_TRACKING = 2

# Shopify App Pricing: the active subscription's name is the plan's name in the listing.
CURRENT_SUBSCRIPTIONS = """
query CurrentSubscriptions {
  currentAppInstallation {
    activeSubscriptions {
      name
      status
    }
  }
}
"""

MAIN_THEME_SETTINGS = """
query MainThemeSettings {
  themes(first: 1, roles: [MAIN]) {
    nodes {
      id
      name
      files(filenames: ["config/settings_data.json"], first: 1) {
        nodes {
          body {
            ... on OnlineStoreThemeFileBodyText {
              content
            }
          }
        }
      }
    }
  }
}
"""

# The store's legal policies (needs read_legal_policies): body is HTML, url the public page.
SHOP_POLICIES = """
query ShopPolicies {
  shop {
    shopPolicies { type title body url }
  }
}
"""

# The shop's IANA time zone, in which the admin shows times and reads date filters.
SHOP_TIMEZONE = """
query ShopTimezone {
  shop {
    ianaTimezone
  }
}
"""

# One-time codes (lumen.codes): does this checkout email have orders? The newest few, only
# what the job needs to decide and to record which orders the code is for.
ORDERS_BY_EMAIL = """
query OrdersByEmail($query: String!) {
  orders(first: 5, query: $query, sortKey: PROCESSED_AT, reverse: true) {
    nodes { id name email }
  }
}
"""

DOCUMENTS = {"ORDER_CANDIDATES": ORDER_CANDIDATES, "ORDER_LOOKUP": ORDER_LOOKUP,
             "ORDER_FOLLOW_UP": ORDER_FOLLOW_UP,
             "CURRENT_SUBSCRIPTIONS": CURRENT_SUBSCRIPTIONS,
             "MAIN_THEME_SETTINGS": MAIN_THEME_SETTINGS, "SHOP_POLICIES": SHOP_POLICIES,
             "SHOP_TIMEZONE": SHOP_TIMEZONE, "ORDERS_BY_EMAIL": ORDERS_BY_EMAIL}

def order_is_complete(order: dict) -> bool:
    """Whether an ORDER_FOLLOW_UP answer holds the whole order: no page was cut short
    (plain lists have no pageInfo, so a full page counts as possibly cut)."""
    fulfillments = order.get("fulfillments") or []
    connections = [order.get("lineItems"), *(node.get("fulfillmentLineItems")
                                             for node in fulfillments)]
    more = any(((connection or {}).get("pageInfo") or {}).get("hasNextPage")
               for connection in connections)
    full_lists = len(fulfillments) >= FOLLOW_UP_FULFILLMENTS or any(
        len(node.get("trackingInfo") or []) >= FOLLOW_UP_TRACKING for node in fulfillments)
    return not (more or full_lists)


# Shoppers type order names; anything outside this set could smuggle search syntax
# (spaces, colons, quotes, OR, wildcards) into the query, so it is refused outright.
_ORDER_NAME = re.compile(r"(?=.*[A-Za-z0-9])[A-Za-z0-9#_-]{1,64}")


def order_name_search(name: str) -> str:
    """Return the `orders(query:)` search for an order name; ValueError if the name is unsafe."""
    if not isinstance(name, str) or not _ORDER_NAME.fullmatch(name):
        raise ValueError("an order name may contain only letters, digits, '#', '-' and '_'")
    # The charset excludes '"' and '\\', so the quoted value needs no escaping.
    return f'name:"{name}"'


# An address as a search value: no quotes, backslashes, spaces or parentheses, exactly one "@".
_SEARCH_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,253}")


def order_email_search(email: str) -> str:
    """Return the `orders(query:)` search for a checkout email; ValueError if it is unsafe."""
    if not isinstance(email, str) or not _SEARCH_EMAIL.fullmatch(email.strip()):
        raise ValueError("not a plain email address")
    return f'email:"{email.strip()}"'

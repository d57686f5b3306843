"""The store's legal policies from the fixture's optional `policies` key.

`"policies": [{"type": "REFUND_POLICY", "title": "Refund policy", "body": "<p>...</p>",
"url": "https://.../policies/refund-policy"}, ...]` answers `shop { shopPolicies { ... } }`;
`type` is one of Shopify's ShopPolicyType values and `body` is HTML, as in Shopify. Left out,
the shop has no policies (an empty list, as Shopify answers for a shop that wrote none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from lumen.schema import load_admin_schema

FIELDS = ("type", "title", "body", "url")


def checked_policies(data: Mapping[str, Any], label: str) -> tuple[list[dict[str, Any]],
                                                                    list[str]]:
    """The fixture's policies as ShopPolicy objects, and the problems found in them."""
    value = data.get("policies", [])
    if not isinstance(value, list):
        return [], [f"{label}: 'policies' must be a list of policies"]
    types = load_admin_schema().get_type("ShopPolicyType").values
    policies, problems = [], []
    for index, policy in enumerate(value):
        problem = _problem(policy, types)
        if problem:
            problems.append(f"{label}: policies[{index}]: {problem}")
            continue
        number = index + 1
        policies.append({**{key: policy[key] for key in FIELDS},
                         "id": f"gid://shopify/ShopPolicy/{number}",
                         "createdAt": policy.get("createdAt", "2026-01-05T09:00:00Z"),
                         "updatedAt": policy.get("updatedAt", "2026-01-05T09:00:00Z"),
                         "translations": []})
    seen = [policy["type"] for policy in policies]
    problems += [f"{label}: more than one {kind} in 'policies'"
                 for kind in sorted(set(seen)) if seen.count(kind) > 1]
    return policies, problems


def _problem(policy: Any, types: Mapping[str, Any]) -> str | None:
    if not isinstance(policy, Mapping):
        return "expected an object with type, title, body and url"
    missing = [key for key in FIELDS if not isinstance(policy.get(key), str)]
    if missing:
        return f"missing or not text: {', '.join(missing)}"
    if policy["type"] not in types:
        return f"type must be one of {', '.join(types)}"
    url = urlparse(policy["url"])
    if url.scheme != "https" or not url.netloc:
        return "url must be an absolute https URL"
    return None

"""Fixtures with an ``as_of`` moment are moved to today for the demo; others stay as written."""

from datetime import UTC, datetime

import pytest

from lumen.devstore import FixtureError, load_fixtures
from lumen.devstore.timeline import shift_to

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_bundled_story_moves_to_now_keeping_every_interval():
    original = load_fixtures(None)
    shifted = shift_to(original, NOW)
    assert shifted["as_of"] == "2026-11-21T12:00:00Z"
    before = {o["name"]: o for o in original["orders"]}
    for order in shifted["orders"]:
        old = before[order["name"]]
        assert _age(order["createdAt"]) == _age(old["createdAt"], original["as_of"])
        for new_f, old_f in zip(order.get("fulfillments", []), old.get("fulfillments", []),
                                strict=True):
            for event, old_event in zip(new_f["events"]["nodes"], old_f["events"]["nodes"],
                                        strict=True):
                assert _age(event["happenedAt"]) == _age(old_event["happenedAt"],
                                                         original["as_of"])
    assert shifted["orders"][0]["name"] == original["orders"][0]["name"]


def test_fixtures_without_as_of_are_untouched():
    data = {"shop": "x.myshopify.com", "orders": []}
    assert shift_to(data, NOW) is data


def test_a_malformed_as_of_is_a_fixture_error():
    with pytest.raises(FixtureError, match="'as_of' must be an ISO 8601 moment"):
        load_fixtures({"shop": "x.myshopify.com", "orders": [], "as_of": "last tuesday"})
    with pytest.raises(FixtureError, match="time zone"):
        load_fixtures({"shop": "x.myshopify.com", "orders": [], "as_of": "2026-02-26T12:00:00"})


def _age(stamp: str, as_of: str = "2026-11-21T12:00:00Z"):
    def parse(value):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))

    return parse(as_of) - parse(stamp)

"""The verification gate cannot be bypassed, and a sealed order shows nothing but its name."""

from __future__ import annotations

import copy
import gc
import pickle
from dataclasses import fields

import pytest

from lumen.conversation.facts import OrderFacts
from lumen.conversation.verification import (
    SealedOrder,
    Verification,
    VerificationError,
    order_facts,
    seal,
    verify_by_hash,
    verify_email,
    without_email,
)
from lumen.security import email_hash


@pytest.fixture
def order(app, demo_orders):
    """Order #1042 of the demo store (split shipment), as the Admin client returns it."""
    return copy.deepcopy(demo_orders["#1042"])


def secrets_of(order: dict) -> list[str]:
    """Strings that must never leak from a sealed order."""
    values = [order["email"], order["statusPageUrl"]]
    values += [line["title"] for line in order["lineItems"]["nodes"]]
    for fulfillment in order["fulfillments"]:
        for info in fulfillment["trackingInfo"]:
            values += [info["number"], info["url"], info["company"]]
    return values


def test_a_sealed_order_shows_only_its_name_and_id(order):
    sealed = seal(order)
    assert (sealed.name, sealed.id) == (order["name"], order["id"])
    visible = repr(sealed) + " ".join(dir(sealed))
    visible += " ".join(repr(getattr(sealed, name, None)) for name in dir(sealed))
    assert not [secret for secret in secrets_of(order) if secret in visible]


def test_a_sealed_order_has_no_vars_and_references_nothing_of_the_order(order):
    sealed = seal(order)
    with pytest.raises(TypeError):
        vars(sealed)
    referents = repr(gc.get_referents(sealed))
    assert not [secret for secret in secrets_of(order) if secret in referents]


@pytest.mark.parametrize("escape", [
    pickle.dumps, copy.copy, copy.deepcopy, lambda sealed: sealed.__reduce_ex__(2),
])
def test_a_sealed_order_cannot_be_pickled_or_copied(order, escape):
    with pytest.raises(TypeError):
        escape(seal(order))


def test_a_sealed_order_is_immutable(order):
    sealed = seal(order)
    with pytest.raises(AttributeError):
        sealed.name = "#1"
    with pytest.raises(AttributeError):
        sealed._id = "gid://shopify/Order/1"
    with pytest.raises(AttributeError):
        sealed.payload = order


def test_sealed_orders_are_made_only_by_seal(order):
    with pytest.raises(TypeError):
        SealedOrder(object(), order["name"], order["id"])


@pytest.mark.parametrize("broken", [{}, {"name": "#1"}, {"id": "gid://x"}, {"name": "", "id": "x"}])
def test_seal_needs_a_name_and_an_id(broken):
    with pytest.raises(ValueError):
        seal(broken)


def test_verifications_cannot_be_constructed_directly():
    with pytest.raises(TypeError):
        Verification(object(), "gid://shopify/Order/1", "session")
    with pytest.raises(TypeError):
        Verification(None, "gid://shopify/Order/1", "session")


def test_a_forged_verification_opens_nothing(order):
    forged = object.__new__(Verification)
    object.__setattr__(forged, "_order_id", order["id"])
    object.__setattr__(forged, "_session_id", "session-a")
    with pytest.raises(VerificationError):
        order_facts(forged, seal(order), session_id="session-a")


def test_a_forged_sealed_order_opens_nothing(order):
    verification = verify_email(seal(order), order["email"], "session-a")
    forged = object.__new__(SealedOrder)
    object.__setattr__(forged, "_name", order["name"])
    object.__setattr__(forged, "_id", order["id"])
    with pytest.raises(VerificationError):
        order_facts(verification, forged, session_id="session-a")


@pytest.mark.parametrize("typed", [
    "maya.chen@example.com", "  Maya.Chen@Example.COM ", "MAYA.CHEN@EXAMPLE.COM\n",
])
def test_the_checkout_email_verifies_trimmed_and_case_insensitively(order, typed):
    verification = verify_email(seal(order), typed, "session-a")
    assert verification is not None
    assert (verification.order_id, verification.session_id) == (order["id"], "session-a")


@pytest.mark.parametrize("typed", [
    "maya.chen@example.org", "maya.chen@example.com.evil", "maya@example.com", "", "   ",
    "maya.chen@exampie.com",
])
def test_other_emails_do_not_verify(order, typed):
    assert verify_email(seal(order), typed, "session-a") is None


def test_an_order_without_an_email_never_verifies(order):
    del order["email"]
    assert verify_email(seal(order), "", "session-a") is None
    assert verify_by_hash(seal(order), email_hash(""), "session-a") is None


def test_verification_by_a_proven_hash(order):
    sealed = seal(order)
    assert verify_by_hash(sealed, email_hash("Maya.Chen@example.com"), "s") is not None
    assert verify_by_hash(sealed, email_hash("someone@example.com"), "s") is None
    assert verify_by_hash(sealed, "ünïcödé", "s") is None
    assert verify_by_hash(sealed, email_hash(order["email"]), "") is None


def test_order_facts_need_a_verification_for_this_order(order, demo_orders):
    other = seal(copy.deepcopy(demo_orders["#1050"]))
    verification = verify_email(other, "jordan.reyes@example.com", "session-a")
    with pytest.raises(VerificationError):
        order_facts(verification, seal(order), session_id="session-a")


def test_order_facts_need_a_verification_from_this_session(order):
    sealed = seal(order)
    verification = verify_email(sealed, order["email"], "session-a")
    with pytest.raises(VerificationError):
        order_facts(verification, sealed, session_id="session-b")


@pytest.mark.parametrize("not_a_verification", [None, "verified", True, {"order_id": "x"}])
def test_order_facts_refuse_anything_else(order, not_a_verification):
    with pytest.raises(VerificationError):
        order_facts(not_a_verification, seal(order), session_id="session-a")


def test_a_verification_is_immutable_and_cannot_be_stored(order):
    verification = verify_email(seal(order), order["email"], "session-a")
    with pytest.raises(AttributeError):
        verification._session_id = "session-b"
    with pytest.raises(TypeError):
        pickle.dumps(verification)
    assert "session-a" not in repr(verification)


def test_a_verification_opens_a_fresh_copy_of_its_order(order):
    sealed = seal(order)
    verification = verify_email(sealed, order["email"], "session-a")
    facts = order_facts(verification, sealed, session_id="session-a")
    assert isinstance(facts, OrderFacts)
    assert facts.name == "#1042"
    assert [package.carrier for package in facts.packages] == ["USPS", "FedEx"]


def test_sealing_copies_the_order(order):
    sealed = seal(order)
    order["lineItems"]["nodes"][0]["title"] = "Changed after sealing"
    verification = verify_email(sealed, order["email"], "s")
    facts = order_facts(verification, sealed, session_id="s")
    assert facts.items[0].title == "Blue T-Shirt"


def test_facts_carry_no_email():
    assert "email" not in {field.name for field in fields(OrderFacts)}


def test_an_order_kept_without_its_email_still_verifies_only_the_proven_hash(order):
    kept = without_email(order)
    assert order["email"] not in str(kept) and "email" not in kept
    sealed = seal(kept)
    verification = verify_by_hash(sealed, email_hash(order["email"]), "session-1")
    assert order_facts(verification, sealed, session_id="session-1").name == "#1042"
    assert verify_by_hash(sealed, email_hash("someone@example.com"), "session-1") is None
    assert verify_email(sealed, "someone@example.com", "session-1") is None


def test_an_order_without_email_or_kept_hash_verifies_nobody(order):
    del order["email"]
    assert verify_by_hash(seal(without_email(order)), email_hash(""), "session-1") is None

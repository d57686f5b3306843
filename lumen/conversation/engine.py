"""The conversation engine: one shopper message in, replies and the next state out.

The state machine: no order number -> ask for it; a number -> look it up (not found -> say
so) -> ask for the checkout email -> match -> verified, answer; no match -> reveal nothing and
ask to check. Attempt limits stop guessing with one fixed message. Follow-ups re-fetch the
order and re-verify it from the keyed email hash kept in the state: a Verification object
never outlives the turn that made it. Escalations tell the shopper what happens next.
Without an order number (or locked out), an email gets a one-time code (``codes``): a right
code lists that email's orders, each verified by the gate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lumen.conversation import answers, codes, policies, replies
from lumen.conversation.attempts import AttemptLimiter
from lumen.conversation.facts import OrderFacts
from lumen.conversation.replies import Reply
from lumen.conversation.scope import OUT_OF_SCOPE
from lumen.conversation.state import Escalation, SessionState, ShopProfile, TurnResult
from lumen.conversation.understanding import (
    OUT_OF_SCOPE_INTENTS,
    POLICY_INTENTS,
    WISMO_INTENTS,
    Understanding,
    understand,
)
from lumen.conversation.verification import (
    SealedOrder,
    Verification,
    order_facts,
    verify_by_hash,
    verify_email,
)
from lumen.redaction import redacted_number
from lumen.security import email_hash
from lumen.sentiment import sustained_frustration

# The sealed order named exactly so, or None. A lookup may also offer ``locate(name)``, the
# order's id alone (a cheaper query), used when nothing is compared against the order yet.
OrderLookup = Callable[[str], SealedOrder | None]
Refine = Callable[[Understanding, str], Understanding]
FRUSTRATION_LIMIT = 2
# How many of the shopper's latest message sentiments the state keeps (at least the streak).
MOOD_MEMORY = 3

_SUMMARIES = {
    "human_requested": "The shopper asked to talk to a person.",
    "not_received": "Tracking shows the order as delivered, but the shopper says it has not "
                    "arrived.",
    "frustration": "The shopper seems frustrated with the conversation.",
    "verification_locked": "The shopper asked for a person after order verification was "
                           "locked (too many unsuccessful attempts).",
}


class LookupUnavailable(Exception):
    """The store's order system could not be reached (Shopify down or throttled past retries)."""


@dataclass
class _Turn:
    """One turn in progress: inputs, the state being changed, and what to say."""

    state: SessionState
    understanding: Understanding
    shop: ShopProfile
    lookup: OrderLookup
    limiter: AttemptLimiter
    client_ip: str
    now: datetime
    text: str = ""
    replies: list[Reply] = field(default_factory=list)
    prompt: Reply | None = None
    escalation: Escalation | None = None
    answered: bool = False
    handled: set[str] = field(default_factory=set)
    situation: str | None = None
    policy_source: policies.PolicySource | None = None
    send_code: codes.CodeSender | None = None
    # The one-time code this message is (read before any understanding), if any.
    code: str | None = None

    def say(self, reply: Reply) -> None:
        """Add a reply; one that offers a person makes a plain "yes" next turn accept."""
        self.replies.append(reply)
        if reply.offers_help:
            self.state.offered_escalation = "human_requested"

    def ask(self, reply: Reply) -> None:
        """A question for the shopper; it goes after everything else said this turn."""
        self.prompt = reply

    @property
    def store(self) -> str:
        """How replies name the store."""
        return self.shop.display_name

    @property
    def verified_order(self) -> str | None:
        """The order follow-ups refer to, if the shopper verified it in this session."""
        name = self.state.current_order
        return name if name in self.state.verified else None

    @property
    def codes_on(self) -> bool:
        """Whether one-time codes by email can be offered and sent in this shop."""
        return self.shop.email_codes and self.send_code is not None


def handle_turn(state: SessionState, text: str, *, shop: ShopProfile, lookup: OrderLookup,
                limiter: AttemptLimiter, client_ip: str, now: datetime | None = None,
                refine: Refine | None = None,
                policy_source: policies.PolicySource | None = None,
                send_code: codes.CodeSender | None = None) -> TurnResult:
    """Process one shopper message (needs an app context: keyed hashes and Redis limits).

    ``policy_source`` gives the shop's policies, read only for a policy question;
    ``send_code`` mails one-time codes (none: the shop cannot send mail)."""
    # A code awaited is read first: it must reach neither the intent reader nor Gemini.
    code = codes.typed_code(text) if codes.is_pending(state) else None
    if code is not None:
        understanding = Understanding("provide_details", 1.0)
    else:
        understanding = understand(text, prefix=shop.order_name_prefix,
                                   suffix=shop.order_name_suffix)
    # A second reading (Gemini, see lumen.llm.assist) only when this one is unsure; it is data
    # for routing, never a way past the verification gate.
    if refine is not None and not understanding.is_confident:
        understanding = refine(understanding, text)
    turn = _Turn(state.copy(), understanding, shop, lookup, limiter, client_ip or "",
                 now or datetime.now(UTC), text or "", policy_source=policy_source,
                 send_code=send_code, code=code)
    offered, turn.state.offered_escalation = turn.state.offered_escalation, None
    turn.state.turns += 1
    try:
        _route(turn, offered)
    except LookupUnavailable:
        turn.replies, turn.prompt, turn.answered = [replies.unavailable()], None, False
    _note_frustration(turn)
    return _result(turn)


def _result(turn: _Turn) -> TurnResult:
    said = turn.replies + ([turn.prompt] if turn.prompt else [])
    resolved = (turn.answered or turn.understanding.intent == "thanks") and not turn.escalation
    return TurnResult(replies=said, intent=turn.understanding.intent, state=turn.state,
                      escalation=turn.escalation, order_names=list(turn.state.verified),
                      resolved=resolved, answered=turn.answered,
                      confident=turn.understanding.is_confident, order_situation=turn.situation,
                      recorded_text="[code]" if turn.code is not None else None)


def _route(turn: _Turn, offered: str | None) -> None:
    understanding = turn.understanding
    if turn.code is not None:
        _check_code(turn)
        return
    if understanding.intent == "other_platform":
        turn.say(replies.other_platform())
        return
    if understanding.order_numbers or understanding.email:
        _handle_details(turn)
        _handle_requests(turn, understanding.intents)
        return
    if turn.codes_on and codes.asks_for_code(turn.text):
        _ask_code_email(turn)
    else:
        _INTENT_HANDLERS.get(understanding.intent, _unknown)(turn, offered)
    _handle_requests(turn, understanding.flags)


def _handle_requests(turn: _Turn, intents: frozenset[str]) -> None:
    """Requests riding along with the main one: a person, or an action Lumen cannot take."""
    if turn.understanding.intent == "human" and "human" in intents and not turn.escalation:
        _escalate(turn, "human_requested")
    actions = sorted((intents & OUT_OF_SCOPE_INTENTS) - turn.handled)
    if actions:
        _out_of_scope(turn, actions[0])


# --- order number and email -----------------------------------------------------------------

def _handle_details(turn: _Turn) -> None:
    understanding, state = turn.understanding, turn.state
    question = understanding.intent if understanding.intent in WISMO_INTENTS else None
    question = question or state.pending_intent or "track"
    if understanding.order_numbers:
        names = [turn.shop.order_name(number) for number in understanding.order_numbers]
        if len(names) > 1 and all(_echoable(turn, name) for name in names):
            turn.say(replies.multiple_orders(names[0], names[1:]))
        _handle_order_name(turn, names[0], question)
    elif state.pending_order:
        _verify(turn, state.pending_order, question)
    else:
        state.unverified_email_hash = email_hash(understanding.email)
        state.pending_intent = question
        if turn.codes_on:
            _send_code(turn, understanding.email)
        else:
            turn.ask(replies.email_first())


def _echoable(turn: _Turn, name: str) -> str | None:
    """``name`` unless its number was redacted from the shopper's message (a phone fragment):
    the reply must not store what the transcript hides."""
    number = "".join(char for char in name if char.isdigit())
    return None if number and redacted_number(turn.text, number) else name


def _handle_order_name(turn: _Turn, name: str, question: str) -> None:
    state = turn.state
    if name in state.verified:
        state.current_order, state.pending_order = name, None
        _answer_verified(turn, name, question)
    elif not (name in state.code_orders and _verify_by_code(turn, name, question)):
        _verify(turn, name, question)


def _verify(turn: _Turn, name: str, question: str) -> None:
    state = turn.state
    key = turn.shop.attempt_key(name)
    # An email (typed now, or earlier before the number) will be compared: reserve that
    # comparison first, check and count in one Redis operation, so a burst of guesses cannot
    # all pass the check before any is counted. Lookups without an email are only checked.
    compares = bool(turn.understanding.email or state.unverified_email_hash)
    limiter, session_id, ip = turn.limiter, state.session_id, turn.client_ip
    allowed = (limiter.reserve(session_id, key, ip) if compares
               else not limiter.blocked(session_id, key, ip))
    if not allowed:
        _lock(turn)
        return
    found = _find(turn, name, key, compares=compares)
    if found is None:
        return
    state.pending_order, state.pending_intent = name, question
    if not isinstance(found, SealedOrder):
        turn.ask(replies.ask_email())
        return
    verification, proven, attempted = _try_verify(turn, found)
    if verification is not None:
        if compares:
            limiter.release(session_id, key, ip)
        _verified(turn, name, found, verification, proven, by_hash=not attempted)
    elif attempted:
        _failed(turn, key)
    else:
        turn.ask(replies.ask_email())


def _find(turn: _Turn, name: str, key: str, *, compares: bool) -> SealedOrder | str | None:
    """The order, or only its id when nothing will be compared with it yet (the email that
    follows reads it once, by that id); None once the shopper is told it was not found."""
    state, limiter = turn.state, turn.limiter
    reads = compares or bool(state.proven_email_hashes)
    try:
        found = turn.lookup(name) if reads else _locate(turn, name)
    except LookupUnavailable:
        if compares:
            limiter.release(state.session_id, key, turn.client_ip)
        raise
    if found is None:
        if compares:
            limiter.release(state.session_id, key, turn.client_ip)
        state.pending_order = None
        limiter.record_miss(state.session_id, turn.client_ip)
        turn.say(replies.not_found(_echoable(turn, name)))
    return found


def _locate(turn: _Turn, name: str) -> str | None:
    """The id of the order named ``name`` (kept in the state), or None if there is none."""
    locate = getattr(turn.lookup, "locate", None)
    if locate is not None:
        order_id = locate(name)
    else:
        sealed = turn.lookup(name)
        order_id = sealed.id if sealed is not None else None
    if order_id is not None:
        turn.state.located[name] = order_id
    return order_id


def _try_verify(turn: _Turn, sealed: SealedOrder) -> tuple[Verification | None, str | None, bool]:
    """(verification, the email hash that proved it, whether the shopper supplied an email)."""
    state, email = turn.state, turn.understanding.email
    if email:
        verification = verify_email(sealed, email, state.session_id)
        return verification, email_hash(email) if verification else None, True
    if state.unverified_email_hash:
        proven, state.unverified_email_hash = state.unverified_email_hash, None
        return verify_by_hash(sealed, proven, state.session_id), proven, True
    for proven in state.proven_email_hashes:
        verification = verify_by_hash(sealed, proven, state.session_id)
        if verification is not None:
            return verification, proven, False
    return None, None, False


def _verified(turn: _Turn, name: str, sealed: SealedOrder, verification: Verification,
              proven: str | None, *, by_hash: bool) -> None:
    state = turn.state
    state.verified[name] = sealed.id
    state.located.pop(name, None)
    if proven and proven not in state.proven_email_hashes:
        state.proven_email_hashes.append(proven)
    question = state.pending_intent or "track"
    state.current_order, state.pending_order, state.pending_intent = name, None, None
    turn.say(Reply(replies.VERIFIED_BY_HASH if by_hash else replies.VERIFIED))
    _deliver(turn, order_facts(verification, sealed, session_id=state.session_id), question)
    if state.escalation_reason and not state.escalation_order and not turn.escalation:
        state.escalation_order = name
        turn.escalation = Escalation(state.escalation_reason,
                                     _summary(state.escalation_reason, name), name)
        turn.say(replies.order_attached(turn.store, name))


def _failed(turn: _Turn, key: str) -> None:
    """The reservation already counted this wrong email; lock once a bucket is full."""
    state = turn.state
    state.failed_attempts += 1
    if turn.limiter.blocked(state.session_id, key, turn.client_ip):
        _lock(turn)
    else:
        turn.say(replies.wrong_email())


def _lock(turn: _Turn) -> None:
    """The same reply whatever was tried: nothing tells whether the order or email was right.

    No ticket: a script can trip locks at will. The reply offers a person, and a shopper who
    asks for one gets a ticket marked ``verification_locked``.
    """
    state = turn.state
    state.pending_order = state.unverified_email_hash = None
    state.locked = True
    turn.prompt = None
    turn.say(replies.locked(turn.store, email_code=turn.shop.email_codes))
    state.offered_escalation = "verification_locked"


# --- one-time codes by email (lumen.conversation.codes) -------------------------------------

def _ask_code_email(turn: _Turn) -> None:
    """No order number, or a code asked for: the next email given gets the code."""
    state = turn.state
    intent = turn.understanding.intent
    state.pending_intent = intent if intent in WISMO_INTENTS else state.pending_intent
    state.pending_order = state.unverified_email_hash = None
    turn.ask(replies.ask_code_email())


def _send_code(turn: _Turn, email: str) -> None:
    """Mail a code if the address has orders; the reply never says whether it has."""
    hashed = email_hash(email)
    if not codes.reserve_send(hashed, turn.client_ip).allowed:
        turn.ask(replies.codes_limited())
        return
    code, challenge, expires = codes.start(turn.state, hashed, turn.now)
    turn.send_code(email, code, challenge, expires)
    turn.ask(replies.code_sent(codes.CODE_TTL_SECONDS // 60))


def _check_code(turn: _Turn) -> None:
    checked = codes.check(turn.state, turn.code or "", turn.now, turn.lookup)
    if checked.kind == "wrong":
        turn.ask(replies.wrong_code(checked.tries_left))
    elif checked.kind != "right":
        turn.ask(replies.code_ended(checked.kind))
    else:
        _code_verified(turn, checked)


def _code_verified(turn: _Turn, checked: codes.CodeCheck) -> None:
    """The mailbox is proven: one order is answered at once, several are listed."""
    state = turn.state
    if checked.email_hash and checked.email_hash not in state.proven_email_hashes:
        state.proven_email_hashes.append(checked.email_hash)
    state.code_orders = {sealed.name: sealed.id for sealed, _ in checked.orders}
    state.pending_order = state.unverified_email_hash = None
    if len(checked.orders) == 1:
        sealed, verification = checked.orders[0]
        _verified(turn, sealed.name, sealed, verification, checked.email_hash, by_hash=True)
        return
    turn.say(replies.code_right())
    if not checked.orders:
        turn.ask(replies.no_code_orders())
        return
    listed = [order_facts(verification, sealed, session_id=state.session_id)
              for sealed, verification in checked.orders]
    turn.ask(replies.code_order_list(listed, turn.now))


def _verify_by_code(turn: _Turn, name: str, question: str) -> bool:
    """An order a right code listed: verified by the proven hash, past any guess limit (the
    code proved the mailbox, not a guess of the email). False if it no longer matches."""
    state = turn.state
    sealed = turn.lookup(name)
    if sealed is None or sealed.id != state.code_orders.get(name):
        return False
    for proven in state.proven_email_hashes:
        verification = verify_by_hash(sealed, proven, state.session_id)
        if verification is not None:
            state.pending_intent = question
            _verified(turn, name, sealed, verification, proven, by_hash=True)
            return True
    return False


# --- answers about the verified order -------------------------------------------------------

def _answer_verified(turn: _Turn, name: str, question: str) -> None:
    facts = _fresh_facts(turn, name)
    if facts is not None:
        _deliver(turn, facts, question)


def _fresh_facts(turn: _Turn, name: str) -> OrderFacts | None:
    """Fetch the order again and re-verify it from the proven email hashes."""
    state = turn.state
    sealed = turn.lookup(name)
    verification = None
    if sealed is not None and sealed.id == state.verified.get(name):
        verification = next(filter(None, (verify_by_hash(sealed, proven, state.session_id)
                                          for proven in state.proven_email_hashes)), None)
    if verification is None:
        state.verified.pop(name, None)
        state.current_order = None
        turn.ask(replies.order_gone())
        return None
    return order_facts(verification, sealed, session_id=state.session_id)


def _deliver(turn: _Turn, facts: OrderFacts, question: str) -> None:
    turn.situation = answers.situation(facts, question, turn.now)
    if question == "not_received":
        reply, needs_person = answers.not_received(facts, turn.now)
        turn.say(reply)
        if needs_person:
            _escalate(turn, "not_received")
        return
    turn.say(answers.answer(question, facts, turn.now))
    turn.answered = True


# --- intents without an order number or email -----------------------------------------------

def _question(turn: _Turn, offered: str | None) -> None:
    intent, state = turn.understanding.intent, turn.state
    if "another_order" in turn.understanding.intents:
        _another_order(turn, offered, question=intent)
    elif state.pending_order:
        state.pending_intent = intent
        turn.ask(replies.ask_email())
    elif turn.verified_order:
        _answer_verified(turn, turn.verified_order, intent)
    elif state.code_orders:
        state.pending_intent = intent
        turn.ask(replies.pick_code_order(list(state.code_orders)))
    else:
        state.pending_intent = intent
        turn.ask(replies.ask_order_number())


def _another_order(turn: _Turn, offered: str | None, *, question: str = "track") -> None:
    state = turn.state
    state.current_order = state.pending_order = None
    state.pending_intent = question
    turn.ask(replies.ask_order_number(other_order=True))


def _out_of_scope(turn: _Turn, action: str) -> None:
    turn.handled.add(action)
    turn.say(replies.out_of_scope(action))
    _escalate(turn, "out_of_scope", detail=OUT_OF_SCOPE[action].wants)


def _human(turn: _Turn, offered: str | None) -> None:
    _escalate(turn, "human_requested")


def _affirm(turn: _Turn, offered: str | None) -> None:
    if offered:
        _escalate(turn, offered)
    elif turn.state.pending_order:
        turn.ask(replies.ask_email())
    else:
        turn.say(replies.acknowledge(turn.verified_order))


def _simple(make: Callable[[_Turn], Reply]) -> Callable[[_Turn, str | None], None]:
    def handler(turn: _Turn, offered: str | None) -> None:
        """Say the one fixed reply."""
        turn.say(make(turn))
    return handler


def _greeting(turn: _Turn, offered: str | None) -> None:
    if turn.state.pending_order:
        turn.ask(replies.ask_email())
    elif turn.verified_order:
        turn.say(replies.greet_again(turn.verified_order))
    else:
        turn.ask(replies.greeting())


def _unknown(turn: _Turn, offered: str | None) -> None:
    guess = turn.understanding.guess
    if turn.state.pending_order:
        turn.ask(replies.ask_email())
    elif guess in replies.CLARIFY_TOPICS:
        turn.ask(replies.clarify(guess))
    elif turn.verified_order:
        turn.say(replies.not_understood(turn.verified_order))
    else:
        turn.ask(replies.not_understood(None))


def _policy(turn: _Turn, offered: str | None) -> None:
    """A question about the store's returns or shipping, answered from its own policy."""
    intent = turn.understanding.intent
    known = turn.policy_source() if turn.policy_source else ()
    turn.say(policies.policy_reply(known, intent, turn.text,
                                   quote_allowed=turn.shop.policy_answers,
                                   country=turn.understanding.country))
    if intent == "policy_shipping" and not turn.state.pending_order:
        turn.state.pending_intent = "eta"


def _frustration(turn: _Turn, offered: str | None) -> None:
    """Handled with the frustration count after routing."""


def _note_frustration(turn: _Turn) -> None:
    """Count frustrated messages; the second one brings in a person."""
    state = turn.state
    if "frustration" not in turn.understanding.intents:
        return
    state.frustration += 1
    if state.frustration >= FRUSTRATION_LIMIT and not state.escalation_reason \
            and not turn.escalation:
        turn.replies.insert(0, replies.sorry())
        _escalate(turn, "frustration")
    elif turn.understanding.intent == "frustration":
        first = state.frustration < FRUSTRATION_LIMIT
        turn.say(replies.empathy() if first else replies.already_escalated(turn.store))


def offer_help_if_frustrated(result: TurnResult, score: float) -> bool:
    """Offer a person when the shopper's mood stays negative and no offer or ticket exists.

    The mood-based twin of ``_note_frustration`` (which reads frustrated words): ``score`` is
    this message's sentiment, remembered in the state with the few before it.
    """
    state = result.state
    state.recent_moods = [*state.recent_moods, score][-MOOD_MEMORY:]
    settled = result.escalation or state.escalation_reason or state.offered_escalation
    if settled or not sustained_frustration(state.recent_moods):
        return False
    result.replies.append(replies.empathy())
    state.offered_escalation = "frustration"
    return True


_INTENT_HANDLERS: dict[str, Callable[[_Turn, str | None], None]] = {
    **{intent: _question for intent in WISMO_INTENTS},
    **{intent: (lambda turn, offered, action=intent: _out_of_scope(turn, action))
       for intent in OUT_OF_SCOPE_INTENTS},
    "human": _human,
    "another_order": _another_order,
    "affirm": _affirm,
    "deny": _simple(lambda turn: replies.decline()),
    "thanks": _simple(lambda turn: replies.thanks()),
    "greeting": _greeting,
    "capabilities": _simple(lambda turn: replies.capabilities(turn.store)),
    "product_question": _simple(lambda turn: replies.product_question()),
    **dict.fromkeys(POLICY_INTENTS, _policy),
    "frustration": _frustration,
}


# --- escalation -----------------------------------------------------------------------------

def _escalate(turn: _Turn, reason: str, *, detail: str | None = None) -> None:
    """Create or update the conversation's ticket (once per turn) and say what happens next."""
    if turn.escalation:
        return
    state = turn.state
    order = turn.verified_order
    if reason == "human_requested" and state.locked and not order:
        # Asking for a person after a lock-out: marked, so the admin can group these.
        reason = "verification_locked"
    state.escalation_reason, state.escalation_order = reason, order
    turn.escalation = Escalation(reason, _summary(reason, order, detail), order)
    turn.say(replies.escalated(turn.store, order, awaiting_email=bool(state.pending_order)))


def _summary(reason: str, order: str | None, detail: str | None = None) -> str:
    """A short, fixed-wording summary: never the shopper's own words, so no email or phone."""
    if reason == "out_of_scope":
        text = f"The shopper wants to {detail or 'do something'} (Lumen cannot do this)."
    else:
        text = _SUMMARIES.get(reason, "The conversation needs a person.")
    return f"{text} Order {order} (verified in chat)." if order else text

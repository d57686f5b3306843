"""Deterministic understanding of shopper messages: intents, order numbers and emails.

Two readers, both deterministic and local. Rules find what they are precise about: order
numbers in the shop's own format, emails, other platforms' names, an explicit request for a
person, and secondary requests riding along ("where is it? also I want a refund"). The trained
intent model (``lumen.conversation.intents``) decides the intent of everything else with a
calibrated probability. When the model is unsure, the rules' reading stands unless the model
fairly clearly says otherwise; with neither, the intent is "unknown" with the model's best
guess, so that a language model (when configured) or a clarifying question takes over.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from lumen.conversation.intents import Prediction, classify
from lumen.conversation.policies import find_country
from lumen.conversation.scope import OUT_OF_SCOPE
from lumen.conversation.vocabulary import (
    COMMON_WORDS,
    CONTRACTIONS,
    INTENT_PATTERNS,
    KEYWORDS,
    MONTHS,
    NUMBER_BLOCKERS_AFTER,
    NUMBER_BLOCKERS_BEFORE,
    PURCHASE_VERBS,
    YEAR_CONTEXT,
)
from lumen.security import EMAIL_PATTERN

WISMO_INTENTS = frozenset({
    "track", "shipped", "tracking_number", "tracking_link", "carrier", "eta", "items",
    "payment", "fulfilled_when", "not_received",
})
OUT_OF_SCOPE_INTENTS = frozenset(OUT_OF_SCOPE)
# Ties between equally strong matches go to the earlier intent in this order.
PRIORITY = (
    "human", "other_platform", "not_received", "tracking_link", "tracking_number", "carrier",
    "eta", "fulfilled_when", "shipped", "payment", "items", "track", *OUT_OF_SCOPE,
    "another_order", "product_question", "policy_returns", "policy_shipping", "capabilities",
    "frustration", "deny", "affirm", "thanks", "greeting",
)
POLICY_INTENTS = frozenset({"policy_returns", "policy_shipping"})
SMALL_TALK = frozenset({"greeting", "thanks"})
INTENTS = (*PRIORITY, "provide_details", "unknown")
CONFIDENT = 0.6
# An explicit request for a person outranks everything else in the message.
EXPLICIT_HUMAN = 0.9
# An order question outranks an out-of-scope action only when it is stated this clearly.
CLEAR_QUESTION = 0.8
CORRECTION_PENALTY = 0.85
# The model's calibrated probability from which its intent is acted on without asking: more
# likely than every other reading together. Below CONFIDENT a configured LLM is still asked.
MODEL_THRESHOLD = 0.5
# Below the threshold, a rules reading stands unless the model says otherwise this surely.
MODEL_CONTRADICTS = 0.45
# A best guess worth a clarifying question.
GUESS_FLOOR = 0.2
MAX_TEXT = 2000

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_PHONE = re.compile(
    r"(?<![\w#])(?:\+\d[\d\s().-]{6,}\d"
    r"|\(?\d{1,4}\)?(?:[\s.-]\(?\d{2,4}\)?){2,}"
    r"|\d{3,4}[.-]\d{4}|\d{9,})(?!\w)"
)
_MARKED_NUMBER = re.compile(
    r"(?:#\s?|\borders?\s*(?:no\.?|nr\.?|num(?:ber)?\.?|id|#)?\s*(?:is|was|=|:|-)?\s*#?\s*"
    r"|\bno[.:]\s*|\bnumber\s*(?:is|was|:)?\s*#?\s*)(\d{1,8})(?![\d.,/:]\d)\b",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"\d{3,8}")
_TOKEN_EDGES = "()[]{}\"'.,!?;:"
_BARE_MENTION = re.compile(r"(about|regarding|re|concerning|question about) (my|the|an|this|a)"
                           r" (order|package|parcel|delivery|shipment)")


@dataclass(frozen=True)
class Understanding:
    """What a message asks for, which order numbers and email it carries, and how sure we are."""

    intent: str
    confidence: float
    order_numbers: tuple[str, ...] = ()
    email: str | None = None
    flags: frozenset[str] = field(default_factory=frozenset)
    # The model's best guess when the intent is "unknown": what a clarifying question offers.
    guess: str | None = None
    # The country a shipping question names ("do you ship to Canada?").
    country: str | None = None

    @property
    def order_number(self) -> str | None:
        """The first order number in the message, digits only."""
        return self.order_numbers[0] if self.order_numbers else None

    @property
    def is_confident(self) -> bool:
        """False when a language model should be asked what the shopper meant."""
        return self.intent != "unknown" and self.confidence >= CONFIDENT

    @property
    def intents(self) -> frozenset[str]:
        """The primary intent together with every secondary one."""
        return self.flags | {self.intent}


def understand(text: str, *, prefix: str = "#", suffix: str = "") -> Understanding:
    """Understand one shopper message; ``prefix``/``suffix`` are the shop's order-name affixes."""
    # NFKC folds look-alike letters (full-width, "mathematical" script) into plain ones.
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_TEXT]).translate(_APOSTROPHES)
    email = find_email(text)
    without_email = EMAIL_PATTERN.sub(" ", text)
    numbers = find_order_numbers(without_email, prefix=prefix, suffix=suffix)
    plain = normalise(without_email)
    if not plain and not numbers and not email:
        return Understanding("unknown", 0.0)
    corrected = correct_typos(plain)
    scores = match_intents(corrected, raw=without_email)
    exact = match_intents(plain, raw=without_email) if corrected != plain else scores
    scores = {intent: score if intent in exact else round(score * CORRECTION_PENALTY, 3)
              for intent, score in scores.items()}
    prediction = classify(text)
    if _BARE_MENTION.fullmatch(plain):
        # A topic, not yet a question: worth a clarifying question (or the LLM), not a guess.
        intent, confidence, guess = "unknown", GUESS_FLOOR, "track"
    else:
        intent, confidence, guess = decide(scores, prediction, slots=bool(numbers or email),
                                           typed=frozenset(exact))
    if corrected != plain and intent not in exact and intent not in ("unknown", "provide_details"):
        # A message with typos whose reading the rules could not confirm on the words as
        # typed: a little less sure.
        confidence *= CORRECTION_PENALTY
    flags = (frozenset(scores) | _model_requests(prediction)) - {intent}
    if intent in POLICY_INTENTS:
        # "What's your return policy?" asks about returns; it does not ask to make one. The
        # policy answer offers the team itself.
        flags -= OUT_OF_SCOPE_INTENTS
    country = find_country(without_email) if intent == "policy_shipping" else None
    return Understanding(intent, round(confidence, 3), numbers, email, flags, guess, country)


def decide(scores: dict[str, float], prediction: Prediction, *, slots: bool,
           typed: frozenset[str]) -> tuple[str, float, str | None]:
    """(intent, confidence, guess) from the rules' scores and the model's prediction;
    ``typed`` are the intents the rules find in the words as typed (before typo correction)."""
    if scores.get("human", 0.0) >= EXPLICIT_HUMAN:
        return "human", scores["human"], None
    if "other_platform" in scores:
        return "other_platform", scores["other_platform"], None
    model, probability = prediction.intent, _group_confidence(prediction)
    ruled = choose_primary(scores) if scores else None
    ruled_score = scores[ruled] if ruled else 0.0
    if slots and (model == "provide_details" or probability < MODEL_THRESHOLD):
        # Details given: the rules say whether a question comes with them.
        return (ruled, ruled_score, None) if ruled_score >= CONFIDENT else (
            "provide_details", 0.95, None)
    if model not in ("unknown", "provide_details") and probability >= MODEL_THRESHOLD:
        return _order_question_first(model, scores), probability, None
    if ruled is not None and ruled_score >= CONFIDENT and _not_contradicted(
            ruled, prediction, corrected=ruled not in typed):
        return ruled, ruled_score, None
    guess = model if model not in ("unknown", "provide_details") and \
        probability >= GUESS_FLOOR else None
    if guess in SMALL_TALK:
        # A greeting back asks nothing and reveals nothing, and goes on to offer the order
        # check: better than "I didn't get that" even when the reading is unsure.
        return guess, probability, None
    return "unknown", min(probability, 0.5) if guess else 0.1, guess


def _group_confidence(prediction: Prediction) -> float:
    """How sure the model is of what the engine will do: order questions all lead to the order
    flow and out-of-scope actions all to the hand-off, so their probabilities add up."""
    for group in (WISMO_INTENTS, OUT_OF_SCOPE_INTENTS):
        if prediction.intent in group:
            return round(prediction.share(group), 4)
    return prediction.confidence


def _model_requests(prediction: Prediction) -> frozenset[str]:
    """The model's confident reading when it is a request the engine must answer even as a
    secondary one (an action Lumen cannot take, or a person)."""
    wanted = prediction.intent in OUT_OF_SCOPE_INTENTS or prediction.intent == "human"
    return frozenset({prediction.intent}) if wanted and \
        prediction.confidence >= MODEL_THRESHOLD else frozenset()


def _not_contradicted(intent: str, prediction: Prediction, *, corrected: bool = False) -> bool:
    """Whether a rules reading may stand while the model is unsure: unless the model is fairly
    sure the message is something else (or nothing Lumen handles). A reading found only after
    typo correction needs the model's agreement: the correction cannot tell a real word it does
    not know ("enjoyed") from a misspelt keyword ("annoyed"); the character n-grams can."""
    agrees = prediction.intent == intent or prediction.runner_up == intent
    return agrees or (not corrected and prediction.confidence < MODEL_CONTRADICTS)


def _order_question_first(model: str, scores: dict[str, float]) -> str:
    """An order question and an action in one message: the order flow leads, and the action
    rides along as a flag (the engine says it cannot do it and hands it over)."""
    if model not in OUT_OF_SCOPE_INTENTS:
        return model
    clear = [intent for intent in scores
             if intent in WISMO_INTENTS and scores[intent] >= CLEAR_QUESTION]
    return _strongest(clear, scores) if clear else model


def with_second_reading(understanding: Understanding, intent: str, confidence: float,
                        order_number: str | None) -> Understanding:
    """A second reading (Gemini's) applied where code accepts it, else ``understanding`` itself.

    It must name a known intent with confidence; its order number is used only when the
    message had none, and the email always stays the one code found.
    """
    if intent not in INTENTS or intent == "unknown" or confidence < CONFIDENT:
        return understanding
    numbers = understanding.order_numbers or ((order_number,) if order_number else ())
    return Understanding(intent, confidence, numbers, understanding.email,
                         understanding.flags - {intent})


def find_email(text: str) -> str | None:
    """The first email address in the text, as typed (without trailing punctuation)."""
    found = EMAIL_PATTERN.search(text)
    return found.group(0).rstrip(".") if found else None


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces, contractions and shorthand expanded."""
    lowered = text.translate(_APOSTROPHES).lower().replace("'", "")
    words = re.findall(r"[^\W_]+", lowered)
    return " ".join(CONTRACTIONS.get(word, word) for word in words)


def correct_typos(normalised: str) -> str:
    """Replace misspelt keywords ("pakage", "arived") with the keyword they are closest to."""
    return " ".join(_correct_word(word) for word in normalised.split())


@lru_cache(maxsize=4096)
def _correct_word(word: str) -> str:
    if word in KEYWORDS or word in COMMON_WORDS or len(word) < 4 or not word.isalpha():
        return word
    limit = 1 if len(word) < 7 else 2
    best, best_distance = word, limit + 1
    for keyword in KEYWORDS:
        if abs(len(keyword) - len(word)) > limit or len(keyword) < 4:
            continue
        distance = edit_distance(word, keyword, limit)
        if distance < best_distance or (distance == best_distance and keyword < best):
            best, best_distance = keyword, distance
    return best if best_distance <= limit else word


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of neighbours counts as one), capped at limit+1."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def match_intents(normalised: str, *, raw: str = "") -> dict[str, float]:
    """Every intent whose patterns match, with the strongest matching pattern's weight."""
    scores: dict[str, float] = {}
    for intent, patterns in INTENT_PATTERNS.items():
        weights = [weight for pattern, weight in patterns if pattern.search(normalised)]
        if weights:
            scores[intent] = max(weights)
    if _shouts(raw):
        scores["frustration"] = max(scores.get("frustration", 0.0), 0.8)
    return scores


def _shouts(raw: str) -> bool:
    """Three exclamation marks, or a long message typed in capitals."""
    letters = [char for char in raw if char.isalpha()]
    capitals = sum(char.isupper() for char in letters)
    return "!!!" in raw or (len(letters) >= 12 and capitals / len(letters) > 0.8)


def choose_primary(scores: dict[str, float]) -> str:
    """The intent to act on: an explicit request for a person, another platform, a clearly
    stated order question, an out-of-scope action, then whatever matched most strongly."""
    if scores.get("human", 0.0) >= EXPLICIT_HUMAN:
        return "human"
    for group, floor in ((("other_platform",), 0.0), (WISMO_INTENTS, CLEAR_QUESTION),
                         (OUT_OF_SCOPE_INTENTS, CONFIDENT)):
        present = [intent for intent in scores if intent in group and scores[intent] >= floor]
        if present:
            return _strongest(present, scores)
    return _strongest(list(scores), scores)


def _strongest(candidates: list[str], scores: dict[str, float]) -> str:
    return min(candidates, key=lambda intent: (-scores[intent], PRIORITY.index(intent)))


def find_order_numbers(text: str, *, prefix: str = "#", suffix: str = "") -> tuple[str, ...]:
    """Order numbers (digits, no leading zeros) in the order they appear; phone numbers, prices,
    dates, years and quantities are not order numbers."""
    masked = _PHONE.sub(lambda found: " " * len(found.group(0)), text)
    found: list[tuple[int, str]] = []
    for pattern in _affix_patterns(prefix, suffix):
        found += [(hit.start(), hit.group(1)) for hit in pattern.finditer(masked)]
    for hit in _MARKED_NUMBER.finditer(masked):
        if not _blocked_around(masked, hit.start(), hit.end()):
            found.append((hit.start(1), hit.group(1)))
    found += _bare_numbers(masked)
    return _unique_numbers(found)


@lru_cache(maxsize=256)
def _affix_patterns(prefix: str, suffix: str) -> tuple[re.Pattern[str], ...]:
    """Patterns for the shop's own order-name format, e.g. "NW-1042" or "1042-EU"."""
    patterns = []
    letters = re.sub(r"[\W_]+", "", prefix)
    if letters:
        patterns.append(re.compile(rf"\b{re.escape(letters)}[\s#.-]*(\d{{1,10}})\b", re.I))
    letters = re.sub(r"[\W_]+", "", suffix)
    if letters:
        patterns.append(re.compile(rf"\b(\d{{1,10}})[\s.-]*{re.escape(letters)}\b", re.I))
    return tuple(patterns)


def _bare_numbers(masked: str) -> list[tuple[int, str]]:
    """Plain numbers such as "1042", unless their neighbours say they are something else."""
    tokens = [(hit.start(), hit.group(0)) for hit in re.finditer(r"\S+", masked)]
    found = []
    for index, (start, token) in enumerate(tokens):
        bare = token.strip(_TOKEN_EDGES)
        if not _BARE_NUMBER.fullmatch(bare):
            continue
        before = [word.strip(_TOKEN_EDGES).lower() for _, word in tokens[max(0, index - 2):index]]
        after = tokens[index + 1][1].strip(_TOKEN_EDGES).lower() if index + 1 < len(tokens) else ""
        if not _is_other_number(bare, before, after):
            found.append((start + token.index(bare), bare))
    return found


def _is_other_number(number: str, before: list[str], after: str) -> bool:
    """A price, a quantity, a year, a postcode or a unit-bearing amount rather than an order."""
    if after in NUMBER_BLOCKERS_AFTER or any(word in NUMBER_BLOCKERS_BEFORE for word in before):
        return True
    if before and before[-1] in PURCHASE_VERBS:
        return True
    looks_like_year = len(number) == 4 and 1990 <= int(number) <= 2099
    previous = before[-1] if before else ""
    return looks_like_year and (previous in YEAR_CONTEXT or previous in MONTHS or after in MONTHS)


def _blocked_around(text: str, start: int, end: int) -> bool:
    """True when neighbouring words make a marked number something else: "order 3 weeks ago",
    "my phone number is 555123"."""
    following = text[end:].split(maxsplit=1)
    after = following[0].strip(_TOKEN_EDGES).lower() if following else ""
    before = [word.strip(_TOKEN_EDGES).lower() for word in text[:start].split()[-2:]]
    return after in NUMBER_BLOCKERS_AFTER or any(word in NUMBER_BLOCKERS_BEFORE for word in before)


def _unique_numbers(found: list[tuple[int, str]]) -> tuple[str, ...]:
    numbers: list[str] = []
    for _, digits in sorted(found):
        number = str(int(digits))
        if number not in numbers:
            numbers.append(number)
    return tuple(numbers)

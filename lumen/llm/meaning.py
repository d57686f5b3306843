"""A closed check of what a rewrite says: every content word must be grounded.

A word is grounded when it is a function or tone word of the rewrite's language, a number
word for a number the allowed text holds, a word (or stem) of the allowed text itself (the
template, the facts, the persona, the store name), or a known concept the allowed text
mentions. Claims (actions, statuses, times, policies) are concepts too; an action or status
must also keep its polarity: a rewrite may not assert what the template only denies or offers
("I can't process refunds" never becomes "I've refunded you"). Anything else is rejected, so
a new kind of invented promise fails by default instead of needing a new blacklist entry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from lumen.llm import lexicon
from lumen.llm.language import detect_language

# "performed": asserted with the assistant or the shop as subject ("I've refunded you").
PERFORMED, ASSERTED, HYPOTHETICAL, NEGATED = "performed", "asserted", "hypothetical", "negated"
WEAKER = {PERFORMED: {ASSERTED, HYPOTHETICAL}, ASSERTED: {HYPOTHETICAL}}
MOOD_KINDS = frozenset({"action", "status"})  # times and policies only need grounding
TOKEN = re.compile(r"__p\d+__|[^\W\d_]+(?:['-][^\W\d_]+)*")
CLAUSE_END = re.compile(r"[.!?;:,()\[\]\n…—–\"“”«»]|\s-\s")
DIGITS = re.compile(r"\d+")
MONEY = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:[$€£¥₹]|usd|eur|gbp|cad|aud)\b", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


@dataclass
class Grounds:
    """What the allowed text makes sayable: its words, stems, numbers and concept moods."""

    words: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    moods: dict[str, set[str]] = field(default_factory=dict)


def unsupported_word(reply: str, allowed: str, language: str) -> str | None:
    """The rule a rewrite breaks ("claim" or "wording"), or None when every word is grounded."""
    found = first_ungrounded(reply, allowed, language)
    return found[0] if found else None


def first_ungrounded(reply: str, allowed: str, language: str) -> tuple[str, str] | None:
    """(rule, word) for the first word of ``reply`` that ``allowed`` does not ground."""
    grounds = ground(allowed, language)
    for clause in clauses(reply, language):
        mood = clause_mood(clause, language)
        for token in clause:
            verdict = _token_verdict(token, mood, grounds, language)
            if verdict:
                return verdict, token
    return None


def ground(allowed: str, language: str) -> Grounds:
    """Read the allowed text (English templates, shop text in any language) for ``language``.

    Claims and their polarity are read in the allowed text's own language only: English
    negations read as French would turn "I can't cancel orders" into an assertion.
    """
    grounds = Grounds(numbers=set(DIGITS.findall(allowed)))
    if MONEY.search(allowed):
        grounds.moods["price"] = {ASSERTED}
    if grounds.numbers:
        grounds.moods["number"] = {ASSERTED}  # "numéro de suivi" for "tracking 1Z999..."
    own = detect_language(allowed)
    own = own if own in lexicon.LANGUAGES else "en"
    for reading in dict.fromkeys((own, language)):
        for clause in clauses(allowed, reading):
            mood = clause_mood(clause, reading)
            for token in clause:
                for part in (token, *_parts(token)):
                    grounds.words.add(part)
                    grounds.stems.update(_stem(part, code) for code in ("en", language))
                    for concept in concepts_of(part, reading):
                        if reading == own or not _KINDS[concept]:
                            grounds.moods.setdefault(concept, set()).add(mood)
    return grounds


def clauses(text: str, language: str) -> list[list[str]]:
    """Lower-cased tokens per clause, with multi-word phrases turned into one token each."""
    # Underscores go first: only _mark_phrases may write the "__pN__" phrase tokens.
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).replace("_", " ").lower()
    text = _mark_phrases(text, language)
    breaks = lexicon.CLAUSE_BREAKS.get(language, frozenset())
    result: list[list[str]] = []
    for segment in CLAUSE_END.split(text):
        current: list[str] = []
        for token in TOKEN.findall(segment):
            if token in breaks:
                result.append(current)
                current = []
            else:
                current.append(token)
        result.append(current)
    return [clause for clause in result if clause]


def clause_mood(clause: list[str], language: str) -> str:
    """Negated if the clause holds a negation, hypothetical if a modal or "if", else asserted."""
    parts = {part for token in clause for part in (token, *_parts(token))}
    if parts & lexicon.NEGATIONS.get(language, frozenset()) or any(
            token.endswith("n't") for token in clause):
        return NEGATED
    if parts & lexicon.HYPOTHETICAL.get(language, frozenset()):
        return HYPOTHETICAL
    if parts & lexicon.FIRST_PERSON.get(language, frozenset()):
        return PERFORMED
    return ASSERTED


def concepts_of(token: str, language: str) -> frozenset[str]:
    """The concepts a token names in ``language`` (English ones count in every language)."""
    if token.startswith("__p"):
        return _PHRASE_CONCEPTS[int(token[3:-2])]
    found: set[str] = set()
    for code in dict.fromkeys((language, "en")):
        exact, prefixes, stems = _concept_index(code)
        found |= exact.get(token, set())
        found |= {concept for prefix, concept in prefixes if token.startswith(prefix)}
        # Inflections of plain words ("trouverez" for "trouver"); claims match only as listed.
        found |= stems.get(_stem(token, code), set())
    return frozenset(found)


def _token_verdict(token: str, mood: str, grounds: Grounds, language: str) -> str | None:
    if _free_word(token, grounds, language):
        return None
    named = concepts_of(token, language)
    if token.startswith("__p") and not named:
        return None  # a tone phrase ("have a nice day")
    if named:
        return None if any(_usable(c, mood, grounds) for c in named) else _rule(named)
    if token in grounds.words or _stem(token, language) in grounds.stems:
        return None
    parts = _parts(token)
    if parts and all(_token_verdict(part, mood, grounds, language) is None for part in parts):
        return None
    return None if _compound_grounded(token, mood, grounds, language) else "wording"


def _free_word(token: str, grounds: Grounds, language: str) -> bool:
    """Function, tone and number words, which claim nothing by themselves."""
    if any(token in words[language] for words in _FREE_CLASSES):
        return True
    digits = lexicon.NUMBER_WORDS[language].get(token)
    return digits is not None and digits in grounds.numbers


def _usable(concept: str, mood: str, grounds: Grounds) -> bool:
    moods = grounds.moods.get(concept)
    if not moods:
        return False
    if _KINDS[concept] not in MOOD_KINDS:
        return True
    if _KINDS[concept] != "action" and mood == PERFORMED:
        mood = ASSERTED  # "we shipped it" states a status, whoever the subject
    # Saying less than the template (offering what it states) is fine; more is not.
    return mood in moods or any(mood in WEAKER.get(stated, ()) for stated in moods)


def _rule(concepts: frozenset[str]) -> str:
    return "claim" if any(_KINDS[concept] for concept in concepts) else "wording"


def _parts(token: str) -> tuple[str, ...]:
    if token.endswith("n't"):
        return (token[:-3], "t")
    pieces = tuple(piece for piece in re.split("'" if "'" in token else "-", token) if piece)
    return pieces if len(pieces) > 1 else ()


def _compound_grounded(token: str, mood: str, grounds: Grounds, language: str) -> bool:
    """German compounds ("Lieferdetails"): two grounded words, with an optional linking s."""
    if language != "de" or len(token) < 8:
        return False
    for cut in range(4, len(token) - 3):
        head, tail = token[:cut], token[cut:]
        heads = (head, head[:-1]) if head.endswith("s") else (head,)
        if any(_token_verdict(h, mood, grounds, language) is None for h in heads) and \
                _token_verdict(tail, mood, grounds, language) is None:
            return True
    return False


@lru_cache(maxsize=8192)
def _stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word)


@lru_cache(maxsize=8)
def _stemmer(language: str):
    return snowballstemmer.stemmer(lexicon.STEMMERS[language])


ConceptIndex = tuple[dict[str, set[str]], tuple[tuple[str, str], ...], dict[str, set[str]]]


@lru_cache(maxsize=8)
def _concept_index(language: str) -> ConceptIndex:
    exact: dict[str, set[str]] = {}
    prefixes: list[tuple[str, str]] = []
    stems: dict[str, set[str]] = {}
    for concept, (kind, forms) in lexicon.CONCEPTS.items():
        for entry in forms.get(language, "").split():
            if entry.endswith("*"):
                prefixes.append((entry[:-1], concept))
                continue
            exact.setdefault(entry, set()).add(concept)
            if not kind:
                stems.setdefault(_stem(entry, language), set()).add(concept)
    return exact, tuple(prefixes), stems


def _mark_phrases(text: str, language: str) -> str:
    for pattern, index in _compiled_phrases(language):
        text = pattern.sub(f" __p{index}__ ", text)
    return text


@lru_cache(maxsize=8)
def _compiled_phrases(language: str) -> tuple[tuple[re.Pattern[str], int], ...]:
    return tuple((pattern, _PHRASE_INDEX[(language, pattern.pattern)])
                 for pattern, _ in lexicon.compile_phrases(language))


_FREE_CLASSES = (lexicon.FUNCTION, lexicon.TONE, lexicon.NEGATIONS, lexicon.HYPOTHETICAL,
                 lexicon.FIRST_PERSON, lexicon.CLAUSE_BREAKS)
_KINDS = {concept: kind for concept, (kind, _) in lexicon.CONCEPTS.items()}
_PHRASE_INDEX: dict[tuple[str, str], int] = {}
_PHRASE_CONCEPTS: list[frozenset[str]] = []
for _language in lexicon.LANGUAGES:
    for _pattern, _concepts in lexicon.compile_phrases(_language):
        _PHRASE_INDEX[(_language, _pattern.pattern)] = len(_PHRASE_CONCEPTS)
        _PHRASE_CONCEPTS.append(frozenset(_concepts))

"""Code that decides whether a model-written reply may be shown (OWASP LLM05/LLM09).

A rewrite passes only if every number, link, date, carrier and name in it already appears in
what this turn may say (the template, the allowed facts, the store's own persona text), it keeps
the template's numbers and links, it has no email address, no markup and the right language,
and every content word it uses is grounded in that text (:mod:`lumen.llm.meaning`), so it can
promise no refund, status, time or policy that the template and facts do not state.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from lumen.conversation.scope import CARRIERS
from lumen.llm import lexicon
from lumen.llm.client import LLMFailure
from lumen.llm.language import detect_language
from lumen.llm.meaning import unsupported_word
from lumen.security import EMAIL_PATTERN

# A run of letters/digits holding a digit, joined by separators inside numbers (1,299.00).
NUMBER_TOKEN = re.compile(r"[^\W_]*\d[^\W_]*(?:[.,:/-][^\W_]*\d[^\W_]*)*")
URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
DOMAIN = re.compile(r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}"
                    r"(?::\d+)?(?:/[^\s<>\"'()\[\]]*)?", re.IGNORECASE)
MARKUP = re.compile(r"<\s*[a-z/!?]|&#?\w+;|\]\(|!\[|```|\*\*|__|\{\{|\}\}|"
                    r"\b(?:javascript|data|vbscript):", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# What may come right before a sentence's first word (a link usually ends its sentence).
SENTENCE_START = re.compile(r"(?:^|[.!?:;…\n¡¿]|(?:https?://|www\.)\S+)[\s\"'“‘«(\[•-]*$")
ALWAYS_CAPITALISED = frozenset({"I", "I'm", "I'll", "I've", "I'd", "I’m", "I’ll", "I’ve", "I’d",
                                "U"})
# Languages that capitalise common nouns: a capital there says nothing about a name.
NOUN_CAPITALISING = frozenset({"de", "lb"})


class Rejected(LLMFailure):
    """A rewrite broke a rule; ``rule`` names which (recorded, never shown to the shopper)."""

    def __init__(self, rule: str) -> None:
        super().__init__("rejected", rule)
        self.rule = rule


@dataclass(frozen=True)
class Allowed:
    """What a reply this turn may mention: the template plus the facts it was given."""

    template: str
    facts: tuple[str, ...] = ()

    @property
    def corpus(self) -> str:
        """All allowed text in one string, for substring checks."""
        return "\n".join((self.template, *self.facts))


def max_chars(template: str) -> int:
    """The length cap for a rewrite of ``template``."""
    return min(1500, max(2 * len(template), len(template) + 200))


def check_reply(reply: str, allowed: Allowed, language: str | None) -> str:
    """Return ``reply`` stripped if it may be shown; raise :class:`Rejected` otherwise."""
    reply = reply.strip()
    if not reply:
        raise Rejected("empty")
    if len(reply) > max_chars(allowed.template):
        raise Rejected("too_long")
    for rule, check in _CHECKS:
        if not check(reply, allowed):
            raise Rejected(rule)
    if language and not _same_language(reply, language):
        raise Rejected("language")
    _check_meaning(reply, allowed, language)
    return reply


def _check_meaning(reply: str, allowed: Allowed, language: str | None) -> None:
    """Every content word grounded (see :mod:`lumen.llm.meaning`); other languages are held."""
    language = language or detect_language(reply) or "en"
    if language not in lexicon.LANGUAGES:
        raise Rejected("unsupported_language")
    rule = unsupported_word(_without_links(reply), _without_links(allowed.corpus), language)
    if rule:
        raise Rejected(rule)


def _without_links(text: str) -> str:
    # Links were checked as wholes (they must be the allowed ones); their pieces are not words.
    return DOMAIN.sub(" ", URL.sub(" ", text))


def _no_email(reply: str, allowed: Allowed) -> bool:
    placeholders = ("[email]", "[phone]", "[address]", "[order status page]")
    return not EMAIL_PATTERN.search(reply) and not any(p in reply for p in placeholders)


def _no_markup(reply: str, allowed: Allowed) -> bool:
    # Invisible and direction-changing characters could hide text from the merchant's review.
    hidden = any(unicodedata.category(char) in ("Cf", "Co", "Cs") or
                 (unicodedata.category(char) == "Cc" and char not in "\n\t") for char in reply)
    return not hidden and not MARKUP.search(reply)


def _links_allowed(reply: str, allowed: Allowed) -> bool:
    corpus = allowed.corpus.lower()
    found = [_trim(match) for pattern in (URL, DOMAIN) for match in pattern.findall(reply)]
    return all(link.lower() in corpus for link in found)


def _numbers_allowed(reply: str, allowed: Allowed) -> bool:
    return _number_tokens(reply) <= _number_tokens(allowed.corpus)


def _template_facts_kept(reply: str, allowed: Allowed) -> bool:
    template_links = {_trim(link).lower() for link in URL.findall(allowed.template)}
    links_kept = all(link in reply.lower() for link in template_links)
    # A lone digit ("Package 1", "2 packages") may fairly become a word; a longer number not.
    required = {token for token in _number_tokens(allowed.template) if len(token) > 1}
    return links_kept and required <= _number_tokens(reply)


def _carriers_allowed(reply: str, allowed: Allowed) -> bool:
    allowed_carriers = set(_carriers(allowed.corpus))
    return all(carrier in allowed_carriers for carrier in _carriers(reply))


def _names_allowed(reply: str, allowed: Allowed) -> bool:
    if detect_language(reply) in NOUN_CAPITALISING:
        return True
    known = {word.lower() for word in WORD.findall(allowed.corpus)}
    return all(_word_allowed(match, reply, known) for match in WORD.finditer(reply))


_CHECKS = (("email", _no_email), ("markup", _no_markup), ("link", _links_allowed),
           ("number", _numbers_allowed), ("dropped_fact", _template_facts_kept),
           ("carrier", _carriers_allowed), ("name", _names_allowed))


def _word_allowed(match: re.Match[str], reply: str, known: set[str]) -> bool:
    word = match.group()
    if not word[0].isupper() or word in ALWAYS_CAPITALISED or word.lower() in known:
        return True
    return bool(SENTENCE_START.search(reply[:match.start()]))


def _same_language(reply: str, language: str) -> bool:
    detected = detect_language(reply)
    return detected is None or detected == language


def _number_tokens(text: str) -> set[str]:
    return {token.lower() for token in NUMBER_TOKEN.findall(text)}


def _carriers(text: str) -> Iterable[str]:
    lowered = text.lower()
    return (name for name in CARRIERS if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered))


def _trim(link: str) -> str:
    return link.rstrip(".,;:!?")

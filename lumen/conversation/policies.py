"""Answers about the store's own policies (returns and refunds, shipping times, countries).

The passage quoted is chosen by code from the shop's policy text (Shopify's ``shopPolicies``):
the policy's HTML is split into paragraphs, list items and table rows, and the passage that
best matches the shopper's words, and the country they name, is quoted as written, with a link
to the policy page. Nothing is paraphrased or invented. Shops whose plan has no policy answers
get the link alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from lumen.conversation.replies import TALK_TO_A_PERSON, Link, Reply, safe_link

MAX_QUOTE = 420
CANNOT_RETURN = ("I can't start a return or refund in this chat, but I can pass your request "
                 "to the store's team.")
ABOUT_AN_ORDER = ("If you're asking about an order you've placed, what's your order number? "
                  "I'll check where it is.")
POLICY_TYPES = {"policy_returns": "REFUND_POLICY", "policy_shipping": "SHIPPING_POLICY"}
_BLOCKS = frozenset({"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br",
                     "table", "ul", "ol", "section", "blockquote"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("""
a an the i me my we our you your is are was were be been do does did can could would will
shall should to of in on at for from by with and or but if it its this that these those what
whats which how long much many when where who why there here any some please pls hi hello
hey just also so about get got have has had am want need know tell like policy store shop
""".split())
# Words that make a passage the answer to each kind of question, besides the shopper's own.
_TOPIC_WORDS = {
    "policy_returns": {"return": 2.0, "returns": 2.0, "refund": 1.5, "refunds": 1.5,
                       "days": 1.0, "within": 1.0, "eligible": 0.5},
    "policy_shipping": {"business": 1.0, "days": 1.5, "delivery": 1.0, "processed": 0.5,
                        "ship": 1.0, "ships": 1.0, "shipping": 1.0},
}
# Country names shoppers type, and the names a policy uses for them (first one shown).
COUNTRIES: dict[str, tuple[str, ...]] = {
    "United States": ("united states", "usa", "u s a", "the us", "the u s", "america",
                      "the states"),
    "Canada": ("canada",), "Mexico": ("mexico",), "Brazil": ("brazil",),
    "United Kingdom": ("united kingdom", "uk", "u k", "britain", "great britain", "england",
                       "scotland", "wales", "northern ireland"),
    "Ireland": ("ireland",), "Germany": ("germany", "deutschland"), "France": ("france",),
    "Spain": ("spain",), "Italy": ("italy",), "Netherlands": ("netherlands", "holland"),
    "Belgium": ("belgium",), "Austria": ("austria",), "Portugal": ("portugal",),
    "Sweden": ("sweden",), "Denmark": ("denmark",), "Finland": ("finland",),
    "Poland": ("poland",), "Greece": ("greece",), "Switzerland": ("switzerland",),
    "Norway": ("norway",), "Australia": ("australia",), "New Zealand": ("new zealand",),
    "Japan": ("japan",), "China": ("china",), "India": ("india",),
    "Singapore": ("singapore",), "South Korea": ("south korea", "korea"),
    "United Arab Emirates": ("united arab emirates", "uae", "dubai"),
    "South Africa": ("south africa",), "Israel": ("israel",), "Turkey": ("turkey",),
}
EUROPEAN_UNION = frozenset({"Ireland", "Germany", "France", "Spain", "Italy", "Netherlands",
                            "Belgium", "Austria", "Portugal", "Sweden", "Denmark", "Finland",
                            "Poland", "Greece"})
_COUNTRY_PATTERNS = [
    (country, re.compile(r"\b(" + "|".join(re.escape(alias) for alias in aliases) + r")\b"))
    for country, aliases in COUNTRIES.items()
]


@dataclass(frozen=True)
class Policy:
    """One of the shop's policies as Shopify gives it (``body`` is HTML)."""

    type: str
    title: str
    body: str
    url: str

    @classmethod
    def from_shopify(cls, node: dict[str, object]) -> Policy:
        """A Policy from a ``shopPolicies`` node."""
        return cls(str(node.get("type") or ""), str(node.get("title") or ""),
                   str(node.get("body") or ""), str(node.get("url") or ""))

    def to_dict(self) -> dict[str, str]:
        """JSON form (for the per-shop cache)."""
        return {"type": self.type, "title": self.title, "body": self.body, "url": self.url}


PolicySource = Callable[[], Sequence[Policy]]


class _Passages(HTMLParser):
    """Text blocks of an HTML policy: paragraphs, list items, table rows (cells joined)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []  # (text, heading it sits under)
        self.heading = ""
        self._text: list[str] = []
        self._cells: list[str] = []
        self._header: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Start a new block at block-level tags."""
        if tag in ("td", "th"):
            self._text = []
        elif tag in _BLOCKS:
            self._flush()
            self._in_heading = tag in _HEADINGS

    def handle_endtag(self, tag: str) -> None:
        """Close cells, rows and blocks."""
        if tag in ("td", "th"):
            self._cells.append(_clean("".join(self._text)))
            self._text = []
            return
        if tag == "tr":
            self._row()
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        """Collect text."""
        self._text.append(data)

    def close(self) -> None:
        """Flush what is left."""
        super().close()
        self._flush()

    def _row(self) -> None:
        cells, self._cells = [cell for cell in self._cells if cell], []
        if not cells:
            return
        if not self._header:
            self._header = cells
            return
        labelled = [f"{label}: {cell}" for label, cell in zip(self._header[1:], cells[1:],
                                                                  strict=False)]
        self.blocks.append((f"{cells[0]}: " + "; ".join(labelled) if labelled else cells[0],
                            self.heading))

    def _flush(self) -> None:
        text, self._text = _clean("".join(self._text)), []
        if not text:
            return
        if self._in_heading:
            self.heading, self._in_heading = text, False
        else:
            self.blocks.append((text, self.heading))


def _clean(text: str) -> str:
    return " ".join(text.split())


def passages(body: str) -> list[tuple[str, str]]:
    """The policy's passages in order, each with the heading it sits under."""
    parser = _Passages()
    parser.feed(body or "")
    parser.close()
    return parser.blocks


def find_country(text: str) -> str | None:
    """The first country the message names, by its usual English name."""
    lowered = " " + " ".join(_WORD.findall((text or "").lower().replace(".", " "))) + " "
    found = [(hit.start(), country) for country, pattern in _COUNTRY_PATTERNS
             if (hit := pattern.search(lowered))]
    return min(found)[1] if found else None


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in _STOP}


def choose_passage(policy: Policy, intent: str, question: str,
                   country: str | None = None) -> str | None:
    """The passage of ``policy`` that answers ``question`` best, or None if none does."""
    found = passages(policy.body)
    if not found:
        return None
    if country:
        return _country_passage(found, country)
    return max(_scored(found, intent, question))[2]


def _scored(found: list[tuple[str, str]], intent: str,
            question: str) -> list[tuple[float, int, str]]:
    """(score, -position, passage): words shared with the question count most, then the
    words that usually answer this kind of question."""
    asked = {_stem(word) for word in _words(question)}
    topic = _TOPIC_WORDS.get(intent, {})
    blocks = [(_words(f"{heading} {text}"), text) for text, heading in found]
    stems = [{_stem(word) for word in words} for words, _ in blocks]
    # A word the question shares with few passages ("sale") says more than one in all
    # ("return"), as in TF-IDF.
    rarity = {stem: math.log(1 + len(blocks) / sum(stem in each for each in stems))
              for stem in asked if any(stem in each for each in stems)}
    scored = []
    for index, ((words, text), block_stems) in enumerate(zip(blocks, stems, strict=True)):
        overlap = sum(rarity[stem] for stem in asked & block_stems) * 3.0
        scored.append((overlap + sum(weight for word, weight in topic.items() if word in words),
                       -index, text))
    return scored


def best_policy_passage(policies: Sequence[Policy], intent: str,
                        question: str) -> tuple[Policy, str] | None:
    """The best passage for a question across the refund and shipping policies: "who pays for
    return shipping?" may be answered by either. The policy the intent names is preferred."""
    own = find_policy(policies, intent)
    candidates = [(policy, 1.0 if policy is own else 0.0) for policy in policies
                  if policy.type in POLICY_TYPES.values() and policy.body]
    best: tuple[float, int, str, Policy] | None = None
    for policy, bonus in candidates:
        for score, position, text in _scored(passages(policy.body), intent, question):
            if best is None or (score + bonus, position) > best[:2]:
                best = (score + bonus, position, text, policy)
    return (best[3], best[2]) if best else None


def _country_passage(found: list[tuple[str, str]], country: str) -> str | None:
    """The passage naming the country (or its region), else the one saying where the store
    does not ship; None when the policy says nothing that applies."""
    names = [alias for alias in COUNTRIES.get(country, (country.lower(),)) if len(alias) > 2]
    regions = ["european union", "europe", " eu "] if country in EUROPEAN_UNION else []
    for wanted in (names, regions):
        for text, _ in found:
            lowered = f" {text.lower()} "
            if any(re.search(rf"\b{re.escape(name.strip())}\b", lowered) for name in wanted):
                return text
    return None


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def quote(text: str, limit: int = MAX_QUOTE) -> str:
    """The passage, cut at a sentence (or word) boundary when it is long."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("; "))
    return (cut[:end + 1] if end > limit // 2 else cut.rsplit(" ", 1)[0]) + " …"


def find_policy(policies: Sequence[Policy], intent: str) -> Policy | None:
    """The shop's policy for a policy question, if it has one."""
    wanted = POLICY_TYPES.get(intent)
    return next((policy for policy in policies if policy.type == wanted and policy.body), None)


def policy_reply(policies: Sequence[Policy], intent: str, question: str, *,
                 quote_allowed: bool, country: str | None = None) -> Reply:
    """The answer to a policy question: a quoted passage and a link (or the link alone)."""
    policy = find_policy(policies, intent)
    passage = None
    if quote_allowed and policy is not None:
        if country:
            passage = choose_passage(policy, intent, question, country)
        else:
            policy, passage = best_policy_passage(policies, intent, question) or (policy, None)
    link = safe_link(policy.url, policy.title) if policy else None
    if policy is None or link is None:
        return _no_policy(intent)
    name = policy.title.lower()
    if passage is None and quote_allowed and country:
        text = (f"The store's {name} doesn't mention {country}. Please check the full policy, "
                "or ask the store's team.")
    elif passage is None:
        text = f"You'll find the store's {name} here."
    else:
        text = f"From the store's {name}: \u201c{quote(passage)}\u201d"
    return _with_tail(Reply(text, [link]), intent)


def _with_tail(reply: Reply, intent: str) -> Reply:
    """What the shopper can do next, after the policy itself."""
    if intent == "policy_returns":
        return Reply(f"{reply.text}\n{CANNOT_RETURN}", reply.links,
                     quick_replies=[TALK_TO_A_PERSON], offers_help=True)
    return Reply(f"{reply.text}\n{ABOUT_AN_ORDER}", reply.links)


def _no_policy(intent: str) -> Reply:
    if intent == "policy_returns":
        return Reply(f"I don't have the store's return policy here. {CANNOT_RETURN}",
                     quick_replies=[TALK_TO_A_PERSON], offers_help=True)
    return Reply(f"I don't have the store's shipping policy here. {ABOUT_AN_ORDER}",
                 quick_replies=[TALK_TO_A_PERSON], offers_help=True)


__all__ = ["Link", "Policy", "PolicySource", "best_policy_passage", "choose_passage",
           "find_country", "find_policy", "passages", "policy_reply", "quote"]

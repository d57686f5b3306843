"""Expand the team's phrasings into training examples, deterministically.

The same templates always give the same examples in the same order (seeded by a digest of the
template, never by Python's salted ``hash``), so the training command is reproducible and the
model's fingerprint changes only when the phrasings do.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from dataclasses import dataclass

from lumen.conversation.intents.phrasings import CLOSERS, OPENERS, SLOTS, TEMPLATES

PER_INTENT = 640  # examples per intent at most (before noisy copies)
PER_TEMPLATE = 60  # expansions per template at most
NOISY_SHARE = 0.35
_PART = re.compile(r"\[([^\]]*)\]|\{(\w+)\}")
_KEYBOARD_NEIGHBOURS = {
    "a": "sq", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "y": "tu",
}


@dataclass(frozen=True)
class Example:
    """One training phrasing, its intent, and the template it came from (for grouped folds)."""

    text: str
    intent: str
    template: str


def expand(template: str, rng: random.Random, limit: int = PER_TEMPLATE) -> list[str]:
    """Up to ``limit`` distinct texts from one template, in a reproducible order."""
    pieces: list[tuple[str, ...]] = []
    position = 0
    for found in _PART.finditer(template):
        pieces.append((template[position:found.start()],))
        alternatives, slot = found.groups()
        pieces.append(tuple(alternatives.split("|")) if slot is None else SLOTS[slot])
        position = found.end()
    pieces.append((template[position:],))
    total = 1
    for choices in pieces:
        total *= len(choices)
    if total <= limit:
        combos = list(itertools.product(*pieces))
    else:
        combos = [tuple(rng.choice(choices) for choices in pieces) for _ in range(limit * 3)]
    texts = dict.fromkeys(" ".join("".join(combo).split()) for combo in combos)
    return [text for text in texts if text][:limit]


def typo(text: str, rng: random.Random) -> str:
    """One slip of the keyboard in one longer word: a letter dropped, doubled, swapped or hit
    next to."""
    words = text.split()
    candidates = [index for index, word in enumerate(words) if len(word) >= 4 and word.isalpha()]
    if not candidates:
        return text
    index = rng.choice(candidates)
    word = words[index]
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        word = word[:at] + word[at + 1:]
    elif kind == 1:
        word = word[:at] + word[at] + word[at:]
    elif kind == 2:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    else:
        near = _KEYBOARD_NEIGHBOURS.get(word[at].lower(), word[at])
        word = word[:at] + rng.choice(near) + word[at + 1:]
    words[index] = word
    return " ".join(words)


def noisy(text: str, rng: random.Random) -> str:
    """The text as a hurried shopper might type it."""
    if rng.random() < 0.5:
        text = typo(text, rng)
    if rng.random() < 0.3:
        text = rng.choice(OPENERS) + text
    if rng.random() < 0.35:
        text = text.rstrip("?!.") + rng.choice(CLOSERS)
    roll = rng.random()
    if roll < 0.3:
        text = text[:1].upper() + text[1:]
    elif roll < 0.35:
        text = text.upper()
    return text


def _rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def examples() -> list[Example]:
    """Every training example, intents in TEMPLATES order."""
    found: list[Example] = []
    for intent, templates in TEMPLATES.items():
        per_template = [expand(template, _rng(intent, template)) for template in templates]
        chosen: list[tuple[str, str]] = []
        # Round-robin over templates so that no single template dominates an intent.
        for batch in itertools.zip_longest(*per_template):
            for template, text in zip(templates, batch, strict=True):
                if text is not None and len(chosen) < PER_INTENT:
                    chosen.append((text, template))
        rng = _rng(intent, "noise")
        seen = {text for text, _ in chosen}
        extra = []
        for text, template in chosen:
            if rng.random() < NOISY_SHARE or len(chosen) < PER_INTENT // 4:
                variant = noisy(text, rng)
                if variant not in seen:
                    seen.add(variant)
                    extra.append((variant, template))
        found += [Example(text, intent, template) for text, template in chosen + extra]
    return found

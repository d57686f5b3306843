"""A small language guess: scripts first, then common function words of Latin-script languages.

It only needs to notice that a reply switched language, so it answers None when unsure.
"""

from __future__ import annotations

import re
import unicodedata

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and is are your you my it has have was will to of for with not "
                    "this that where when what can order i me please be on".split()),
    "fr": frozenset("le la les et est vous votre mon ma mes je pas une des du pour avec "
                    "où quand commande colis été il elle nous est-ce".split()),
    "es": frozenset("el la los las y es su sus mi mis yo no una del por para con dónde "
                    "cuándo pedido está usted que se".split()),
    "de": frozenset("der die das und ist sie ihr ihre mein meine ich nicht ein eine mit "
                    "für wo wann bestellung wurde noch bitte zu".split()),
    "it": frozenset("il lo la gli le e è suo sua mio mia io non una per con dove quando "
                    "ordine stato che di".split()),
    "pt": frozenset("o a os as e é seu sua meu minha eu não uma um para com onde quando "
                    "pedido foi está que de".split()),
    "nl": frozenset("de het een en is uw jouw mijn ik niet voor met waar wanneer "
                    "bestelling nog wel".split()),
}
SCRIPT_LANGUAGES = (("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("HANGUL", "ko"), ("CJK", "zh"),
                    ("CYRILLIC", "ru"), ("ARABIC", "ar"), ("HEBREW", "he"), ("GREEK", "el"),
                    ("THAI", "th"), ("DEVANAGARI", "hi"))
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def detect_language(text: str) -> str | None:
    """An ISO 639-1 guess for ``text``, or None when the evidence is thin or split."""
    script = _script_language(text)
    if script:
        return script
    words = [word.lower() for word in WORD.findall(text)]
    hits = {code: sum(word in vocabulary for word in words)
            for code, vocabulary in FUNCTION_WORDS.items()}
    ranked = sorted(hits.items(), key=lambda item: item[1], reverse=True)
    (best, best_hits), (_, runner_up) = ranked[0], ranked[1]
    if best_hits < 2 or best_hits < runner_up * 1.5:
        return None
    return best


def _script_language(text: str) -> str | None:
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return None
    counts: dict[str, int] = {}
    for char in letters:
        name = unicodedata.name(char, "")
        for marker, code in SCRIPT_LANGUAGES:
            if name.startswith(marker):
                counts[code] = counts.get(code, 0) + 1
                break
    if not counts or sum(counts.values()) < len(letters) / 2:
        return None
    # Japanese mixes kanji with kana; any kana at all decides it.
    return "ja" if "ja" in counts else max(counts, key=counts.__getitem__)

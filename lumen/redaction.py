"""Redaction of personal data in free text: emails, phone numbers, postal addresses, secret links.

Text is normalised first (Unicode NFKC, format characters removed), so a fullwidth "＠", a
zero-width space inside an address or fullwidth digits cannot slip past the patterns. Then, in
this order: order status page links and the query part of other links, emails in their written
forms ("name (at) example (dot) com"), postal addresses and postcodes (US, UK, EU, India,
Japan), and phone numbers.
"""

from __future__ import annotations

import re
import unicodedata

EMAIL_TAG, PHONE_TAG, ADDRESS_TAG = "[email]", "[phone]", "[address]"
STATUS_PAGE_TAG = "[order status page]"

URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
# Shopify's order status page: /{shop id}/orders/{token}[/authenticate?key=...]. The token
# and key open a page showing the customer's address.
STATUS_PAGE_PATH = re.compile(r"/orders/[0-9a-f]{16,}|/authenticate\b|[?&]key=", re.IGNORECASE)

_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]+"
_AT_WORD = r"(?:at|arroba)"
_DOT_WORD = r"(?:dot|punto|punkt|point)"
_OPEN, _CLOSE = r"[\(\[\{<]\s*", r"\s*[\)\]\}>]"
_EMAIL_AT = rf"(?:\s*@\s*|\s*{_OPEN}{_AT_WORD}{_CLOSE}\s*)"
_EMAIL_DOT = rf"(?:\s*\.\s*|\s*{_OPEN}{_DOT_WORD}{_CLOSE}\s*|\s+{_DOT_WORD}\s+)"
_WORD_DOT = rf"(?:\s+{_DOT_WORD}\s+|\s*{_OPEN}{_DOT_WORD}{_CLOSE}\s*|\s+\.\s+)"
EMAILS = (
    # name@example.com, name @ example . com, name (at) example [dot] com
    re.compile(rf"{_LOCAL}{_EMAIL_AT}[\w-]+(?:{_EMAIL_DOT}[\w-]+)+", re.IGNORECASE),
    # name at example dot com, name at example (dot) com, name at example . com, name at
    # example.com (a plain "at home. Later" has no space before its full stop)
    re.compile(rf"\b[\w.+-]+\s+{_AT_WORD}\s+[\w-]+(?:{_WORD_DOT}[\w-]+)+\b"
               rf"|\b[\w.+-]+\s+{_AT_WORD}\s+[\w-]+(?:\.[a-z]{{2,24}})+\b", re.IGNORECASE),
)

_STREET_TYPES = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|"
    r"terrace|parkway|pkwy|circle|cir|highway|hwy|square|sq|close|crescent|gardens|grove|"
    r"mews|row|hill|walk|nagar|marg|colony|layout|chowk")
_NAME_WORD = r"[A-Z0-9][\w.'’-]*"
_UNIT = r"(?:,?\s*(?:apt|apartment|suite|ste|unit|flat|floor|fl|#)\.?\s*[\w-]+)?"
ADDRESSES = (
    # Japan: 〒100-0001, and 東京都千代田区千代田1-1 style addresses.
    re.compile(r"〒\s*\d{3}-?\d{4}"),
    re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]{1,6}[都道府県][\u3040-\u30ff\u4e00-\u9fff]{1,10}"
               r"[市区町村郡][\u3040-\u30ff\u4e00-\u9fff\d０-９\-−ー丁目番地号]*"),
    re.compile(r"\b\d+(?:-\d+){1,2}\s+[A-Z][a-z]+(?:-(?:cho|machi))?,?\s+[A-Z][a-z]+-(?:ku|shi)"
               r"\b(?:,?\s+[A-Z][a-z]+)?"),
    # France, Spain, Italy, Portugal: "12 rue de la Paix", "Calle Mayor 10", "Via Roma 10".
    re.compile(r"\b\d{1,5}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|av|boulevard|bd|allée|chemin|"
               r"impasse|quai|place|route)\s+(?:(?:de|du|des|la|le|l'|d')\s*)*[\w'’-]+"
               r"(?:[ \t]+[A-ZÀ-Ý][\w'’-]*){0,3}"),
    re.compile(r"(?:\b|(?<=\s))(?:Calle|C/|Avenida|Avda\.?|Plaza|Paseo|Carrer|Via|Viale|Piazza|"
               r"Corso|Rua|Travessa|Largo)\s+(?:(?:de|del|della|di|da|dos|das|do|la)\s+)?"
               r"(?:[A-ZÀ-Ý][\w'’-]*[ \t]+){1,3},?[ \t]*\d{1,5}[a-zA-Z]?\b"),
    # US / UK / India: "221B Baker Street", "1600 Amphitheatre Pkwy, Apt 5", "12 MG Road".
    re.compile(rf"\b\d{{1,6}}[A-Za-z]?,?\s+(?:{_NAME_WORD}\s+){{0,4}}(?i:{_STREET_TYPES})\b\.?"
               rf"{_UNIT}"),
    # Germany, Austria, Switzerland, the Netherlands: "Hauptstraße 5", "Kerkstraat 12a".
    re.compile(r"\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|"
               r"straat|laan|plein|gracht|kade|steeg)\s+\d{1,5}\s?[a-zA-Z]?\b"),
    # Postcodes: UK ("SW1A 1AA"), NL ("1012 AB Amsterdam"), DE/FR/ES/IT after a comma or a
    # country prefix ("…, 10115 Berlin", "D-10115"), US ZIP after a state ("CA 94043"),
    # India with its label or after a city ("PIN 110001", "Mumbai - 400001").
    re.compile(r"\b(?i:[A-Z]{1,2}\d[A-Z\d]?)\s+(?i:\d[A-Z]{2})\b"),
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}\b"),
    re.compile(r"(?<![#\d])\b\d{4}[ \t]?[A-Z]{2}[ \t]+[A-Z][a-z]+"),
    re.compile(r"(?:,[ \t]*|\b[A-Z]-)(?!(?:19|20)\d\d\b)\d{4,5}[ \t]+[A-ZÀ-Ý][\wà-ÿ-]+"),
    re.compile(r"\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|"
               r"O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])\s+\d{5}(?:-\d{4})?\b"),
    re.compile(r"(?i:\b(?:pin\s*code|pincode|pin|postcode|post\s*code|zip(?:\s*code)?|"
               r"postal\s*code|code\s*postal|plz|cp)\b\s*(?:is\s*)?[:#-]?\s*)(?=[\w-]*\d)[\w-]{3,8}"
               r"(?:\s\d\w{2})?"),
    re.compile(r"\b(?!Order\b)[A-Z][a-z]+\s*[-–]\s*\d{3}\s?\d{3}\b"),
)
# Seven or more digits with the separators people type; order numbers are shorter.
PHONE = re.compile(r"(?<![\w#])(?:\+|\(\s*\+?)?\d(?:[\s().\-/–—]*\d){6,}(?!\w)")
_DIGITS = re.compile(r"\d+")
ISO_DATE = re.compile(r"(?:19|20)\d\d-[01]\d-[0-3]\d")


def normalise(text: str) -> str:
    """NFKC (fullwidth forms, ligatures) without format characters (zero-width, bidi, ...)."""
    if text.isascii():
        return text  # NFKC leaves ASCII as it is, and no ASCII character is a format one
    text = unicodedata.normalize("NFKC", text)
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def redact(text: str, *, phones: bool = True) -> str:
    """Replace links' secrets, emails, postal addresses and (unless told not to) phone numbers.

    Lumen's own replies pass ``phones=False``: the long numbers they hold are the order's
    tracking numbers, which the support team needs to read, never a shopper's phone.
    """
    text = URL.sub(_safe_link, normalise(text))
    for pattern in EMAILS:
        text = pattern.sub(EMAIL_TAG, text)
    for pattern in ADDRESSES:
        text = pattern.sub(ADDRESS_TAG, text)
    return PHONE.sub(_phone_tag, text) if phones else text


def _phone_tag(match: re.Match[str]) -> str:
    # An ISO date ("2026-11-28") has eight digits and dashes, but it is a date.
    return match.group() if ISO_DATE.fullmatch(match.group()) else PHONE_TAG


def safe_link(url: str) -> str:
    """A link as it may be stored: the status page as a tag, any other without its query."""
    bare = url.rstrip(".,;:!?")
    trailing = url[len(bare):]
    if STATUS_PAGE_PATH.search(bare):
        return STATUS_PAGE_TAG + trailing
    return re.split(r"[?#]", bare, maxsplit=1)[0] + trailing


def _safe_link(match: re.Match[str]) -> str:
    return safe_link(match.group())


def redacted_number(text: str, number: str) -> bool:
    """True when ``number`` is typed in ``text`` but gone from its redacted form (a phone...)."""
    def numbers(value: str) -> set[str]:
        return {digits.lstrip("0") for digits in _DIGITS.findall(value)}

    number = number.lstrip("0")
    return number in numbers(normalise(text)) and number not in numbers(redact(text))

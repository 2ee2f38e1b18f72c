"""Prices from listing text: ``(min, max)`` where None is unknown and 0 is free.

"Free" → (0, 0); "Pay what you wish" → (0, None); "from $25" / "$25+" → (25, None);
"$10–$25" → (10, 25); "$35 ($30 for members)" → (30, 35); "Free–$20" → (0, 20).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

PriceRange = tuple[Decimal | None, Decimal | None]
UNKNOWN: PriceRange = (None, None)
_ZERO = Decimal("0.00")
_CENT = Decimal("0.01")

_AMOUNT = r"\$\s?(\d{1,5}(?:,\d{3})*(?:\.\d{1,2})?)"
_AMOUNT_RE = re.compile(_AMOUNT)
_RANGE = re.compile(
    rf"{_AMOUNT}\s*(?:-|–|—|to)\s*\$?\s?(\d{{1,5}}(?:,\d{{3}})*(?:\.\d{{1,2}})?)\b(?!\s*%)"
)
_FROM = re.compile(
    rf"\b(?:from|starting (?:at|from)|starts at|as low as|tickets from|prices from)\s*{_AMOUNT}"
    rf"|{_AMOUNT}\s*(?:\+|and up\b|or more\b)"
)
_FREE_TO = re.compile(rf"\bfree\s*(?:-|–|—|to)\s*{_AMOUNT}")
_PWYW = re.compile(
    r"\bpay[\s-]what[\s-]you[\s-](?:wish|can|want)\b|\bsuggested donation\b|\bby donation\b"
    r"|\bpay[\s-]as[\s-]you[\s-]wish\b"
)
# "Free" that is about the price, not "gluten-free" or "feel free".
_FREE = re.compile(
    r"(?<![\w-])free(?![\w-])(?!\s+(?:drinks?|food|snacks?|shuttle|gift|popcorn|parking|wifi))"
    r"|\bno cover\b|\bno charge\b|\bcomplimentary admission\b|\$0(?:\.00)?\b"
)
_FREE_STRICT = re.compile(
    r"^\s*(?:price|cost|admission|tickets?|entry)?\s*:?\s*free\b"
    r"|\bfree (?:admission|entry|event|to attend|with rsvp|and open to (?:the public|all))\b"
    r"|\b(?:admission|entry) is free\b|\bit'?s free\b|\bno cover\b|\bfree of charge\b"
)
# "Free (skate rental from $20)": entry is free, extras cost up to the amount named.
_LEADING_FREE = re.compile(
    r"^\W*(?:(?:price|cost|admission|tickets?|entry)\s*:?\s*)?free\b(?![\w-])"
)
_PRICE_CONTEXT = re.compile(r"\b(?:tickets?|admission|entry|cost|price[sd]?|cover|fee)\b")


def money(value: str) -> Decimal | None:
    """A dollar amount ("1,250.5") as a 2-place Decimal."""
    try:
        return Decimal(value.replace(",", "")).quantize(_CENT)
    except InvalidOperation:
        return None


def parse_price(text: str | None) -> PriceRange:
    """Parse a price field ("Price: from $25", "$10–$25", "Free", "Pay what you wish")."""
    if not text:
        return UNKNOWN
    lowered = " ".join(text.lower().split())
    free_to = _FREE_TO.search(lowered)
    if free_to:
        return _ZERO, money(free_to.group(1))
    if _LEADING_FREE.match(lowered):
        amounts = _amounts(lowered)
        return _ZERO, (max(amounts) if amounts else _ZERO)
    if _PWYW.search(lowered):
        amounts = _amounts(lowered)
        return _ZERO, (max(amounts) if amounts else None)
    ranged = _RANGE.search(lowered)
    if ranged:
        low, high = money(ranged.group(1)), money(ranged.group(2))
        if low is not None and high is not None:
            return (low, high) if low <= high else (high, low)
    starting = _FROM.search(lowered)
    if starting:
        return money(starting.group(1) or starting.group(2)), None
    amounts = _amounts(lowered)
    if amounts:
        return min(amounts), max(amounts)
    if _FREE.search(lowered):
        return _ZERO, _ZERO
    return UNKNOWN


def price_from_description(text: str) -> PriceRange:
    """Look for a price in running text, only in sentences about tickets or admission."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text.lower()):
        if _FREE_STRICT.search(sentence):
            return _ZERO, _ZERO
        if _PRICE_CONTEXT.search(sentence) and ("$" in sentence or _PWYW.search(sentence)):
            found = parse_price(sentence)
            if found != UNKNOWN:
                return found
    return UNKNOWN


def structured_price(
    price: object = None, low: object = None, high: object = None, free: object = None
) -> PriceRange:
    """Prices from schema.org ``offers`` (price, lowPrice, highPrice, isAccessibleForFree)."""
    if free is True or str(free).lower() == "true":
        return _ZERO, _ZERO
    lows = [v for v in (_number(low), _number(price)) if v is not None]
    highs = [v for v in (_number(high), _number(price)) if v is not None]
    if not lows and not highs:
        return UNKNOWN
    minimum = min(lows) if lows else None
    maximum = max(highs) if highs else None
    if _number(low) is not None and _number(high) is None and _number(price) is None:
        maximum = None
    return minimum, maximum


def _number(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().lstrip("$").replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number.quantize(_CENT) if number >= 0 else None


def _amounts(text: str) -> list[Decimal]:
    return [a for a in (money(m) for m in _AMOUNT_RE.findall(text)) if a is not None]


def merge(ranges: list[PriceRange]) -> PriceRange:
    """One range covering several offers (unknown ends stay unknown)."""
    known = [r for r in ranges if r != UNKNOWN]
    if not known:
        return UNKNOWN
    lows = [r[0] for r in known if r[0] is not None]
    minimum = min(lows) if lows else None
    maximum: Decimal | None = None
    if all(r[1] is not None for r in known):
        maximum = max(r[1] for r in known if r[1] is not None)
    return minimum, maximum

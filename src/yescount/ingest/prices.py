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
# Above this a "price" is a typo, a prize or a hostile value, not a ticket (and it
# would overflow the NUMERIC(10, 2) columns): it becomes unknown.
MAX_PRICE = Decimal("10000.00")
_NUMBER = re.compile(
    r"(?:[$€£]|usd|us\$)?\s*([+-]?(?:\d{1,100}(?:\.\d{0,10})?|\.\d{1,10})(?:e[+-]?\d{1,9})?)"
    r"\s*(?:usd|dollars?)?",
    re.IGNORECASE,
)
_NON_FINITE = re.compile(r"[+-]?(?:nan|s?nan\d*|inf(?:inity)?)", re.IGNORECASE)

_AMOUNT = r"\$\s?(\d{1,5}(?:,\d{3})*(?:\.\d{1,2})?)"
_AMOUNT_RE = re.compile(_AMOUNT)
_RANGE = re.compile(
    rf"{_AMOUNT}\s*(?:-|–|—|to)\s*\$?\s?(\d{{1,5}}(?:,\d{{3}})*(?:\.\d{{1,2}})?)\b(?!\s*%)"
)
_FROM = re.compile(
    rf"\b(?:from|start(?:s|ing)? (?:at|from)|as low as|tickets from|prices from)\s*{_AMOUNT}"
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
    # "free to roam / explore / choose" is about freedom, not the price ("free to attend" is).
    r"(?!\s+to\s+(?!attend|enter|join|visit|the public|all|everyone)[a-z])"
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
    """A dollar amount ("1,250.5") as a 2-place Decimal; None above ``MAX_PRICE``."""
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount > MAX_PRICE:
        return None
    return amount.quantize(_CENT)


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
        # Every wording of _FREE_STRICT has "free" or "no cover": a substring test first.
        if ("free" in sentence or "no cover" in sentence) and _FREE_STRICT.search(sentence):
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
    return structured_offer(price, low, high, free)[0]


def structured_offer(
    price: object = None, low: object = None, high: object = None, free: object = None
) -> tuple[PriceRange, tuple[str, ...]]:
    """Like ``structured_price``, plus a reason code for each value that had to be dropped.

    A value that is not a plausible ticket price ("NaN", "Infinity", 1e308, a
    negative amount, $10,000 or more, "call us") becomes unknown; the others stay.
    """
    if free is True or str(free).strip().lower() == "true":
        return (_ZERO, _ZERO), ()
    checked = [checked_amount(v) for v in (price, low, high)]
    reasons = tuple(reason for _value, reason in checked if reason)
    number, low_number, high_number = (value for value, _reason in checked)
    lows = [v for v in (low_number, number) if v is not None]
    highs = [v for v in (high_number, number) if v is not None]
    if not lows and not highs:
        return UNKNOWN, reasons
    minimum = min(lows) if lows else None
    maximum = max(highs) if highs else None
    if low_number is not None and high_number is None and number is None:
        maximum = None
    if minimum is not None and maximum is not None and maximum < minimum:
        return (minimum, None), (*reasons, "price_order")
    return (minimum, maximum), reasons


def checked_amount(value: object) -> tuple[Decimal | None, str | None]:
    """One structured price value as a 2-place Decimal, or None with the reason it is unusable.

    Absent or empty values are simply unknown (no reason). Numbers may come as
    JSON numbers or strings ("25", "25.00", "$1,250", "USD 25"); "Free"/"0" is 0.
    """
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, (int, float, Decimal)):
        return _plausible(Decimal(str(value)) if isinstance(value, float) else Decimal(value))
    text = " ".join(str(value).split())[:100]
    if not text:
        return None, None
    number = _NUMBER.fullmatch(text.replace(",", ""))
    if number:
        try:
            return _plausible(Decimal(number.group(1)))
        except InvalidOperation:
            return None, "price_not_numeric"
    if _NON_FINITE.fullmatch(text):
        return None, "price_not_finite"
    parsed = parse_price(text)
    if parsed[0] is not None:
        return parsed[0], None
    return None, "price_not_numeric"


def _plausible(number: Decimal) -> tuple[Decimal | None, str | None]:
    if not number.is_finite():
        return None, "price_not_finite"
    if number < 0:
        return None, "price_negative"
    if number > MAX_PRICE:
        return None, "price_too_high"
    return number.quantize(_CENT), None


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

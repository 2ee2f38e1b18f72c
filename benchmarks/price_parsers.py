"""Our price parser against ``price-parser`` on real price sentences (accuracy, speed).

The strings are the price sentences of the real Time Out page, labelled with the
(min, max) ticket price a reader would state (``tests/fixtures/prices/``).
``price-parser`` reads one amount per string; it is scored as (amount, amount),
and again with our "free" rule added, to be fair to what it is for. Install it
only to run this comparison (``pip install price-parser==0.5.1``).

    .venv/bin/python benchmarks/price_parsers.py
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from yescount.ingest.prices import PriceRange, parse_price, price_from_description

ROOT = Path(__file__).resolve().parents[1]
STRINGS = ROOT / "tests" / "fixtures" / "prices" / "real_price_strings.json"


def expected(item: dict[str, object]) -> PriceRange:
    low, high = item["expected"]  # type: ignore[misc]
    return (Decimal(low) if low else None, Decimal(high) if high else None)


def ours(text: str) -> PriceRange:
    found = parse_price(text)
    return found if found != (None, None) else price_from_description(text)


def score(name: str, parse: Callable[[str], PriceRange], items: list[dict[str, object]]) -> None:
    started = time.perf_counter()
    rounds = 200
    for _ in range(rounds):
        results = [parse(str(i["text"])) for i in items]
    per_call = (time.perf_counter() - started) / rounds / len(items) * 1e6
    exact = sum(r == expected(i) for r, i in zip(results, items, strict=True))
    lows = sum(r[0] == expected(i)[0] for r, i in zip(results, items, strict=True))
    print(
        f"{name:<28} exact (min,max) {exact}/{len(items)} = {exact / len(items):.2f}   "
        f"min right {lows}/{len(items)}   {per_call:6.1f} µs/string"
    )


def main() -> None:
    items = json.loads(STRINGS.read_text(encoding="utf-8"))["strings"]
    score("yescount.ingest.prices", ours, items)
    try:
        from price_parser import Price
    except ImportError:
        print("price-parser is not installed: pip install price-parser==0.5.1")
        return

    def plain(text: str) -> PriceRange:
        amount = Price.fromstring(text).amount
        return (amount, amount)

    def with_free(text: str) -> PriceRange:
        found = plain(text)
        if found == (None, None) and ours(text) == (Decimal(0), Decimal(0)):
            return (Decimal(0), Decimal(0))
        return found

    score("price-parser", plain, items)
    score("price-parser + our free rule", with_free, items)


if __name__ == "__main__":
    main()

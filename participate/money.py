"""Money as integer minor units (pence). Never floats."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def format_money(pence: int, currency: str = "GBP") -> str:
    """1250 -> '£12.50'; -300 -> '-£3.00'."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(int(pence)), 100)
    symbol = SYMBOLS.get(currency)
    amount = f"{whole:,}.{part:02d}"
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"


def format_amount(pence: int) -> str:
    """1250 -> '12.50': for a form field that takes pounds."""
    whole, part = divmod(int(pence), 100)
    return f"{whole}.{part:02d}"


_AMOUNT = re.compile(r"^\d+(\.\d{1,2})?$")


def parse_money(text: str) -> int | None:
    """'12.50', '£12.5', '1,000' -> pence; None when it isn't an amount of money."""
    cleaned = (text or "").strip().replace(",", "").lstrip("£€$").strip()
    if not _AMOUNT.match(cleaned):
        return None
    try:
        return int((Decimal(cleaned) * 100).to_integral_exact())
    except InvalidOperation:
        return None


def format_whole(amount: int, currency: str = "GBP") -> str:
    """Whole currency units, as grant rounds and ballots use them: 40000 -> '£40,000'."""
    sign = "-" if amount < 0 else ""
    symbol = SYMBOLS.get(currency)
    number = f"{abs(int(amount)):,}"
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"

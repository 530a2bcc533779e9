"""Splitting an over-long input into pieces under a model's token limit.

Owns the rule "never silently truncate": a text whose token count exceeds the limit is cut at
sentence boundaries first, then at clause boundaries, then at whitespace, and only as a last
resort inside a word; consecutive units are packed greedily so pieces stay as long as allowed.
The engine translates each piece and re-joins the translations with a space.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Each level is a pattern for the whitespace at which a text may be cut; the cut keeps the
# punctuation with the unit before it.
_LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<=[.!?…»\"”)])\s+"),  # sentence ends
    re.compile(r"(?<=[,;:])\s+|\s+(?=[—–-]\s)"),  # clauses and dashes
    re.compile(r"\s+"),  # words
)

TokenCounter = Callable[[str], int]


def split_to_limit(text: str, count_tokens: TokenCounter, limit: int) -> list[str]:
    """Cut ``text`` into stripped pieces each counting at most ``limit`` tokens.

    ``count_tokens`` is the engine's source-side count for a piece (special tokens included).
    A text already under the limit comes back as one piece. Joining the pieces with single
    spaces gives the text back with its runs of whitespace collapsed at the cuts only.
    """
    if limit < 1:
        raise ValueError(f"token limit must be positive, got {limit}")
    stripped = text.strip()
    if not stripped:
        return []
    if count_tokens(stripped) <= limit:
        return [stripped]
    return _split(stripped, count_tokens, limit, 0)


def _split(text: str, count_tokens: TokenCounter, limit: int, level: int) -> list[str]:
    if level >= len(_LEVELS):
        return _split_characters(text, count_tokens, limit)
    units = [u for u in _LEVELS[level].split(text) if u]
    if len(units) == 1:
        return _split(text, count_tokens, limit, level + 1)
    pieces: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current} {unit}" if current else unit
        if count_tokens(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if count_tokens(unit) <= limit:
            current = unit
        else:
            pieces.extend(_split(unit, count_tokens, limit, level + 1))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _split_characters(text: str, count_tokens: TokenCounter, limit: int) -> list[str]:
    """Last resort for a single 'word' over the limit: longest prefixes that fit."""
    pieces: list[str] = []
    rest = text
    while rest:
        if count_tokens(rest) <= limit:
            pieces.append(rest)
            break
        low, high = 1, len(rest)  # find the longest prefix that fits (at least 1 char)
        while low < high:
            middle = (low + high + 1) // 2
            if count_tokens(rest[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        pieces.append(rest[:low])
        rest = rest[low:]
    return pieces

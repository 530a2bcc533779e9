"""Checks that numbers, dates, amounts, URLs, e-mail addresses and phone numbers survive.

Owns the comparison: the numbers of the source and the translation are read with
:mod:`transpipe.lang.numbers` (locale-aware digits, scale words, number words) and
:mod:`transpipe.lang.dates` (months near a number count as the month's number, so dates written
either way compare equal), matched one to one by shared value, and what is left over on
either side is a finding. URLs, e-mail addresses, phone numbers and names with digits
("COVID-19") are not read as numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from transpipe.lang.dates import MONTH_RE, month_number
from transpipe.lang.numbers import (
    AMPM_RE,
    CLOCK_RE,
    DATE_RE,
    DECADE_RE,
    NUMBER_RE,
    ROMAN_CENTURY_RE,
    SCALE_FACTORS,
    SCALE_RE,
    read_digits,
    roman_value,
    rounded,
    word_numbers,
)
from transpipe.model import Issue, Severity, Span
from transpipe.quality.checks_config import CheckContext, ChecksConfig
from transpipe.quality.scripts import EMAIL_RE, URL_RE, blank_out

_NAMES_WITH_DIGITS_RE = re.compile(r"\b(?:covid-19|sars-cov-2|ковид-19)\b", re.IGNORECASE)
_PHONE_RE = re.compile(r"\+?\(?\d[\d\s().\-\u00a0]{5,}\d")


@dataclass(frozen=True)
class NumberToken:
    """One number (or month) found in a text, with every value it may stand for."""

    values: frozenset[float]
    start: int
    end: int
    text: str
    month: bool = False


def extract_numbers(text: str, lang: str) -> list[NumberToken]:
    """Numbers and date months in ``text`` (URLs, e-mails and phone numbers excluded)."""
    spans = [(m.start(), m.end()) for m in URL_RE.finditer(text)]
    spans += [(m.start(), m.end()) for m in EMAIL_RE.finditer(text)]
    spans += [(p.start, p.end) for p in extract_phones(text)]
    spans += [(m.start(), m.end()) for m in _NAMES_WITH_DIGITS_RE.finditer(text)]
    clean = blank_out(text, spans)
    tokens: list[NumberToken] = []
    for match in NUMBER_RE.finditer(clean):
        raw = match.group()
        ampm = AMPM_RE.match(clean[match.end() : match.end() + 6])
        if ampm:
            tokens.extend(_clock(raw, match.start(), "p" in ampm.group().lower()))
            continue
        for values, rel_start, rel_end in read_digits(raw):
            start, end = match.start() + rel_start, match.start() + rel_end
            vals = set(values)
            rest = clean[end : end + 16]
            scale = SCALE_RE.match(rest)
            if scale:
                factor = SCALE_FACTORS[scale.lastgroup or "k"]
                vals |= {rounded(v * factor) for v in values}
            if CLOCK_RE.match(rest):
                vals |= {rounded(v - 12) for v in values if 13 <= v <= 23}
            if len(raw) == 2 and DECADE_RE.match(rest):
                vals |= {rounded(1900 + v) for v in values}
            if len(raw) == 5 and raw.startswith(("19", "20")) and rest.startswith("s"):
                vals |= {rounded(v % 100) for v in values}
            tokens.append(NumberToken(frozenset(vals), start, end, clean[start:end]))
    for match in ROMAN_CENTURY_RE.finditer(clean):
        value = float(roman_value(match.group(1)))
        tokens.append(NumberToken(frozenset({value}), match.start(1), match.end(1), match.group(1)))
    digit_starts = sorted(t.start for t in tokens)
    digit_ends = sorted(t.end for t in tokens)
    for match in MONTH_RE.finditer(clean):
        month = month_number(match.group())
        if not month or not _near_digit(match.start(), match.end(), digit_starts, digit_ends):
            continue
        tokens.append(
            NumberToken(frozenset({float(month)}), match.start(), match.end(), match.group(), True)
        )
    return sorted(tokens, key=lambda t: t.start)


def _clock(raw: str, start: int, pm: bool) -> list[NumberToken]:
    """``5.30pm`` / ``5pm``: hours (also as 17) and minutes as separate numbers."""
    out = []
    pos = 0
    for i, part in enumerate(re.split(r"[.:]", raw)):
        at = raw.index(part, pos)
        value = float(part)
        values = {value, value + 12} if i == 0 and pm and value < 12 else {value}
        out.append(NumberToken(frozenset(values), start + at, start + at + len(part), part))
        pos = at + len(part)
    return out


def _near_digit(start: int, end: int, starts: list[int], ends: list[int]) -> bool:
    """A number ends at most 3 characters before ``start`` or begins at most 3 after ``end``
    (``starts``/``ends`` sorted: a binary search, not a scan)."""
    i = bisect_left(ends, start - 3)
    k = bisect_left(starts, end)
    return (i < len(ends) and ends[i] <= start) or (k < len(starts) and starts[k] <= end + 3)


@dataclass(frozen=True)
class Phone:
    digits: str
    start: int
    end: int


def extract_phones(text: str) -> list[Phone]:
    """Phone numbers: 7-15 digits in at least three groups, with ``+``, brackets or hyphens."""
    phones = []
    for match in _PHONE_RE.finditer(text):
        raw = match.group()
        digits = re.sub(r"\D", "", raw)
        groups = re.findall(r"\d+", raw)
        if not 7 <= len(digits) <= 15 or len(groups) < 3:
            continue
        if not (raw.startswith("+") or "(" in raw or "-" in raw):
            continue
        if DATE_RE.match(raw.strip()):
            continue
        phones.append(Phone(digits, match.start(), match.end()))
    return phones


class _FirstUnused:
    """Item positions by value; ``take`` removes the first position holding any given value.

    Linear overall (each position is skipped at most once per value), so matching the numbers
    of two long texts never compares every pair.
    """

    def __init__(self, items: Iterable[Iterable[float]]) -> None:
        self._by_value: dict[float, list[int]] = {}
        self._head: dict[float, int] = {}
        self._taken: set[int] = set()
        for position, values in enumerate(items):
            for value in values:
                self._by_value.setdefault(value, []).append(position)
                self._head.setdefault(value, 0)

    def take(self, values: Iterable[float]) -> int | None:
        best = None
        for value in values:
            positions = self._by_value.get(value)
            if positions is None:
                continue
            k = self._head[value]
            while k < len(positions) and positions[k] in self._taken:
                k += 1
            self._head[value] = k
            if k < len(positions) and (best is None or positions[k] < best):
                best = positions[k]
        if best is not None:
            self._taken.add(best)
        return best


def _match(
    left: list[NumberToken], right: list[NumberToken]
) -> tuple[list[NumberToken], list[NumberToken]]:
    """Greedy one-to-one matching by shared value; returns (unmatched left, unmatched right)."""
    partners = _FirstUnused(t.values for t in right)
    used: set[int] = set()
    matched_left = set()
    # match tokens with a single reading first, so ambiguous ones do not steal partners
    for i in sorted(range(len(left)), key=lambda i: len(left[i].values)):
        j = partners.take(left[i].values)
        if j is not None:
            used.add(j)
            matched_left.add(i)
    missing = [t for i, t in enumerate(left) if i not in matched_left]
    extra = [t for j, t in enumerate(right) if j not in used]
    return missing, extra


def _absorb_words(tokens: list[NumberToken], text: str, lang: str) -> list[NumberToken]:
    """Drop tokens whose value is spelled out as a word in ``text``."""
    if not tokens:
        return tokens
    available = _FirstUnused([rounded(w[0])] for w in word_numbers(text, lang))
    return [token for token in tokens if available.take(token.values) is None]


def check_numbers(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    src_lang, tgt_lang = ctx.pair.source, ctx.pair.target
    source = extract_numbers(ctx.source, src_lang)
    target = extract_numbers(ctx.target, tgt_lang)
    if not source and not target:
        return []
    missing, extra = _match(source, target)
    missing = _absorb_words([t for t in missing if not t.month], ctx.target, tgt_lang) + [
        t for t in missing if t.month
    ]
    extra = _absorb_words([t for t in extra if not t.month], ctx.source, src_lang) + [
        t for t in extra if t.month
    ]
    issues = []
    for token in sorted(missing, key=lambda t: t.start):
        what = "month" if token.month else "number"
        severity = config.numbers_month_severity if token.month else Severity.MAJOR
        issues.append(
            Issue(
                "numbers",
                severity,
                f"{what} {token.text!r} of the source is missing in the translation",
                Span(token.start, token.end),
                side="source",
            )
        )
    for token in sorted(extra, key=lambda t: t.start):
        what = "month" if token.month else "number"
        issues.append(
            Issue(
                "numbers",
                Severity.MINOR,
                f"{what} {token.text!r} in the translation is not in the source",
                Span(token.start, token.end),
            )
        )
    return issues


def _norm_url(url: str) -> str:
    url = url.lower().rstrip("/")
    return re.sub(r"^https?://(www\.)?|^www\.", "", url)


def check_urls(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    target = {_norm_url(m.group()) for m in URL_RE.finditer(ctx.target)}
    return [
        Issue(
            "urls",
            Severity.MAJOR,
            f"URL {m.group()!r} is missing or changed in the translation",
            Span(m.start(), m.end()),
            side="source",
        )
        for m in URL_RE.finditer(ctx.source)
        if _norm_url(m.group()) not in target
    ]


def check_emails(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    target = {m.group().lower() for m in EMAIL_RE.finditer(ctx.target)}
    return [
        Issue(
            "emails",
            Severity.MAJOR,
            f"e-mail address {m.group()!r} is missing or changed in the translation",
            Span(m.start(), m.end()),
            side="source",
        )
        for m in EMAIL_RE.finditer(ctx.source)
        if m.group().lower() not in target
    ]


def check_phones(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    target_digits = re.sub(r"\D", "", ctx.target)
    return [
        Issue(
            "phones",
            Severity.MAJOR,
            f"phone number {ctx.source[p.start : p.end]!r} is missing or changed",
            Span(p.start, p.end),
            side="source",
        )
        for p in extract_phones(ctx.source)
        if p.digits not in target_digits and p.digits.lstrip("78") not in target_digits
    ]

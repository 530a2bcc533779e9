"""Checks that numbers, dates, amounts, URLs, e-mail addresses and phone numbers survive.

Owns locale-aware number reading: Russian ``1,5`` and ``1 000`` (space, no-break or thin space
groups) and English ``1.5`` and ``1,000`` are the same values; ``10.03.2023`` is the numbers
10, 3 and 2023, and ``10 марта`` / ``March 10`` carry the month as a number, so dates written
either way compare equal. Scale words (``млн``, ``million``, ``bn``...) add the scaled value as
an alternative; number words (``три``, ``three``, ``первый``) stand in for small numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from transpipe.model import Issue, Severity, Span
from transpipe.quality.checks_config import CheckContext, ChecksConfig
from transpipe.quality.scripts import EMAIL_RE, URL_RE, blank_out

_NUMBER_RE = re.compile(r"\d+(?:(?:[.,]|[ \u00a0\u202f\u2009](?=\d{3}(?!\w)))\d+)*")
_DATE_RE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")
_SCALE_RE = re.compile(
    r"^[\s\u00a0]*(?:(?P<k>тыс\w*|thousand\w*|k\b)|(?P<m>млн\w*|миллион\w*|million\w*|mln|m\b)"
    r"|(?P<b>млрд\w*|миллиард\w*|billion\w*|bn\b)|(?P<t>трлн\w*|триллион\w*|trillion\w*|tn\b))",
    re.IGNORECASE,
)
_DECADE_RE = re.compile(r"^(?:-?х|-?e|-?ые|-?ых|-?ых|'?s)\b", re.IGNORECASE)
_CLOCK_RE = re.compile(r"^(?::\d\d|\s*(?:час|ч\.))")
_AMPM_RE = re.compile(r"^\s?(?:a\.?m\b\.?|p\.?m\b\.?)", re.IGNORECASE)
_NAMES_WITH_DIGITS_RE = re.compile(r"\b(?:covid-19|sars-cov-2|ковид-19)\b", re.IGNORECASE)
_PHONE_RE = re.compile(r"\+?\(?\d[\d\s().\-\u00a0]{5,}\d")
_ROMAN_CENTURY_RE = re.compile(r"\b([IVXL]{1,6})\s+(?:век\w*|столети\w*|century|centuries)")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}

_RU_MONTHS = (
    r"январ[ьяюе]|феврал[ьяюе]|март[ауе]?|апрел[ьяюе]|ма[йяюе]|июн[ьяюе]|июл[ьяюе]"
    r"|август[ауе]?|сентябр[ьяюе]|октябр[ьяюе]|ноябр[ьяюе]|декабр[ьяюе]"
)
_EN_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_MONTH_RE = re.compile(rf"\b(?:{_RU_MONTHS}|{_EN_MONTHS})\b\.?", re.IGNORECASE)
_MONTH_NUMBER = {
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_EN_WORDS: dict[str, float] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 1e6,
    "billion": 1e9,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "twice": 2,
    "both": 2,
    "half": 0.5,
    "dozen": 12,
    "single": 1,
    "once": 1,
    "pair": 2,
    "couple": 2,
    "hundreds": 100,
    "thousands": 1000,
    "millions": 1e6,
    "billions": 1e9,
    "dozens": 12,
    "quarter": 4,
    "triple": 3,
    "double": 2,
}
_RU_LEMMAS: dict[str, float] = {
    "один": 1,
    "два": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
    "сто": 100,
    "тысяча": 1000,
    "миллион": 1e6,
    "миллиард": 1e9,
    "первый": 1,
    "второй": 2,
    "третий": 3,
    "четвёртый": 4,
    "четвертый": 4,
    "пятый": 5,
    "шестой": 6,
    "седьмой": 7,
    "восьмой": 8,
    "девятый": 9,
    "десятый": 10,
    "оба": 2,
    "двое": 2,
    "трое": 3,
    "четверо": 4,
    "пятеро": 5,
    "шестеро": 6,
    "полтора": 1.5,
    "половина": 0.5,
    "дважды": 2,
    "трижды": 3,
    "пара": 2,
    "десяток": 10,
    "сотня": 100,
    "дюжина": 12,
    "однажды": 1,
    "единственный": 1,
    "двукратный": 2,
    "треть": 3,
    "четверть": 4,
    "двойной": 2,
    "тройной": 3,
    "полгода": 0.5,
    "полчаса": 0.5,
}


@dataclass(frozen=True)
class NumberToken:
    """One number (or month) found in a text, with every value it may stand for."""

    values: frozenset[float]
    start: int
    end: int
    text: str
    month: bool = False


def _val(x: float) -> float:
    return round(x, 6)


def _parse_plain(raw: str, lang: str) -> list[tuple[frozenset[float], int, int]]:
    """Values for one digit run; may split it into several numbers (offsets relative)."""
    date = _DATE_RE.match(raw)
    if date:
        out: list[tuple[frozenset[float], int, int]] = []
        pos = 0
        for group in date.groups():
            start = raw.index(group, pos)
            value = float(group)
            alts = {value}
            if len(group) == 2 and group is date.group(3):
                alts |= {2000 + value, 1900 + value}
            out.append((frozenset(_val(v) for v in alts), start, start + len(group)))
            pos = start + len(group)
        return out
    spaced = re.split(r"[ \u00a0\u202f\u2009]", raw)
    if len(spaced) > 1:
        if len(spaced[0].replace(",", "").replace(".", "")) <= 3:
            joined = "".join(spaced)
            return [(_values_of(joined, lang), 0, len(raw))]
        out = []
        pos = 0
        for part in spaced:
            start = raw.index(part, pos)
            out.append((_values_of(part, lang), start, start + len(part)))
            pos = start + len(part)
        return out
    return [(_values_of(raw, lang), 0, len(raw))]


def _values_of(raw: str, lang: str) -> frozenset[float]:
    """All plausible values of one number string with ``.``/``,`` separators."""
    seps = [c for c in raw if c in ".,"]
    if not seps:
        return frozenset({_val(float(raw))})
    values: set[float] = set()
    groups = re.split(r"[.,]", raw)
    if len(set(seps)) == 1 and all(len(g) == 3 for g in groups[1:]):
        values.add(float("".join(groups)))  # thousands groups: 1,000 / 1.000.000
    if len(seps) == 1:
        values.add(float(groups[0] + "." + groups[1]))  # decimal: 1,5 / 1.5
    elif len(set(seps)) == 2:
        decimal = raw[-1 - len(groups[-1])]
        int_part = "".join(groups[:-1])
        values.add(float(int_part + "." + groups[-1]) if decimal in ".," else float(int_part))
    if not values:
        values = {float(g) for g in groups if g}
    return frozenset(_val(v) for v in values)


def _roman(text: str) -> int:
    total = 0
    prev = 0
    for ch in reversed(text):
        value = _ROMAN[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def extract_numbers(text: str, lang: str) -> list[NumberToken]:
    """Numbers and date months in ``text`` (URLs, e-mails and phone numbers excluded)."""
    spans = [(m.start(), m.end()) for m in URL_RE.finditer(text)]
    spans += [(m.start(), m.end()) for m in EMAIL_RE.finditer(text)]
    spans += [(p.start, p.end) for p in extract_phones(text)]
    spans += [(m.start(), m.end()) for m in _NAMES_WITH_DIGITS_RE.finditer(text)]
    clean = blank_out(text, spans)
    tokens: list[NumberToken] = []
    for match in _NUMBER_RE.finditer(clean):
        raw = match.group()
        ampm = _AMPM_RE.match(clean[match.end() : match.end() + 6])
        if ampm:
            tokens.extend(_clock(raw, match.start(), "p" in ampm.group().lower()))
            continue
        for values, rel_start, rel_end in _parse_plain(raw, lang):
            start, end = match.start() + rel_start, match.start() + rel_end
            vals = set(values)
            rest = clean[end : end + 16]
            scale = _SCALE_RE.match(rest)
            if scale:
                factor = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}[scale.lastgroup or "k"]
                vals |= {_val(v * factor) for v in values}
            if _CLOCK_RE.match(rest):
                vals |= {_val(v - 12) for v in values if 13 <= v <= 23}
            if len(raw) == 2 and _DECADE_RE.match(rest):
                vals |= {_val(1900 + v) for v in values}
            if len(raw) == 5 and raw.startswith(("19", "20")) and rest.startswith("s"):
                vals |= {_val(v % 100) for v in values}
            tokens.append(NumberToken(frozenset(vals), start, end, clean[start:end]))
    for match in _ROMAN_CENTURY_RE.finditer(clean):
        value = float(_roman(match.group(1)))
        tokens.append(NumberToken(frozenset({value}), match.start(1), match.end(1), match.group(1)))
    digit_starts = sorted(t.start for t in tokens)
    digit_ends = sorted(t.end for t in tokens)
    for match in _MONTH_RE.finditer(clean):
        word = match.group().rstrip(".").lower()
        if word == "may" and match.group()[0] != "M":
            continue
        if not _near_digit(match.start(), match.end(), digit_starts, digit_ends):
            continue
        month = _MONTH_NUMBER.get(word[:3]) or _MONTH_NUMBER.get(word[:2], 0)
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
        if _DATE_RE.match(raw.strip()):
            continue
        phones.append(Phone(digits, match.start(), match.end()))
    return phones


@lru_cache(maxsize=1)
def _morph() -> object:
    from transpipe.terms.morphology import analyzer

    return analyzer()  # the one shared pymorphy3 analyzer of the process


# genitive stems that start compounds: "восемнадцатилетний", "двухэтажный", "десятибалльной"
_RU_PREFIXES = (
    ("одиннадцати", 11),
    ("двенадцати", 12),
    ("тринадцати", 13),
    ("четырнадцати", 14),
    ("пятнадцати", 15),
    ("шестнадцати", 16),
    ("семнадцати", 17),
    ("восемнадцати", 18),
    ("девятнадцати", 19),
    ("двадцати", 20),
    ("тридцати", 30),
    ("сорока", 40),
    ("пятидесяти", 50),
    ("шестидесяти", 60),
    ("семидесяти", 70),
    ("восьмидесяти", 80),
    ("девяносто", 90),
    ("двухсот", 200),
    ("трехсот", 300),
    ("трёхсот", 300),
    ("стo", 100),
    ("одно", 1),
    ("двух", 2),
    ("дву", 2),
    ("трех", 3),
    ("трёх", 3),
    ("четырех", 4),
    ("четырёх", 4),
    ("пяти", 5),
    ("шести", 6),
    ("семи", 7),
    ("восьми", 8),
    ("девяти", 9),
    ("десяти", 10),
    ("сто", 100),
    ("тысяче", 1000),
)


@lru_cache(maxsize=20000)
def _ru_word_value(word: str) -> float | None:
    morph = _morph()
    for parse in morph.parse(word)[:3]:  # type: ignore[attr-defined]
        value = _RU_LEMMAS.get(parse.normal_form)
        if value is not None:
            return value
    for prefix, number in _RU_PREFIXES:
        if word.startswith(prefix) and len(word) >= len(prefix) + 4:
            return float(number)
    return None


def word_numbers(text: str, lang: str) -> list[tuple[float, int, int]]:
    """Spelled-out numbers (``three``, ``трёх``, ``первый``) with spans."""
    found = []
    for match in re.finditer(r"[^\W\d_]+", text):
        word = match.group().lower()
        value = _EN_WORDS.get(word) if lang == "en" else _ru_word_value(word)
        if value is not None:
            found.append((value, match.start(), match.end()))
    return found


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
    available = _FirstUnused([_val(w[0])] for w in word_numbers(text, lang))
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

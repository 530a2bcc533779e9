"""Reading numbers in Russian and English text: digits, number words, scales, Roman numerals.

Owns locale-aware number reading: Russian ``1,5`` and ``1 000`` (space, no-break or thin
space groups) and English ``1.5`` and ``1,000`` are the same values, so every plausible value
of a digit string is returned; ``10.03.2023`` is the numbers 10, 3 and 2023. Scale words
(``млн``, ``million``, ``bn``...), decades (``90-х``, ``1990s``), clock times (``15:00``,
``5pm``), Roman centuries (``XXI век``) and number words (``три``, ``three``, ``первый``,
``восемнадцатилетний``) are recognised by the tables here.
"""

from __future__ import annotations

import re

from transpipe.lang import morphology
from transpipe.lang.codes import primary

NUMBER_RE = re.compile(r"\d+(?:(?:[.,]|[ \u00a0\u202f\u2009](?=\d{3}(?!\w)))\d+)*")
DATE_RE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")
SCALE_RE = re.compile(
    r"^[\s\u00a0]*(?:(?P<k>тыс\w*|thousand\w*|k\b)|(?P<m>млн\w*|миллион\w*|million\w*|mln|m\b)"
    r"|(?P<b>млрд\w*|миллиард\w*|billion\w*|bn\b)|(?P<t>трлн\w*|триллион\w*|trillion\w*|tn\b))",
    re.IGNORECASE,
)
SCALE_FACTORS = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
DECADE_RE = re.compile(r"^(?:-?х|-?e|-?ые|-?ых|'?s)\b", re.IGNORECASE)
CLOCK_RE = re.compile(r"^(?::\d\d|\s*(?:час|ч\.))")
AMPM_RE = re.compile(r"^\s?(?:a\.?m\b\.?|p\.?m\b\.?)", re.IGNORECASE)
ROMAN_CENTURY_RE = re.compile(r"\b([IVXL]{1,6})\s+(?:век\w*|столети\w*|century|centuries)")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_GROUP_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")

EN_NUMBER_WORDS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1e6,
    "billion": 1e9, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "twice": 2, "both": 2, "half": 0.5,
    "dozen": 12, "single": 1, "once": 1, "pair": 2, "couple": 2, "hundreds": 100,
    "thousands": 1000, "millions": 1e6, "billions": 1e9, "dozens": 12, "quarter": 4,
    "triple": 3, "double": 2,
}  # fmt: skip
RU_NUMBER_LEMMAS: dict[str, float] = {
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12,
    "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16,
    "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20,
    "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70,
    "восемьдесят": 80, "девяносто": 90, "сто": 100, "тысяча": 1000, "миллион": 1e6,
    "миллиард": 1e9, "первый": 1, "второй": 2, "третий": 3, "четвертый": 4, "пятый": 5,
    "шестой": 6, "седьмой": 7, "восьмой": 8, "девятый": 9, "десятый": 10, "оба": 2,
    "двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6, "полтора": 1.5,
    "половина": 0.5, "дважды": 2, "трижды": 3, "пара": 2, "десяток": 10, "сотня": 100,
    "дюжина": 12, "однажды": 1, "единственный": 1, "двукратный": 2, "треть": 3,
    "четверть": 4, "двойной": 2, "тройной": 3, "полгода": 0.5, "полчаса": 0.5,
}  # fmt: skip
# Genitive stems that start compounds: "восемнадцатилетний", "двухэтажный", "десятибалльной".
RU_NUMBER_PREFIXES: tuple[tuple[str, float], ...] = (
    ("одиннадцати", 11), ("двенадцати", 12), ("тринадцати", 13), ("четырнадцати", 14),
    ("пятнадцати", 15), ("шестнадцати", 16), ("семнадцати", 17), ("восемнадцати", 18),
    ("девятнадцати", 19), ("двадцати", 20), ("тридцати", 30), ("сорока", 40),
    ("пятидесяти", 50), ("шестидесяти", 60), ("семидесяти", 70), ("восьмидесяти", 80),
    ("девяносто", 90), ("двухсот", 200), ("трехсот", 300), ("трёхсот", 300), ("одно", 1),
    ("двух", 2), ("дву", 2), ("трех", 3), ("трёх", 3), ("четырех", 4), ("четырёх", 4),
    ("пяти", 5), ("шести", 6), ("семи", 7), ("восьми", 8), ("девяти", 9), ("десяти", 10),
    ("сто", 100), ("тысяче", 1000),
)  # fmt: skip


def rounded(value: float) -> float:
    """A value as numbers are compared (six decimals)."""
    return round(value, 6)


def roman_value(text: str) -> int:
    """The value of a Roman numeral in capitals ("XXI" -> 21)."""
    total = 0
    prev = 0
    for ch in reversed(text):
        value = _ROMAN[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def number_values(raw: str) -> frozenset[float]:
    """All plausible values of one number string with ``.``/``,`` separators: "1,000" is a
    thousand (English groups) or one (Russian decimals), "1,5" is one and a half."""
    seps = [c for c in raw if c in ".,"]
    if not seps:
        return frozenset({rounded(float(raw))})
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
    return frozenset(rounded(v) for v in values)


def read_digits(raw: str) -> list[tuple[frozenset[float], int, int]]:
    """Values of one digit run found by :data:`NUMBER_RE`, split into the numbers it holds
    (a date "10.03.2023" is three; "2 2020" two), with offsets relative to ``raw``."""
    date = DATE_RE.match(raw)
    if date:
        out: list[tuple[frozenset[float], int, int]] = []
        pos = 0
        for group in date.groups():
            start = raw.index(group, pos)
            value = float(group)
            alternatives = {value}
            if len(group) == 2 and group is date.group(3):
                alternatives |= {2000 + value, 1900 + value}
            out.append((frozenset(rounded(v) for v in alternatives), start, start + len(group)))
            pos = start + len(group)
        return out
    spaced = _GROUP_SPACES.split(raw)
    if len(spaced) > 1:
        if len(spaced[0].replace(",", "").replace(".", "")) <= 3:
            return [(number_values("".join(spaced)), 0, len(raw))]
        out = []
        pos = 0
        for part in spaced:
            start = raw.index(part, pos)
            out.append((number_values(part), start, start + len(part)))
            pos = start + len(part)
        return out
    return [(number_values(raw), 0, len(raw))]


def word_value(word: str, lang: str) -> float | None:
    """The number a word spells (lower case): "three", "трёх", "первый", "восемнадцатилетний"."""
    if primary(lang) != "ru":
        return EN_NUMBER_WORDS.get(word)
    for reading in morphology.parse(word)[:3]:
        value = RU_NUMBER_LEMMAS.get(reading.lemma)
        if value is not None:
            return value
    for prefix, number in RU_NUMBER_PREFIXES:
        if word.startswith(prefix) and len(word) >= len(prefix) + 4:
            return float(number)
    return None


def word_numbers(text: str, lang: str) -> list[tuple[float, int, int]]:
    """Spelled-out numbers (``three``, ``трёх``, ``первый``) in ``text`` with their spans."""
    found = []
    for match in re.finditer(r"[^\W\d_]+", text):
        value = word_value(match.group().lower(), lang)
        if value is not None:
            found.append((value, match.start(), match.end()))
    return found

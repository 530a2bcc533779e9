"""Noun-phrase candidates of one sentence, as lemma keys: the monolingual half of term mining.

Owns what counts as a term candidate and the lemma key terms are compared by:

- ``term_key(text, lang)``: the words of a term (``TermMatcher`` tokens) reduced to lemmas;
  Russian through the project's morphology module (``Совета безопасности`` ->
  ``("совет", "безопасность")``), English lower case and singular (``Member States`` ->
  ``("member", "state")``). Glossary checks, mining and its benchmark all compare by it.
- ``noun_phrases(text, lang)``: candidate spans. Russian: up to two adjectives or
  participles agreeing in case with a noun, optionally followed by genitive groups
  (adjectives + noun: "вспышка коронавируса", "Совет министров иностранных дел"), four words
  at most, or a single
  adjective ("бессимптомный"), or one to three personal-name words ("Садыр Жапаров"; names
  never join a noun phrase); Latin-script words and acronyms count as nouns ("COVID-19").
  English, which has no tagger here: runs of one to four content words (no stop word, number
  or adverb at either end, no function word inside but "of" / "of the": "Council of Foreign
  Ministers"). Spans never cross punctuation.

Russian lemmas and forms come from ``transpipe.lang`` (morphology, names) through
``_readings``, ``_lemma``, ``_nominative`` and ``is_personal_name`` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transpipe.lang import morphology
from transpipe.lang.codes import matches as lang_matches
from transpipe.lang.english import strip_possessive
from transpipe.lang.english import variants as english_variants
from transpipe.lang.names import is_name_word
from transpipe.terms.matcher import tokenize

WORD_RE = re.compile(r"[^\W_]+(?:[-\u2010\u2011'’][^\W_]+)*")
JOINING_GAP = re.compile(r"^[ \u00a0]+$")
MAX_WORDS = 4
_EN_STOPWORDS = (
    "a an the of in on at to for from by with and or but as is are was were be been being "
    "this that these those it its they them their he she his her we our you your i me my "
    "not no nor has have had do does did will would can could should may might must shall "
    "also which who whom whose what when where why how than then there here so if about "
    "into over after before between under above below more most less least other others "
    "such only any all some each both very said says say one two three four five six seven "
    "eight nine ten first second new up out many much few several well just even still yet "
    "like however because while during through against without within among per via upon "
    "around across since until whether although though therefore thus already often "
    "usually using used use based including include includes include known due according "
    "get got make made take taken give given see seen found find us them themselves "
    "itself own same another every either neither else etc mr mrs ms dr"
)
_RU_STOPWORDS = (
    "и в во на с со к ко о об обо от до по за из у не ни но а же ли бы что как это этот эта "
    "эти этого этой этих тот та те то он она оно они его ее её их им ими мы вы я ты для при "
    "без над под между через также так уже еще ещё или был была были было быть будет есть "
    "который которая которые которое которых которым свой своей своих все всех весь вся "
    "всё может могут более менее чем где когда если только даже после перед около другой "
    "другие других один одна одно одного одной такой такие такого такая сам сама само "
    "самый самая самое самые каждый любой многие многих несколько ряд раз"
)
STOPWORDS = {"en": frozenset(_EN_STOPWORDS.split()), "ru": frozenset(_RU_STOPWORDS.split())}
NOUN_POS = frozenset({"NOUN"})
ADJECTIVE_POS = frozenset({"ADJF", "PRTF"})


@dataclass(frozen=True)
class Phrase:
    """One candidate occurrence: its lemma key, surface text and character span."""

    key: tuple[str, ...]
    surface: str
    start: int
    end: int
    nominative: bool = True  # Russian: the head is in the nominative (a dictionary form)
    head: int = 0  # Russian: the words that inflect with the head noun (adjectives + noun)


def _readings(word: str) -> tuple[morphology.Analysis, ...]:
    return morphology.parse(word)


SURNAME_RE = re.compile(r"^(.{2,}(?:ов|ев|ёв|ин|ын))(?:а|у|ым|ом|е|ой|ою|ых|ыми)?$")


def _lemma(word: str) -> str:
    """Lemma of a Russian word; a surname in -ов/-ев/-ин keeps its stem in every case
    ("Тасмагамбетова" -> "тасмагамбетов"), where the dictionary's guesses disagree."""
    if word[:1].isupper() and word[1:].islower():
        surname = SURNAME_RE.match(morphology.normalize(word))
        if surname and is_personal_name(word):
            return surname.group(1)
    readings = _readings(word)
    return readings[0].lemma if readings else morphology.normalize(word)


def is_personal_name(word: str) -> bool:
    """A Russian first name, surname or patronymic (or a capitalised unknown word)."""
    return is_name_word(word)


def nominative_form(surface: str, head: int) -> str:
    """``surface`` with its first ``head`` words put in the nominative, number kept
    ("Совета коллективной безопасности" -> "Совет коллективной безопасности")."""
    words = _words(surface)
    noun = _readings(words[head - 1][0]) if 0 < head <= len(words) else ()
    agree = {noun[0].gender, noun[0].number} - {""} if noun else set()
    parts: list[str] = []
    position = 0
    for index, (word, start, end) in enumerate(words):
        parts.append(surface[position:start])
        form = None
        if index < head and not word.isascii():
            form = _nominative(word, agree if index < head - 1 else set())
        parts.append(form or word)
        position = end
    parts.append(surface[position:])
    return "".join(parts)


def _nominative(word: str, agree: set[str]) -> str | None:
    """``word`` in the nominative; an adjective takes the reading that agrees with its noun's
    gender and number (``agree``), so "международному терроризму" -> "международный"."""
    morph = morphology.analyzer()
    readings = morph.parse(word)
    chosen = next((r for r in readings if agree and agree <= r.grammemes), None)
    reading = chosen or (readings[0] if readings else None)
    if reading is None:
        return None
    number = {"plur"} if "plur" in reading.grammemes else set()
    form = morph.inflect(reading, {"nomn"} | number)
    if form is None:
        return None
    return form.word[:1].upper() + form.word[1:] if word[:1].isupper() else form.word


def english_lemma(word: str) -> str:
    """Lower-case singular of an English word; acronyms ("SARS", "NGOs") only lose a plural s."""
    if word.isupper() or (word[:-1].isupper() and word.endswith("s") and len(word) > 2):
        return (word[:-1] if word.endswith("s") and not word.isupper() else word).lower()
    return min(english_variants(strip_possessive(word)), key=lambda w: (len(w), w))


def term_key(text: str, lang: str) -> tuple[str, ...]:
    """Lemma key of a term or phrase (see the module docstring)."""
    words = [t.text for t in tokenize(text)]
    if lang_matches(lang, "ru"):
        return tuple(_lemma(w) if not w.isascii() else w.lower() for w in words)
    return tuple(english_lemma(w) for w in words)


ANY_CASE = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct"})


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int
    kind: str  # "noun", "adj", "other", "stop"
    cases: frozenset[str] = ANY_CASE  # cases of the readings with the best reading's lemma


def _russian_word(text: str, start: int, end: int) -> _Word:
    if text.lower() in STOPWORDS["ru"] or text.isdigit():
        return _Word(text, start, end, "stop")
    if not re.search(r"[\u0400-\u04ff]", text):
        return _Word(text, start, end, "noun" if len(text) > 1 else "other")
    readings = _readings(text)
    if not readings:
        return _Word(text, start, end, "other")
    if text[1:].islower() and is_personal_name(text):
        cases = frozenset(a.case for a in readings if a.case)
        return _Word(text, start, end, "name", cases or ANY_CASE)
    best = readings[0]
    cases = frozenset(
        a.case for a in readings if a.lemma == best.lemma and a.pos == best.pos and a.case
    )
    if best.pos in NOUN_POS:
        return _Word(text, start, end, "noun", cases or ANY_CASE)
    if best.pos in ADJECTIVE_POS:
        return _Word(text, start, end, "adj", cases or ANY_CASE)
    return _Word(text, start, end, "other")


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def _joined(text: str, words: list[_Word], i: int, j: int) -> bool:
    """True when words i..j are separated only by spaces."""
    return all(JOINING_GAP.match(text[words[k].end : words[k + 1].start]) for k in range(i, j))


def _russian_phrases(text: str) -> list[Phrase]:
    words = [_russian_word(*w) for w in _words(text)]
    spans: list[tuple[int, int, bool]] = []
    heads: dict[tuple[int, int], int] = {}
    count = len(words)
    for i in range(count):
        if words[i].kind == "name" and (i == 0 or words[i - 1].kind != "name"):
            j = i  # a personal name: one to three name words ("Садыр Жапаров")
            while j < count and j - i < 3 and words[j].kind == "name":
                spans.append((i, j, "nomn" in words[j].cases))
                j += 1
            continue
        if words[i].kind == "adj" and (i + 1 >= count or words[i + 1].kind != "noun"):
            spans.append((i, i, "nomn" in words[i].cases))
        # head: adjectives agreeing in case with a noun
        j = i
        while j < count and j - i < 2 and words[j].kind == "adj":
            j += 1
        if j >= count or words[j].kind != "noun":
            continue
        agreed = words[j].cases
        for k in range(i, j):
            agreed = agreed & words[k].cases
        if not agreed:
            continue
        spans.append((i, j, "nomn" in agreed))
        heads[(i, j)] = j - i + 1
        # genitive groups after the head: adjectives + noun in the genitive
        end = j
        while True:
            k = end + 1
            while (
                k < count and k - end <= 2 and words[k].kind == "adj" and "gent" in words[k].cases
            ):
                k += 1
            if not (k < count and words[k].kind == "noun" and "gent" in words[k].cases):
                break
            if k - i >= MAX_WORDS:
                break
            spans.append((i, k, "nomn" in agreed))
            heads[(i, k)] = j - i + 1
            end = k
    return [
        Phrase(
            term_key(text[words[i].start : words[j].end], "ru"),
            text[words[i].start : words[j].end],
            words[i].start,
            words[j].end,
            nominative,
            heads.get((i, j), 1),
        )
        for i, j, nominative in spans
        if _joined(text, words, i, j)
    ]


def _english_phrases(text: str) -> list[Phrase]:
    stop = STOPWORDS["en"]
    words = _words(text)
    content = [
        not (w.lower() in stop or w.isdigit() or (w.lower().endswith("ly") and len(w) > 4))
        and len(w) > 1
        for w, _, _ in words
    ]
    lowered = [w.lower() for w, _, _ in words]
    phrases: list[Phrase] = []
    for i in range(len(words)):
        if not content[i]:
            continue
        contents = 0
        j = i
        while j < len(words) and contents < MAX_WORDS:
            if j > i and not JOINING_GAP.match(text[words[j - 1][2] : words[j][1]]):
                break
            if not content[j]:
                # "of" / "of the" inside a phrase: "Council of Foreign Ministers"
                skip = 2 if lowered[j : j + 2] == ["of", "the"] else 1
                if lowered[j] != "of" or contents == 0 or j + skip >= len(words):
                    break
                if not content[j + skip]:
                    break
                j += skip
                continue
            contents += 1
            surface = text[words[i][1] : words[j][2]]
            phrases.append(Phrase(term_key(surface, "en"), surface, words[i][1], words[j][2]))
            j += 1
    return phrases


def is_dictionary_form(surface: str, key: tuple[str, ...]) -> bool:
    """True when every word of ``surface`` is written as its lemma in ``key``."""
    return tuple(morphology.normalize(t.text) for t in tokenize(surface)) == key


def content_words(key: tuple[str, ...], lang: str) -> int:
    """Words of a lemma key that are not stop words ("president of the republic": 2)."""
    stop = STOPWORDS["ru" if lang_matches(lang, "ru") else "en"]
    return sum(word not in stop for word in key)


def noun_phrases(text: str, lang: str) -> list[Phrase]:
    """Candidate phrases of one sentence (see the module docstring)."""
    if lang_matches(lang, "ru"):
        return [p for p in _russian_phrases(text) if p.key]
    return [p for p in _english_phrases(text) if p.key]

"""Finding glossary terms in text: lemma-aware for Russian, variant-aware for English.

Owns ``TermMatcher``. Rules, per term compiled once:

- Text is split into word tokens (letters/digits, with inner apostrophes: ``Council's``); a
  dotted acronym is one token without its dots ("U.N." = "UN", "И.Н." = "ИН"), in glossary
  terms and text alike. Tokens of a multiword match may be separated only by spaces or
  hyphens, so ``Secretary-General`` = ``Secretary General`` and no term spans punctuation;
  where the term has a hyphen, a spaced dash also joins ("государств – членов").
- Russian: the leading adjective(s) + noun of a term (its nominal head, "Генеральный
  секретарь", "миротворческие силы") match any case and number by lemma, and must agree with
  each other in case and number in the text; the words after the head noun keep their form
  ("Совет коллективной безопасности" -> "Советом коллективной безопасности", never "Совет
  Безопасности ООН"). Hyphenated noun pairs inflect together ("государства-члены"); in a
  hyphenated adjective only the last part inflects ("военно-политической"). A word that reads
  as an adjective or a noun ("рабочий") is an adjective before a noun it agrees with
  ("рабочий визит" -> "рабочим визитом").
- English: case-insensitive; every word may be singular or plural (regular and common
  irregular plurals); a possessive ``'s``/``’s`` is ignored; ``peace-keeping`` also matches
  ``peacekeeping`` and the other way round.
- Acronyms (all capitals, up to 4 letters, or any Cyrillic all-capitals word) match only in
  capitals ("ОДКБ", "WHO" - not "who"); Russian ones may carry a case ending ("МИДа").
  ``Term.case_sensitive`` makes every word of the term keep its letter case.
- Homonyms: a single-word term matches only where its lemma is the word's likely reading
  ("стали" is "стать", not "сталь") with the term's part of speech; a capitalised single-word
  term ("Совет") needs a capital in the text, so "совет" (advice) is not a match.
- Persons: the words of a personal name match in every correct form of the name, by the
  name rules of :mod:`transpipe.lang.names` (roles, gender: "Имангали Тасмагамбетова", never
  the female "Тасмагамбетовой" of a man's name). When a concept's Russian term is a
  personal name of two or more words ("Имангали Тасмагамбетов", "Касым-Жомарт Токаев"), the
  last word of each of its usable terms also matches alone, capitalised, in any case form
  ("Тасмагамбетова", "Tasmagambetov"), taking in initials before it ("И. Тасмагамбетов").
- ``TermMatch.preferred``: per language, ``Concept.counterpart`` of the matched term (an
  abbreviation expects its own row's counterpart: "ОДКБ" -> "CSTO").
- Overlaps: the match with the most words wins, then the leftmost, then the longest in
  characters, then glossary order; "Press Secretary" never yields "Secretary General" from
  the same words.

Offsets in ``TermMatch.span`` are character offsets into the text passed to ``find`` (for the
CLI, the segment text).

Speed: compiling analyses each term word once per process (the morphology handle caches
analyses and generates a lexeme once) and leaves the fixed tail of a term unanalysed; a text
word form is looked up once per matcher (``_WordInfo``: its keys, the single-word terms it is,
the second-word tables of the terms it starts); only multiword candidates whose first two
words are both present are tried at a position. ``MatcherCache`` keeps compiled matchers on
disk with the readings of every form their lemma table knows, so a run that loads one neither
compiles nor loads the Russian dictionary to match.

Language knowledge (English variants, Russian morphology, names, codes) comes from
:mod:`transpipe.lang`.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from transpipe import __version__
from transpipe.lang import english, morphology, names
from transpipe.lang.chars import DASHES, HYPHENS
from transpipe.lang.codes import matches as lang_matches
from transpipe.lang.codes import primary
from transpipe.lang.script import CYRILLIC_RE, script_of
from transpipe.model import Span, TermMatch, TermStatus
from transpipe.terms.glossary import Concept, Glossary, Term

TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# "U.N.", "U. S.", "И.Н.": capital letters each followed by a dot, read as one word ("UN")
DOTTED_ACRONYM_RE = re.compile(r"(?<![^\W_])(?:[A-ZА-ЯЁ]\.[ \u00a0]?)+[A-ZА-ЯЁ]\.")
GAP_RE = re.compile(r"^[\s\u00a0\-\u2010\u2011]{1,3}$")
DASH_GAP_RE = re.compile(r"^[\s\u00a0]{1,2}[\u2012-\u2015][\s\u00a0]{1,2}$|^[\u2013\u2014]$")
DOTTED_GAP_RE = re.compile(r"^\.[\s\u00a0]{0,2}$")  # after an initial: "И. Тасмагамбетов"
INITIALS_BEFORE_RE = re.compile(r"(?<![^\W_])(?:[A-ZА-ЯЁ]\.[ \u00a0]?){1,3}$")
NO_GAP, PLAIN_GAP, DOTTED_GAP, DASH_GAP = 0, 1, 2, 3
# What a term's gap between two words accepts in the text
SPACE_JOIN, HYPHEN_JOIN, DOT_JOIN = 0, 1, 2
ACCEPTED_GAPS = {
    SPACE_JOIN: frozenset({PLAIN_GAP}),
    HYPHEN_JOIN: frozenset({PLAIN_GAP, DASH_GAP}),
    DOT_JOIN: frozenset({DOTTED_GAP}),
}
SURNAME_RANK = 1 << 30  # surname-alone patterns lose ties to every full term
KEY_CACHE_SIZE = 500_000
ACRONYM_PREFIX = re.compile(r"[A-ZА-ЯЁ]{2,}")
RU_ACRONYM_ENDINGS = frozenset({"а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах", "ой"})

HEAD_POS = frozenset({"NOUN", "ADJF", "PRTF"})
# Token spec kinds
LEMMA, FORM, NAME = "lemma", "form", "name"
# Letter-case requirements
ANY, UPPER, TITLE, PATTERN = "", "upper", "title", "pattern"


def gap_kind(gap: str) -> int:
    """How two words are separated: spaces/hyphen (``PLAIN_GAP``), a dot (``DOTTED_GAP``), a
    dash ("государств – членов", ``DASH_GAP``) or anything else (``NO_GAP``: punctuation ends
    a term)."""
    if gap == " ":
        return PLAIN_GAP
    if GAP_RE.match(gap):
        return PLAIN_GAP
    if DOTTED_GAP_RE.match(gap):
        return DOTTED_GAP
    if DASH_GAP_RE.match(gap):
        return DASH_GAP
    return NO_GAP


def join_kind(gap: str) -> int:
    """How a term joins two words: by a dot (initials), a hyphen or dash, or a space."""
    if "." in gap:
        return DOT_JOIN
    stripped = gap.strip()
    if stripped and stripped in HYPHENS + DASHES:
        return HYPHEN_JOIN
    return SPACE_JOIN


def letter_case(word: str) -> str:
    """``upper``, ``title`` or ``lower`` (digits-only words are ``lower``)."""
    if word.isupper() and len(word) > 1:
        return UPPER
    if word[:1].isupper():
        return TITLE
    return "lower"


def is_acronym(word: str) -> bool:
    """All-capital word matched only in capitals: up to 4 letters, or Cyrillic of any length."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return False
    return len(letters) <= 4 or bool(CYRILLIC_RE.search(word))


def without_initials(words: Sequence[str]) -> list[str]:
    """The words of a name without its initials, which a dotted acronym token holds without
    dots ("И.Н." is the token "ИН")."""
    return [w for w in words if not (w.isupper() and len(w) <= 3)]


def compound_prefix(word: str, following: str) -> bool:
    """True for the first part of a hyphenated adjective, which never inflects: "военно" in
    "военно-политический", "таджикско" in "таджикско-афганская"."""
    if len(word) < 4 or not word.lower().endswith(("о", "е")) or len(following) < 4:
        return False
    return any(
        a.pos in ("ADJF", "PRTF") and a.lemma.endswith(("ый", "ий", "ой"))
        for a in morphology.parse(following)
    )


def modifies(nominal: Sequence[morphology.Analysis], following: str) -> bool:
    """True when an adjective reading among ``nominal`` agrees with a nominative noun reading
    of the next word ("рабочий" + "визит"), so the word is an adjective, not a noun."""
    nouns = [a for a in morphology.parse(following) if a.pos == "NOUN" and a.case == "nomn"]
    return any(
        a.number == n.number and (a.number == "plur" or a.gender == n.gender)
        for a in nominal
        if a.pos in ("ADJF", "PRTF")
        for n in nouns
    )


@dataclass(frozen=True)
class TokenSpec:
    """What one word of a term accepts: a set of keys (lemmas or lower-case forms) + letter case."""

    kind: str
    keys: frozenset[str]
    case: str = ANY
    surface: str = ""
    pos: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()  # NAME: every normalised form of the name word


@dataclass(frozen=True, eq=False)
class Pattern:
    """A compiled term: its specs, which of them must agree (Russian), and its rank.
    Compared and hashed by identity (a pattern is one index entry)."""

    concept_id: str
    term: Term
    specs: tuple[TokenSpec, ...]
    agree: tuple[int, ...]
    rank: int
    single_word: bool
    joins: tuple[int, ...] = ()  # per gap between words: SPACE_JOIN, HYPHEN_JOIN or DOT_JOIN
    preferred: tuple[tuple[str, str], ...] = ()  # TermMatch.preferred of every match
    surname: bool = False  # the surname of a person term, matched alone
    implied: int = 0  # leading words (at most 3) a key hit in the index proves accepted

    @property
    def first_gap(self) -> frozenset[int]:
        """Text gap kinds accepted between the first two words."""
        return ACCEPTED_GAPS[self.joins[0]]


class _Token(NamedTuple):
    start: int
    end: int
    text: str


class Reading(NamedTuple):
    """What finding needs of one reading of a Russian word form (plain data, picklable)."""

    lemma: str
    pos: str
    case: str
    number: str
    score: float


class _WordInfo(NamedTuple):
    """What the index offers for one text word form (cached per matcher)."""

    keys: frozenset[str]  # normalised form + candidate lemmas (Russian) / lower-case key
    singles: tuple[Pattern, ...]  # single-word patterns that accept the word
    pairs: tuple[dict[str, list[Pattern]], ...]  # second-word tables of its first-word keys
    triples: tuple[dict[tuple[str, str], list[Pattern]], ...]  # (second, third)-word tables
    joined_pairs: tuple[dict[str, list[Pattern]], ...]  # pairs + triples' terms by two words


def tokenize(text: str) -> list[_Token]:
    """Word tokens of ``text`` with their character offsets. A dotted acronym ("U.N.",
    "И.Н.") is one token whose text has no dots ("UN"), so it matches the glossary's "UN"."""
    if "." not in text or DOTTED_ACRONYM_RE.search(text) is None:
        return [_Token(*m.span(), m.group()) for m in TOKEN_RE.finditer(text)]
    tokens: list[_Token] = []
    position = 0
    for dotted in DOTTED_ACRONYM_RE.finditer(text):
        tokens.extend(
            _Token(m.start(), m.end(), m.group())
            for m in TOKEN_RE.finditer(text, position, dotted.start())
        )
        letters = "".join(c for c in dotted.group() if c.isalpha())
        tokens.append(_Token(dotted.start(), dotted.end(), letters))
        position = dotted.end()
    tokens.extend(_Token(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text, position))
    return tokens


class TermMatcher:
    """Find a glossary's terms of one language in texts.

    ``TermMatcher(glossary, "ru").find(text, segment_id="doc:p1:s1")`` returns non-overlapping
    ``TermMatch`` values in text order. Build one matcher per glossary and language and reuse
    it: compilation parses every term once; word analyses are cached process-wide.
    """

    def __init__(self, glossary: Glossary, lang: str) -> None:
        self.glossary = glossary
        self.lang = lang
        self.russian = lang_matches(lang, "ru")
        self._single: dict[str, list[Pattern]] = {}
        # first word key -> second word key -> patterns (terms of two or more words)
        self._pairs: dict[str, dict[str, list[Pattern]]] = {}
        # English terms of three or more plain words: first -> (second, third) -> patterns
        self._triples: dict[str, dict[tuple[str, str], list[Pattern]]] = {}
        self._long_pairs: dict[str, dict[str, list[Pattern]]] = {}  # the same by two words
        # Russian: form -> lemmas for every form of every lemma-matched term word, so text
        # words are looked up, not analysed (analysis only when a candidate needs agreement)
        self._lemma_of: dict[str, set[str]] = {}
        self._word_cache: dict[str, _WordInfo] = {}
        # Russian: readings of text word forms by normalised form, filled on demand, or for
        # every form of the lemma table by ``precompute`` (then finding needs no dictionary)
        self._readings: dict[str, tuple[Reading, ...]] = {}
        langs = [c for c in ("en", "ru") if any(lang_matches(g, c) for g in glossary.languages)]
        langs += [g for g in glossary.languages if primary(g) not in ("en", "ru")]
        rank = 0
        for concept in glossary:
            surnames: set[frozenset[str]] = set()
            person = self.is_person(concept)
            for term in concept.terms_in(lang):
                preferred = tuple(
                    (code, target.text)
                    for code in langs
                    if (target := concept.counterpart(term, code)) is not None
                )
                for pattern in self._compile(concept.id, term, rank, preferred):
                    self._add(pattern)
                    surname = self._surname(pattern, person)
                    if surname is not None and surname.specs[0].keys not in surnames:
                        surnames.add(surname.specs[0].keys)
                        self._add(surname)
                rank += 1

    @staticmethod
    def is_person(concept: Concept) -> bool:
        """A concept with a Russian term that is a personal name of two or more Cyrillic
        words, each a name word ("Имангали Тасмагамбетов", "Касым-Жомарт Токаев") or
        initials ("И.Н."): its terms' last words may be matched alone."""
        for term in concept.terms_in("ru"):
            words = [t.text for t in tokenize(term.text)]
            if (
                len(words) > 1
                and all(script_of(w) == "cyrillic" for w in words)
                and names.is_name_sequence(without_initials(words))
            ):
                return True
        return False

    def _surname(self, pattern: Pattern, person: bool) -> Pattern | None:
        """The surname-alone pattern of a person term (its last word, capitalised, any case
        form), or None for other terms and forbidden ones."""
        if not person or len(pattern.specs) < 2 or pattern.term.status is TermStatus.FORBIDDEN:
            return None
        last = pattern.specs[-1]
        if self.russian and last.kind != NAME:
            return None
        if not self.russian and not all(
            spec.surface.isalpha() and spec.surface[:1].isupper() for spec in pattern.specs
        ):  # a name is capitalised words and initials ("I. Tasmagambetov")
            return None
        if not self.russian and letter_case(last.surface) != TITLE:
            return None
        spec = last if self.russian else TokenSpec(FORM, last.keys, TITLE, surface=last.surface)
        return Pattern(
            pattern.concept_id,
            pattern.term,
            (spec,),
            (),
            SURNAME_RANK + pattern.rank,
            True,
            preferred=pattern.preferred,
            surname=True,
        )

    def _add(self, pattern: Pattern) -> None:
        """Index a pattern by its first word (single-word terms) or first two words."""
        specs = pattern.specs
        if self.russian:
            for spec in specs:
                if spec.kind == LEMMA:
                    for form, lemma in morphology.paradigm(spec.surface):
                        self._lemma_of.setdefault(form, set()).add(lemma)
                elif spec.kind == NAME:
                    for form in spec.forms:
                        self._lemma_of.setdefault(form, set()).update(spec.keys)
        if len(specs) == 1:
            for key in specs[0].keys:
                self._single.setdefault(key, []).append(pattern)
            return
        if pattern.implied >= 3:  # English, three plain words or more: index by three
            for first in specs[0].keys:
                rest = self._triples.setdefault(first, {})
                for second in specs[1].keys:
                    for third in specs[2].keys:
                        rest.setdefault((second, third), []).append(pattern)
                # also by two words, for the rare lookups through a hyphen-joined word
                seconds = self._long_pairs.setdefault(first, {})
                for second in specs[1].keys:
                    seconds.setdefault(second, []).append(pattern)
            return
        for first in specs[0].keys:
            seconds = self._pairs.setdefault(first, {})
            for second in specs[1].keys:
                seconds.setdefault(second, []).append(pattern)

    # -- compilation -------------------------------------------------------------------------

    def _compile(
        self, concept_id: str, term: Term, rank: int, preferred: tuple[tuple[str, str], ...]
    ) -> list[Pattern]:
        tokens = tokenize(term.text)
        if not tokens:
            return []
        joins = tuple(join_kind(term.text[a.end : b.start]) for a, b in itertools.pairwise(tokens))
        hyphen_gaps = [join == HYPHEN_JOIN for join in joins]
        single = len(tokens) == 1
        if self.russian:
            specs, agree = self._russian_specs(tokens, hyphen_gaps, term)
        else:
            specs, agree = [self._english_spec(t.text, term, single) for t in tokens], []
        implied = 0
        if not self.russian:  # English words of any letter case accept exactly their keys
            implied = next((n for n, spec in enumerate(specs[:3]) if spec.case != ANY), 3)
            implied = min(implied, len(specs))
        patterns = [
            Pattern(
                concept_id,
                term,
                tuple(specs),
                tuple(agree),
                rank,
                single,
                joins,
                preferred,
                implied=implied,
            )
        ]
        if not self.russian and len(tokens) > 1 and all(hyphen_gaps):
            joined = "".join(t.text for t in tokens)
            spec = self._english_spec(joined, term, True)
            patterns.append(
                Pattern(concept_id, term, (spec,), (), rank, False, preferred=preferred)
            )
        return patterns

    def _english_spec(self, word: str, term: Term, single: bool) -> TokenSpec:
        base = english.key(word)
        keys = english.variants(base)
        if term.case_sensitive:
            return TokenSpec(FORM, keys, PATTERN, surface=word)
        if is_acronym(word):
            return TokenSpec(FORM, keys, UPPER, surface=word)
        if single and letter_case(word) == TITLE:
            return TokenSpec(FORM, keys, TITLE, surface=word)
        return TokenSpec(FORM, keys, surface=word)

    def _russian_specs(
        self, tokens: Sequence[_Token], hyphen_gaps: Sequence[bool], term: Term
    ) -> tuple[list[TokenSpec], list[int]]:
        specs: list[TokenSpec] = []
        agree: list[int] = []
        in_head = True
        single = len(tokens) == 1
        name_forms = self._name_forms(tokens, term)
        for index, token in enumerate(tokens):
            word = token.text
            case = PATTERN if term.case_sensitive else ANY
            if is_acronym(word):
                specs.append(
                    TokenSpec(FORM, frozenset({morphology.normalize(word)}), UPPER, surface=word)
                )
                in_head = False
                continue
            if len(word) == 1 and word.isupper():  # an initial ("И.Н. Тасмагамбетов")
                specs.append(TokenSpec(FORM, frozenset({morphology.normalize(word)}), TITLE, word))
                continue
            if index in name_forms:  # inflects by the name rules, keeps the head open
                key = "name:" + morphology.normalize(word)
                name_case = PATTERN if term.case_sensitive else TITLE
                specs.append(
                    TokenSpec(NAME, frozenset({key}), name_case, word, forms=name_forms[index])
                )
                continue
            if single and letter_case(word) == TITLE and not term.case_sensitive:
                case = TITLE
            following = tokens[index + 1].text if index + 1 < len(tokens) else ""
            hyphen_after = hyphen_gaps[index : index + 1] == [True]
            if in_head and hyphen_after and compound_prefix(word, following):
                # "военно-", "таджикско-": the first part of a hyphenated adjective never inflects
                specs.append(TokenSpec(FORM, frozenset({morphology.normalize(word)}), case, word))
                continue
            joined = index > 0 and hyphen_gaps[index - 1] and index - 1 in agree
            if not (in_head or joined or index == 0):  # the fixed tail keeps its form
                specs.append(TokenSpec(FORM, frozenset({morphology.normalize(word)}), case, word))
                continue
            readings = morphology.parse(word)
            nominal = [a for a in readings if a.pos in HEAD_POS and a.case == "nomn"]
            joined_noun = joined and any(a.pos == "NOUN" for a in nominal)
            if (in_head and nominal) or joined_noun or index == 0:
                chosen = nominal or list(readings)
                keys = frozenset(a.lemma for a in chosen) or frozenset({morphology.normalize(word)})
                pos = frozenset(a.pos for a in chosen)
                specs.append(TokenSpec(LEMMA, keys, case, surface=word, pos=pos))
                if nominal:
                    agree.append(index)
                noun = any(a.pos == "NOUN" for a in nominal)
                if noun and following and not hyphen_gaps[index]:
                    noun = not modifies(nominal, following)  # "рабочий визит": adjective here
                if noun or not nominal:
                    in_head = False
            else:
                specs.append(TokenSpec(FORM, frozenset({morphology.normalize(word)}), case, word))
        return specs, agree

    @staticmethod
    def _name_forms(tokens: Sequence[_Token], term: Term) -> dict[int, frozenset[str]]:
        """Token index -> normalised forms, for the words of ``term`` that are personal names:
        every word of a term that is a name ("Касым-Жомарт Токаев"), else the words the
        dictionary reads as names or does not know ("Генеральный секретарь ОДКБ Имангали
        Тасмагамбетов"). Forms follow the name's roles and gender (:mod:`transpipe.lang.names`)."""
        words = [t.text for t in tokens]
        person = len(tokens) > 1 and names.is_name_sequence(without_initials(words))
        indices = [
            i
            for i, token in enumerate(tokens)
            if not is_acronym(token.text)
            and not (len(token.text) == 1 and token.text.isupper())
            and (person or names.is_name_word(token.text))
        ]
        if not indices:
            return {}
        words = [tokens[i].text for i in indices]
        roles = names.name_roles(words)
        gender = names.name_gender(" ".join(words))
        genders = [gender] if gender else [names.MASC, names.FEMN]
        out: dict[int, frozenset[str]] = {}
        for i, word, role in zip(indices, words, roles, strict=True):
            out[i] = frozenset(
                morphology.normalize(text)
                for g in genders
                for texts in names.word_forms(word, role, g).values()
                for text in texts
            )
        return out

    # -- matching ----------------------------------------------------------------------------

    def find(
        self, text: str, *, segment_id: str = "", resolve_overlaps: bool = True
    ) -> list[TermMatch]:
        """Term matches in ``text``, in text order; non-overlapping unless
        ``resolve_overlaps=False`` (then every term occurrence, e.g. for coverage checks)."""
        found = self.find_terms(text, segment_id=segment_id, resolve_overlaps=resolve_overlaps)
        return [match for match, _ in found]

    def find_terms(
        self, text: str, *, segment_id: str = "", resolve_overlaps: bool = True
    ) -> list[tuple[TermMatch, Term]]:
        """Like ``find``, with the glossary ``Term`` each match is a form of."""
        tokens = tokenize(text)
        if not tokens:
            return []
        gaps = [text[a.end : b.start] for a, b in itertools.pairwise(tokens)]
        gap_ok = [gap_kind(g) for g in gaps]
        count = len(tokens)
        infos = [self._word(t.text) for t in tokens]
        joined: list[_WordInfo | None] = [None] * count  # English: "peace-keeping" joined
        if not self.russian:
            for i, gap in enumerate(gaps):
                if gap in HYPHENS:
                    joined[i] = self._word(tokens[i].text + tokens[i + 1].text)
        candidates: list[tuple[int, int, int, int, Pattern]] = []
        for i in range(count):
            info = infos[i]
            extra = joined[i]
            # single-word patterns: acceptance depends on the word alone, cached in its info
            for pattern in info.singles:
                start = tokens[i].start
                if pattern.surname:
                    start = self._with_initials(text, start)
                candidates.append((0, start, tokens[i].end, pattern.rank, pattern))
            if extra is not None:
                for pattern in extra.singles:
                    candidates.append(
                        (1, tokens[i].start, tokens[i + 1].end, pattern.rank, pattern)
                    )
            found: list[Pattern] = []  # first two words found by their own keys
            via_joined: list[Pattern] = []  # one of them found as a hyphen-joined pair
            if info.pairs and i + 1 < count and gap_ok[i]:
                for table in info.pairs:
                    for second in infos[i + 1].keys:
                        hit = table.get(second)
                        if hit:
                            found.extend(hit)
            after = joined[i + 1] if i + 1 < count else None
            if after is not None and gap_ok[i]:
                for table in info.joined_pairs:
                    for second in after.keys:
                        via_joined.extend(table.get(second, ()))
            if extra is not None and i + 2 < count and gap_ok[i + 1]:
                for table in extra.joined_pairs:
                    for second in infos[i + 2].keys:
                        via_joined.extend(table.get(second, ()))
            if info.triples and i + 2 < count and gap_ok[i] and gap_ok[i + 1]:
                for triple in info.triples:
                    for second in infos[i + 1].keys:
                        for third in infos[i + 2].keys:
                            found.extend(triple.get((second, third), ()))
            if not found and not via_joined:
                continue
            tries = [(p, min(p.implied, 3)) for p in dict.fromkeys(found)]
            tries += [(p, 0) for p in dict.fromkeys(via_joined)]
            for pattern, verified in tries:
                if verified == 2 == len(pattern.specs):  # both words proven: check the gap
                    end: int | None = i + 1 if gap_ok[i] in pattern.first_gap else None
                else:
                    end = self._match_at(pattern, tokens, gaps, gap_ok, i, verified)
                if end is not None:
                    candidates.append(
                        (end - i, tokens[i].start, tokens[end].end, pattern.rank, pattern)
                    )
        # most words first, then leftmost, then longest in characters, then glossary order
        candidates.sort(key=lambda c: (-c[0], c[1], c[1] - c[2], c[3]))
        taken: list[Span] = []
        emitted: set[tuple[int, int, str, int]] = set()
        matches: list[tuple[TermMatch, Term]] = []
        for _, start, end, _, pattern in candidates:
            span = Span(start, end)
            if resolve_overlaps and any(span.overlaps(other) for other in taken):
                continue
            identity = (start, end, pattern.concept_id, id(pattern.term))
            if identity in emitted:
                continue
            emitted.add(identity)
            taken.append(span)
            match = TermMatch(
                concept_id=pattern.concept_id,
                span=span,
                surface=text[start:end],
                lang=self.lang,
                status=pattern.term.status,
                preferred=pattern.preferred,
                segment_id=segment_id,
            )
            matches.append((match, pattern.term))
        matches.sort(key=lambda m: m[0].span.start)
        return matches

    @staticmethod
    def _with_initials(text: str, start: int) -> int:
        """Start of a surname match widened over initials before it ("И.Н. Тасмагамбетов")."""
        initials = INITIALS_BEFORE_RE.search(text, max(0, start - 12), start - 1)
        if initials and text[initials.end() : start] in (" ", "\u00a0"):
            return initials.start()
        return start

    def _word(self, word: str) -> _WordInfo:
        """Index keys of a text word and the patterns they select, computed once per form."""
        info = self._word_cache.get(word)
        if info is None:
            if len(self._word_cache) > KEY_CACHE_SIZE:
                self._word_cache.clear()
            keys = self._compute_keys(word)
            singles: dict[int, Pattern] = {}
            for key in keys:
                for pattern in self._single.get(key, ()):
                    if self._accepts(pattern.specs[0], word, pattern.single_word):
                        singles.setdefault(id(pattern), pattern)
            pairs = tuple(table for key in keys if (table := self._pairs.get(key)))
            triples = tuple(rest for key in keys if (rest := self._triples.get(key)))
            longs = tuple(more for key in keys if (more := self._long_pairs.get(key)))
            info = _WordInfo(keys, tuple(singles.values()), pairs, triples, pairs + longs)
            self._word_cache[word] = info
        return info

    def _compute_keys(self, word: str) -> frozenset[str]:
        if not self.russian:
            return frozenset({english.key(word)})
        normal = morphology.normalize(word)
        keys = {normal, *self._lemma_of.get(normal, ())}
        capitals = ACRONYM_PREFIX.match(word)
        if capitals and capitals.end() < len(word):  # "МИДа": the acronym "МИД" + ending
            keys.add(morphology.normalize(capitals.group()))
        return frozenset(keys)

    def _match_at(
        self,
        pattern: Pattern,
        tokens: Sequence[_Token],
        gaps: Sequence[str],
        gap_ok: Sequence[int],
        start: int,
        verified: int = 0,
    ) -> int | None:
        """Index of the last token of a match of ``pattern`` starting at ``start``, or None.
        The first ``verified`` words are known to be accepted (the index lookup proved it)."""
        j = start
        last = len(tokens) - 1
        agree = pattern.agree if len(pattern.agree) > 1 else ()
        agreement: frozenset[tuple[str, str]] | None = None
        for k, spec in enumerate(pattern.specs):
            if k > 0:
                if j >= last or gap_ok[j] not in ACCEPTED_GAPS[pattern.joins[k - 1]]:
                    return None
                j += 1
            word = tokens[j].text
            if k < verified or self._accepts(spec, word, pattern.single_word):
                if agree and k in agree:
                    forms = self._agreement_forms(word, spec.keys)
                    agreement = forms if agreement is None else agreement & forms
                    if not agreement:
                        return None
                continue
            if (
                not self.russian
                and j + 1 < len(tokens)
                and gaps[j] in HYPHENS
                and self._accepts(spec, word + tokens[j + 1].text, pattern.single_word)
            ):
                j += 1
                continue
            return None
        return j

    def _accepts(self, spec: TokenSpec, word: str, single: bool) -> bool:
        if spec.case == UPPER:
            return self._acronym_accepts(spec, word)
        if spec.case == TITLE and not word[:1].isupper():
            return False
        if spec.case == PATTERN and letter_case(word) != letter_case(spec.surface):
            return False
        if not self.russian:
            return english.key(word) in spec.keys
        if spec.kind == FORM:
            return morphology.normalize(word) in spec.keys
        if single and spec.kind == LEMMA:
            readings = self._read(word)
            if not (self._likely_lemmas(readings) & spec.keys):
                return False
            return any(r.lemma in spec.keys and r.pos in spec.pos for r in readings)
        return not spec.keys.isdisjoint(self._lemma_of.get(morphology.normalize(word), ()))

    # -- readings of text words ---------------------------------------------------------------

    def _read(self, word: str) -> tuple[Reading, ...]:
        """Readings of a Russian text word (memoised per matcher, ё read as е)."""
        key = morphology.normalize(word)
        found = self._readings.get(key)
        if found is None:
            if len(self._readings) > KEY_CACHE_SIZE:
                self._readings.clear()
            found = tuple(
                Reading(a.lemma, a.pos, a.case, a.number, a.score) for a in morphology.parse(key)
            )
            self._readings[key] = found
        return found

    def _agreement_forms(self, word: str, lemmas: frozenset[str]) -> frozenset[tuple[str, str]]:
        """(case, number) of the readings of ``word`` that are forms of one of ``lemmas``."""
        readings = self._read(word)
        return frozenset((r.case, r.number) for r in readings if r.lemma in lemmas and r.case)

    @staticmethod
    def _likely_lemmas(readings: Sequence[Reading], ratio: float = 0.5) -> frozenset[str]:
        """Lemmas of the readings scoring at least ``ratio`` x the best reading's score:
        "стали" is far more often a form of "стать" than of "сталь"."""
        if not readings:
            return frozenset()
        best = max(r.score for r in readings)
        totals: dict[str, float] = {}
        for r in readings:
            totals[r.lemma] = totals.get(r.lemma, 0.0) + r.score
        return frozenset(lemma for lemma, score in totals.items() if score >= best * ratio)

    def precompute(self) -> None:
        """Analyse every form the lemma table knows, so that finding never needs the
        dictionary (what a compiled matcher on disk holds; see :class:`MatcherCache`)."""
        for form in self._lemma_of:
            self._read(form)

    def __getstate__(self) -> dict[str, object]:
        """The compiled form: index tables and readings, without the glossary object and the
        text words seen so far."""
        state = dict(self.__dict__)
        state["glossary"] = None
        state["_word_cache"] = {}
        return state

    def _acronym_accepts(self, spec: TokenSpec, word: str) -> bool:
        acronym = spec.surface
        if not self.russian:
            return english.strip_possessive(word) in (acronym, acronym + "s")
        if word == acronym:
            return True
        return word.startswith(acronym) and word[len(acronym) :] in RU_ACRONYM_ENDINGS


class MatcherCache:
    """Compiled matchers on disk, so a run does not compile (and analyse) its glossary again.

    ``MatcherCache(directory).matcher(glossary, "ru")`` returns the matcher compiled for this
    glossary content, language, transpipe version and dictionary version if the directory
    holds one, else compiles it, analyses every form its lemma table knows (so finding needs
    no dictionary), and stores it. The file is a pickle: give a directory only this user
    writes (the platform's per-user cache directory). An unreadable or stale file is replaced,
    never an error; a failed write leaves the matcher usable.
    """

    FORMAT = 1

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, glossary: Glossary, lang: str) -> Path:
        """Where the compiled matcher for ``glossary`` and ``lang`` lives."""
        identity = repr(
            (self.FORMAT, __version__, morphology.dictionary_version(), lang, glossary.concepts)
        )
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
        return self.directory / f"terms-{primary(lang)}-{digest}.pickle"

    def matcher(self, glossary: Glossary, lang: str) -> TermMatcher:
        """The compiled matcher for ``glossary`` and ``lang`` (loaded, or compiled and stored)."""
        path = self.path(glossary, lang)
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError,
                                 ValueError, TypeError):  # fmt: skip
            loaded = pickle.loads(path.read_bytes())
            if isinstance(loaded, TermMatcher) and loaded.lang == lang:
                loaded.glossary = glossary
                return loaded
        matcher = TermMatcher(glossary, lang)
        matcher.precompute()
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(pickle.dumps(matcher, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        return matcher

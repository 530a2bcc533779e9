"""Finding glossary terms in text: lemma-aware for Russian, variant-aware for English.

Owns ``TermMatcher``. Rules, per term compiled once:

- Text is split into word tokens (letters/digits, with inner apostrophes: ``Council's``);
  tokens of a multiword match may be separated only by spaces or hyphens, so
  ``Secretary-General`` = ``Secretary General`` and no term spans punctuation.
- Russian: the leading adjective(s) + noun of a term (its nominal head, "Генеральный
  секретарь", "миротворческие силы") match any case and number by lemma, and must agree with
  each other in case and number in the text; the words after the head noun keep their form
  ("Совет коллективной безопасности" -> "Советом коллективной безопасности", never "Совет
  Безопасности ООН"). Hyphenated noun pairs inflect together ("государства-члены").
- English: case-insensitive; every word may be singular or plural (regular and common
  irregular plurals); a possessive ``'s``/``’s`` is ignored; ``peace-keeping`` also matches
  ``peacekeeping`` and the other way round.
- Acronyms (all capitals, up to 4 letters, or any Cyrillic all-capitals word) match only in
  capitals ("ОДКБ", "WHO" - not "who"); Russian ones may carry a case ending ("МИДа").
  ``Term.case_sensitive`` makes every word of the term keep its letter case.
- Homonyms: a single-word term matches only where its lemma is the word's likely reading
  ("стали" is "стать", not "сталь") with the term's part of speech; a capitalised single-word
  term ("Совет") needs a capital in the text, so "совет" (advice) is not a match.
- Overlaps: the match with the most words wins, then the leftmost, then the longest in
  characters, then glossary order; "Press Secretary" never yields "Secretary General" from
  the same words.

Offsets in ``TermMatch.span`` are character offsets into the text passed to ``find`` (for the
CLI, the segment text).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from transpipe.model import Span, TermMatch
from transpipe.terms import morphology
from transpipe.terms.glossary import Glossary, Term, lang_matches

TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
GAP_RE = re.compile(r"^[\s\u00a0\-\u2010\u2011]{1,3}$")
DOTTED_GAP_RE = re.compile(r"^\.[\s\u00a0]{0,2}$")  # after an initial: "И.Н. Тасмагамбетов"
NO_GAP, PLAIN_GAP, DOTTED_GAP = 0, 1, 2
KEY_CACHE_SIZE = 500_000
ACRONYM_PREFIX = re.compile(r"[A-ZА-ЯЁ]{2,}")
HYPHENS = ("-", "\u2010", "\u2011")
RU_ACRONYM_ENDINGS = frozenset({"а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах", "ой"})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
IRREGULAR_PLURALS = {
    "man": "men",
    "woman": "women",
    "child": "children",
    "person": "people",
    "crisis": "crises",
    "analysis": "analyses",
    "thesis": "theses",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "datum": "data",
    "medium": "media",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "virus": "viruses",
    "bus": "buses",
    "diagnosis": "diagnoses",
    "nucleus": "nuclei",
    "bacterium": "bacteria",
}
IRREGULAR_SINGULARS = {plural: singular for singular, plural in IRREGULAR_PLURALS.items()}

HEAD_POS = frozenset({"NOUN", "ADJF", "PRTF"})
# Token spec kinds
LEMMA, FORM, NAME = "lemma", "form", "name"
# Letter-case requirements
ANY, UPPER, TITLE, PATTERN = "", "upper", "title", "pattern"


def strip_possessive(word: str) -> str:
    """``Council's`` -> ``Council`` (letter case kept)."""
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2]
    return word


@functools.lru_cache(maxsize=262_144)
def english_key(word: str) -> str:
    """Lower case without a possessive ending: the text-side key for English tokens."""
    return strip_possessive(word).lower()


def english_variants(word: str) -> frozenset[str]:
    """Lower-case singular and plural forms of an English word."""
    w = word.lower()
    forms = {w}
    if w in IRREGULAR_PLURALS:
        forms.add(IRREGULAR_PLURALS[w])
    if w in IRREGULAR_SINGULARS:
        forms.add(IRREGULAR_SINGULARS[w])
    if w[-1:].isalpha() and len(w) > 1:
        if w.endswith("y") and w[-2:-1] not in "aeiou":
            forms.add(w[:-1] + "ies")
        elif w.endswith(("s", "x", "z", "ch", "sh")):
            forms.add(w + "es")
        else:
            forms.add(w + "s")
        if w.endswith("ies") and len(w) > 4:
            forms.add(w[:-3] + "y")
        elif w.endswith(("sses", "xes", "zes", "ches", "shes")):
            forms.add(w[:-2])
        elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
            forms.add(w[:-1])
    return frozenset(forms)


def gap_kind(gap: str) -> int:
    """How two words are separated: spaces/hyphen (``PLAIN_GAP``), a dot (``DOTTED_GAP``) or
    anything else (``NO_GAP``: punctuation ends a term)."""
    if GAP_RE.match(gap):
        return PLAIN_GAP
    if DOTTED_GAP_RE.match(gap):
        return DOTTED_GAP
    return NO_GAP


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
    return len(letters) <= 4 or bool(_CYRILLIC.search(word))


@dataclass(frozen=True)
class TokenSpec:
    """What one word of a term accepts: a set of keys (lemmas or lower-case forms) + letter case."""

    kind: str
    keys: frozenset[str]
    case: str = ANY
    surface: str = ""
    pos: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Pattern:
    """A compiled term: its specs, which of them must agree (Russian), and its rank."""

    concept_id: str
    term: Term
    specs: tuple[TokenSpec, ...]
    agree: tuple[int, ...]
    rank: int
    single_word: bool
    dotted: tuple[bool, ...] = ()  # per gap between words: the term has "." there


class _Token(NamedTuple):
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[_Token]:
    """Word tokens of ``text`` with their character offsets."""
    return [_Token(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


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
        self._pairs: dict[tuple[str, str], list[Pattern]] = {}
        # Russian: form -> lemmas for every form of every lemma-matched term word, so text
        # words are looked up, not analysed (analysis only when a candidate needs agreement)
        self._lemma_of: dict[str, set[str]] = {}
        self._key_cache: dict[str, frozenset[str]] = {}
        self._preferred: dict[str, tuple[tuple[str, str], ...]] = {}
        langs = [c for c in ("en", "ru") if any(lang_matches(g, c) for g in glossary.languages)]
        langs += [g for g in glossary.languages if g.split("-")[0] not in ("en", "ru")]
        rank = 0
        for concept in glossary:
            self._preferred[concept.id] = tuple(
                (code, text)
                for code in langs
                if (text := glossary.preferred(concept.id, code)) is not None
            )
            for term in concept.terms_in(lang):
                for pattern in self._compile(concept.id, term, rank):
                    self._add(pattern)
                rank += 1

    def _add(self, pattern: Pattern) -> None:
        """Index a pattern by its first word (single-word terms) or first two words."""
        specs = pattern.specs
        if self.russian:
            for spec in specs:
                if spec.kind == LEMMA:
                    for form, lemma in morphology.paradigm(spec.surface):
                        self._lemma_of.setdefault(form, set()).add(lemma)
                elif spec.kind == NAME:
                    for form in morphology.name_forms(spec.surface):
                        self._lemma_of.setdefault(form, set()).update(spec.keys)
        if len(specs) == 1:
            for key in specs[0].keys:
                self._single.setdefault(key, []).append(pattern)
            return
        for first in specs[0].keys:
            for second in specs[1].keys:
                self._pairs.setdefault((first, second), []).append(pattern)

    # -- compilation -------------------------------------------------------------------------

    def _compile(self, concept_id: str, term: Term, rank: int) -> list[Pattern]:
        tokens = tokenize(term.text)
        if not tokens:
            return []
        hyphen_gaps = [term.text[a.end : b.start] in HYPHENS for a, b in itertools.pairwise(tokens)]
        single = len(tokens) == 1
        if self.russian:
            specs, agree = self._russian_specs(tokens, hyphen_gaps, term)
        else:
            specs, agree = [self._english_spec(t.text, term, single) for t in tokens], []
        dotted = tuple("." in term.text[a.end : b.start] for a, b in itertools.pairwise(tokens))
        patterns = [Pattern(concept_id, term, tuple(specs), tuple(agree), rank, single, dotted)]
        if not self.russian and len(tokens) > 1 and all(hyphen_gaps):
            joined = "".join(t.text for t in tokens)
            spec = self._english_spec(joined, term, True)
            patterns.append(Pattern(concept_id, term, (spec,), (), rank, False))
        return patterns

    def _english_spec(self, word: str, term: Term, single: bool) -> TokenSpec:
        base = english_key(word)
        keys = english_variants(base)
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
            if morphology.is_personal_name(word):  # inflects by its ending, keeps the head open
                key = "name:" + morphology.normalize(word)
                name_case = PATTERN if term.case_sensitive else TITLE
                specs.append(TokenSpec(NAME, frozenset({key}), name_case, surface=word))
                continue
            if single and letter_case(word) == TITLE and not term.case_sensitive:
                case = TITLE
            readings = morphology.parse(word)
            nominal = [a for a in readings if a.pos in HEAD_POS and a.case == "nomn"]
            joined_noun = (
                index > 0
                and hyphen_gaps[index - 1]
                and index - 1 in agree
                and any(a.pos == "NOUN" for a in nominal)
            )
            if (in_head and nominal) or joined_noun or index == 0:
                chosen = nominal or list(readings)
                keys = frozenset(a.lemma for a in chosen) or frozenset({morphology.normalize(word)})
                pos = frozenset(a.pos for a in chosen)
                specs.append(TokenSpec(LEMMA, keys, case, surface=word, pos=pos))
                if nominal:
                    agree.append(index)
                if any(a.pos == "NOUN" for a in nominal) or not nominal:
                    in_head = False
            else:
                specs.append(TokenSpec(FORM, frozenset({morphology.normalize(word)}), case, word))
        return specs, agree

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
        keys = [self._keys(t.text) for t in tokens]
        joined: list[str] = [""] * count  # English: key of "peace-keeping" as "peacekeeping"
        if not self.russian:
            for i, gap in enumerate(gaps):
                if gap in HYPHENS:
                    joined[i] = english_key(tokens[i].text + tokens[i + 1].text)
        candidates: list[tuple[int, int, int, int, Pattern]] = []
        for i in range(count):
            firsts = keys[i] | {joined[i]} if joined[i] else keys[i]
            found: list[Pattern] = []
            for key in firsts:
                found.extend(self._single.get(key, ()))
            if self._pairs and i + 1 < count and gap_ok[i]:
                seconds = keys[i + 1] | {joined[i + 1]} if joined[i + 1] else keys[i + 1]
                for first in keys[i]:
                    for second in seconds:
                        found.extend(self._pairs.get((first, second), ()))
                if joined[i] and i + 2 < count and gap_ok[i + 1]:
                    for second in keys[i + 2]:
                        found.extend(self._pairs.get((joined[i], second), ()))
            seen: set[int] = set()
            for pattern in found:
                if id(pattern) in seen:
                    continue
                seen.add(id(pattern))
                end = self._match_at(pattern, tokens, gaps, gap_ok, i)
                if end is not None:
                    start, stop = tokens[i].start, tokens[end].end
                    candidates.append((end - i, start, stop, pattern.rank, pattern))
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
                preferred=self._preferred.get(pattern.concept_id, ()),
                segment_id=segment_id,
            )
            matches.append((match, pattern.term))
        matches.sort(key=lambda m: m[0].span.start)
        return matches

    def _keys(self, word: str) -> frozenset[str]:
        """Index keys of a text word: its normalised form, plus candidate lemmas (Russian)."""
        keys = self._key_cache.get(word)
        if keys is None:
            if len(self._key_cache) > KEY_CACHE_SIZE:
                self._key_cache.clear()
            keys = self._compute_keys(word)
            self._key_cache[word] = keys
        return keys

    def _compute_keys(self, word: str) -> frozenset[str]:
        if not self.russian:
            return frozenset({english_key(word)})
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
    ) -> int | None:
        """Index of the last token of a match of ``pattern`` starting at ``start``, or None."""
        j = start
        agreement: set[tuple[str, str]] | None = None
        for k, spec in enumerate(pattern.specs):
            if k > 0:
                wanted = DOTTED_GAP if pattern.dotted[k - 1] else PLAIN_GAP
                if j + 1 >= len(tokens) or gap_ok[j] != wanted:
                    return None
                j += 1
            word = tokens[j].text
            if self._accepts(spec, word, pattern.single_word):
                if self.russian and k in pattern.agree and len(pattern.agree) > 1:
                    forms = {
                        (a.case, a.number)
                        for a in morphology.parse(word)
                        if a.lemma in spec.keys and a.case
                    }
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
            return english_key(word) in spec.keys
        if spec.kind == FORM:
            return morphology.normalize(word) in spec.keys
        if single and spec.kind == LEMMA:
            likely = morphology.likely_lemmas(word)
            if not (likely & spec.keys):
                return False
            return any(a.lemma in spec.keys and a.pos in spec.pos for a in morphology.parse(word))
        return not spec.keys.isdisjoint(self._lemma_of.get(morphology.normalize(word), ()))

    def _acronym_accepts(self, spec: TokenSpec, word: str) -> bool:
        acronym = spec.surface
        if not self.russian:
            return strip_possessive(word) in (acronym, acronym + "s")
        if word == acronym:
            return True
        return word.startswith(acronym) and word[len(acronym) :] in RU_ACRONYM_ENDINGS

"""Bilingual term mining: term pairs proposed from aligned or reviewed sentence pairs.

Owns ``mine_terms``. Method:

1. Each side's noun-phrase candidates (``terms.phrases``) are reduced to lemma keys; a key
   counts once per sentence pair. Keys seen in fewer than ``min_freq`` pairs are dropped.
2. Every source key is scored against every target key it co-occurs with: the Dice
   coefficient of their sentence sets, raised by cross-lingual similarity of the surfaces
   (the same or transliterated spelling: "COVID-19", "панголин" ~ "pangolin", "Жапаров" ~
   "Japarov") and lowered when the word counts differ by more than one.
   A Russian key that only ever occurs inside one longer key is not a candidate of its own.
3. Pairs are linked competitively: best score first, each source and each target key used
   once, and a key that only occurs inside a linked longer one is skipped, so a term is
   not also proposed as a fragment of a longer neighbour ("Президент
   Кыргызской" never pairs with "President" when "President" already has "президент"), and
   a name pairs with its transliteration, not with the first name next to it.
4. Known terms are left out: phrases overlapping an occurrence of a known glossary term (any
   status, any form) are not candidates, nor are pairs with a key of a known term.
5. The rest are ranked by association x termhood: score x log2(1 + co-occurrences) x the
   mean termhood of the two sides (``workbench.termhood``: corpus frequency against general
   language, at least 0.1), so domain terms come before everyday words ("March" / "март").

Each pair is shown with its dictionary form: Russian prefers a surface whose head is in the
nominative, else the most frequent surface; English the most frequent surface (lower case
unless always capitalised).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from transpipe.lang.codes import matches as lang_matches
from transpipe.lang.translit import transliterate
from transpipe.terms.glossary import Glossary
from transpipe.terms.matcher import TermMatcher
from transpipe.terms.phrases import (
    Phrase,
    content_words,
    is_dictionary_form,
    is_personal_name,
    nominative_form,
    noun_phrases,
    term_key,
)
from transpipe.workbench.termhood import termhood

MIN_TERMHOOD = 0.1


@dataclass(frozen=True)
class MinedPair:
    """A proposed term pair with its evidence."""

    source: str
    target: str
    source_key: tuple[str, ...]
    target_key: tuple[str, ...]
    cooccurrences: int
    source_count: int
    target_count: int
    score: float
    example_source: str
    example_target: str


@dataclass
class _Side:
    sentences: dict[tuple[str, ...], set[int]]
    surfaces: dict[tuple[str, ...], Counter[str]]
    nominative: dict[tuple[str, ...], Counter[str]]
    heads: dict[tuple[str, ...], int]
    words: int = 0

    def termhood(self, key: tuple[str, ...], lang: str) -> float:
        return termhood(key, len(self.sentences[key]), self.words, lang)

    def dependent(self, keys: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
        """Keys that only ever occur inside one longer key ("Collective Rapid" of
        "Collective Rapid Reaction Forces"): not terms of their own."""
        found: set[tuple[str, ...]] = set()
        for longer in keys:
            for size in range(1, len(longer)):
                for start in range(len(longer) - size + 1):
                    part = longer[start : start + size]
                    if part in keys and self.sentences[part] == self.sentences[longer]:
                        found.add(part)
        return found

    def inside(self, key: tuple[str, ...], linked: set[tuple[str, ...]]) -> bool:
        """True when ``key`` only ever occurs inside one already linked longer key."""
        size = len(key)
        return any(
            len(longer) > size
            and any(longer[i : i + size] == key for i in range(len(longer) - size + 1))
            and self.sentences[longer] == self.sentences[key]
            for longer in linked
        )


def _collect(
    texts: Sequence[str], lang: str, known: Glossary | None
) -> tuple[_Side, list[set[tuple[str, ...]]]]:
    """Candidate keys per sentence; phrases overlapping a known term's occurrence are
    skipped, so parts of known terms ("Republic" of "Kyrgyz Republic") are not proposed."""
    side = _Side({}, {}, {}, {})
    per_sentence: list[set[tuple[str, ...]]] = []
    matcher = TermMatcher(known, lang) if known is not None and len(known) else None
    for number, text in enumerate(texts):
        side.words += len(text.split())
        keys: set[tuple[str, ...]] = set()
        taken = [m.span for m in matcher.find(text)] if matcher is not None else []
        phrase: Phrase
        for phrase in noun_phrases(text, lang):
            if any(span.start < phrase.end and phrase.start < span.end for span in taken):
                continue
            keys.add(phrase.key)
            side.surfaces.setdefault(phrase.key, Counter())[phrase.surface] += 1
            side.heads.setdefault(phrase.key, phrase.head)
            if phrase.nominative:
                side.nominative.setdefault(phrase.key, Counter())[phrase.surface] += 1
        for key in keys:
            side.sentences.setdefault(key, set()).add(number)
        per_sentence.append(keys)
    return side, per_sentence


def _skeleton(text: str) -> str:
    """Letters of ``text`` in Latin transliteration, lower case, vowels kept."""
    latin = transliterate(text)
    return "".join(ch for ch in latin if ch.isalnum())


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def spelling_similarity(source: str, target: str) -> float:
    """Dice of character bigrams of the two surfaces in Latin transliteration (0..1)."""
    left, right = _bigrams(_skeleton(source)), _bigrams(_skeleton(target))
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def _display(side: _Side, key: tuple[str, ...], lang: str) -> str:
    """The most frequent surface (Russian: of those in the nominative, when there are any),
    with a lower-case first letter when the phrase also occurs in lower case."""
    surfaces = side.nominative.get(key) or side.surfaces[key]
    best = surfaces.most_common(1)[0][0]
    if lang_matches(lang, "ru"):  # a surface that is the dictionary form word for word
        exact = [s for s in side.surfaces[key] if is_dictionary_form(s, key)]
        if exact:
            best = max(exact, key=lambda s: side.surfaces[key][s])
    if lang_matches(lang, "ru") and key not in side.nominative and len(key) > 1:
        best = nominative_form(best, side.heads.get(key, 1))
    if lang_matches(lang, "ru") and len(key) == 1 and not best.isascii():
        lemma = key[0]
        seen = [s for s in side.surfaces[key] if s.lower().replace("ё", "е") == lemma]
        if seen:  # the dictionary form itself occurs
            best = max(seen, key=lambda s: side.surfaces[key][s])
        elif not is_personal_name(best):  # surnames keep their seen form ("Жапаров")
            best = lemma if best[:1].islower() else lemma[:1].upper() + lemma[1:]
    lower_seen = any(s[:1].islower() for s in side.surfaces[key])
    if lower_seen and best[:1].isupper() and not best[:2].isupper():
        return best[:1].lower() + best[1:]
    return best


def known_keys(glossary: Glossary | None, lang: str) -> set[tuple[str, ...]]:
    """Lemma keys of every term of ``glossary`` in ``lang``."""
    if glossary is None:
        return set()
    return {term_key(term.text, lang) for concept in glossary for term in concept.terms_in(lang)}


def mine_terms(
    pairs: Sequence[tuple[str, str]],
    *,
    source_lang: str,
    target_lang: str,
    known: Glossary | None = None,
    min_freq: int = 3,
    min_score: float = 0.3,
    limit: int = 500,
) -> list[MinedPair]:
    """Ranked term pairs from sentence pairs (see the module docstring)."""
    source_side, source_sets = _collect([s for s, _ in pairs], source_lang, known)
    target_side, target_sets = _collect([t for _, t in pairs], target_lang, known)
    src_known, tgt_known = known_keys(known, source_lang), known_keys(known, target_lang)
    frequent_src = {k for k, v in source_side.sentences.items() if len(v) >= min_freq}
    frequent_tgt = {k for k, v in target_side.sentences.items() if len(v) >= min_freq}
    # only Russian phrases come from a grammar; an English run may always continue with a
    # verb ("joint staff met"), so its shorter runs stay candidates
    if lang_matches(source_lang, "ru"):
        frequent_src -= source_side.dependent(frequent_src)
    if lang_matches(target_lang, "ru"):
        frequent_tgt -= target_side.dependent(frequent_tgt)
    together: Counter[tuple[tuple[str, ...], tuple[str, ...]]] = Counter()
    for src_keys, tgt_keys in zip(source_sets, target_sets, strict=True):
        wanted_tgt = [k for k in tgt_keys if k in frequent_tgt]
        for s in src_keys:
            if s in frequent_src:
                for t in wanted_tgt:
                    together[s, t] += 1
    scored: list[tuple[float, tuple[str, ...], tuple[str, ...], int]] = []
    for (s, t), count in together.items():
        if count < min_freq:
            continue
        fs, ft = len(source_side.sentences[s]), len(target_side.sentences[t])
        dice = 2 * count / (fs + ft)
        similar = spelling_similarity(
            source_side.surfaces[s].most_common(1)[0][0],
            target_side.surfaces[t].most_common(1)[0][0],
        )
        score = dice + 0.5 * max(0.0, similar - 0.5)
        if abs(content_words(s, source_lang) - content_words(t, target_lang)) > 1:
            score *= 0.5
        if score >= min_score:
            scored.append((score, s, t, count))
    # ties: more evidence, then similar word counts, then the longer (more specific) phrase
    scored.sort(
        key=lambda item: (
            -item[0],
            -item[3],
            abs(content_words(item[1], source_lang) - content_words(item[2], target_lang)),
            -len(item[1]),
            item[1],
            item[2],
        )
    )
    used_src: set[tuple[str, ...]] = set()
    used_tgt: set[tuple[str, ...]] = set()
    linked: list[MinedPair] = []
    for score, s, t, count in scored:
        if s in used_src or t in used_tgt:
            continue
        if source_side.inside(s, used_src) or target_side.inside(t, used_tgt):
            continue
        used_src.add(s)
        used_tgt.add(t)
        if s in src_known or t in tgt_known:
            continue
        example = min(source_side.sentences[s] & target_side.sentences[t])
        domain = (source_side.termhood(s, source_lang) + target_side.termhood(t, target_lang)) / 2
        linked.append(
            MinedPair(
                source=_display(source_side, s, source_lang),
                target=_display(target_side, t, target_lang),
                source_key=s,
                target_key=t,
                cooccurrences=count,
                source_count=len(source_side.sentences[s]),
                target_count=len(target_side.sentences[t]),
                score=round(score * math.log2(1 + count) * max(MIN_TERMHOOD, domain), 4),
                example_source=pairs[example][0],
                example_target=pairs[example][1],
            )
        )
    linked.sort(key=lambda m: (-m.score, m.source, m.target))
    return linked[:limit]


def unique_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Sentence pairs with exact duplicates removed (a memory and its TMX export overlap)."""
    return list(dict.fromkeys((s.strip(), t.strip()) for s, t in pairs if s.strip() and t.strip()))

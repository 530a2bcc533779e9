"""Term candidate extraction from a sentence-aligned bilingual corpus, for a linguist to approve.

Owns ``extract_candidates`` and reading the bitext it works on (two line-aligned files or a
TMX). Method:

1. every 1-3 word n-gram of each side that neither starts nor ends with a stop word or a
   number is grouped by lemma (Russian: pymorphy3's best lemma per word; English: lower-case
   singular), so "Совета безопасности" and "Совет безопасности" count together;
2. source n-grams seen in at least ``min_freq`` sentence pairs are paired with the target
   n-gram with the best Dice coefficient over the sentence pairs they occur in;
3. pairs whose source or target is already a glossary term (any form) are dropped;
4. candidates are ranked by co-occurrence count x Dice x (1 + 0.5 per extra word), so
   multiword terms come first, each with its most frequent surface form (Russian: a
   nominative one when seen) and one example sentence pair.

Output of the CLI is a TSV that is *not* a glossary: ``<src> <tgt> frequency dice example_<src>
example_<tgt>``, to be reviewed and copied into the glossary by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from transpipe.errors import FormatError
from transpipe.model import LanguagePair
from transpipe.terms import morphology
from transpipe.terms.files import read_bytes
from transpipe.terms.glossary import Glossary, lang_matches
from transpipe.terms.matcher import english_variants, strip_possessive, tokenize

_EN_STOPWORDS = (
    "a an the of in on at to for from by with and or but as is are was were be been being "
    "this that these those it its they them their he she his her we our you your i not no "
    "has have had do does did will would can could should may might must also which who "
    "whom what when where why how than then there here so if about into over after before "
    "between under more most other such only any all some each both very said says one two "
    "s new up out"
)
_RU_STOPWORDS = (
    "и в во на с со к ко о об от до по за из у не но а же ли бы что как это этот эта эти "
    "тот та те то он она оно они его ее её их мы вы я ты для при без над под между через "
    "также так уже еще ещё или был была были было быть будет есть который которая которые "
    "которое которых свой своей своих все всех весь может могут более чем где когда если "
    "только даже после перед около"
)
STOPWORDS = {"en": frozenset(_EN_STOPWORDS.split()), "ru": frozenset(_RU_STOPWORDS.split())}


@dataclass(frozen=True)
class Candidate:
    """A proposed term pair with its evidence."""

    source: str
    target: str
    frequency: int
    dice: float
    example_source: str
    example_target: str


def _word_key(word: str, lang: str) -> str:
    if lang_matches(lang, "ru"):
        readings = morphology.parse(word)
        return readings[0].lemma if readings else morphology.normalize(word)
    return min(english_variants(strip_possessive(word)), key=len)


VERBAL_POS = frozenset({"VERB", "INFN", "GRND", "PRTS", "ADVB", "CONJ", "PRCL", "INTJ"})


def _is_verbal(word: str) -> bool:
    """Russian words that do not belong in a (nominal) term: verbs, adverbs, particles."""
    readings = morphology.parse(word)
    return bool(readings) and readings[0].pos in VERBAL_POS


def _ngrams(text: str, lang: str, max_n: int) -> dict[tuple[str, ...], str]:
    """Lemma-key n-grams of a sentence mapped to their surface text."""
    stop = STOPWORDS.get(lang.split("-")[0], frozenset())
    tokens = tokenize(text)
    keys = [_word_key(t.text, lang) for t in tokens]
    plain = [t.text.lower() in stop or t.text.isdigit() or len(t.text) < 2 for t in tokens]
    if lang_matches(lang, "ru"):
        verbal = [_is_verbal(t.text) for t in tokens]
    else:
        verbal = [False] * len(tokens)
    grams: dict[tuple[str, ...], str] = {}
    for i in range(len(tokens)):
        for n in range(1, max_n + 1):
            j = i + n - 1
            if j >= len(tokens) or plain[i] or plain[j]:
                continue
            if n == 1 and len(tokens[i].text) < 4:
                continue
            if any(verbal[i : j + 1]):
                continue
            gaps = text[tokens[i].end : tokens[j].start] if n > 1 else ""
            if any(ch in gaps for ch in '.,;:!?()«»"'):
                continue
            grams[tuple(keys[i : j + 1])] = text[tokens[i].start : tokens[j].end]
    return grams


def _display(surfaces: Counter[str], lang: str) -> str:
    """The form to show: Russian prefers a nominative form (dictionary form), then frequency."""
    if not lang_matches(lang, "ru"):
        return surfaces.most_common(1)[0][0]

    def nominative(text: str) -> bool:
        words = tokenize(text)
        last_noun = next(
            (
                w.text
                for w in reversed(words)
                if any(a.pos == "NOUN" for a in morphology.parse(w.text))
            ),
            words[0].text,
        )
        return any(a.case == "nomn" for a in morphology.parse(last_noun))

    return max(surfaces.items(), key=lambda item: (nominative(item[0]), item[1]))[0]


def extract_candidates(
    pairs: Sequence[tuple[str, str]],
    *,
    source_lang: str,
    target_lang: str,
    known: Glossary | None = None,
    max_n: int = 3,
    min_freq: int = 2,
    min_dice: float = 0.3,
    limit: int = 200,
) -> list[Candidate]:
    """Ranked candidate term pairs from sentence pairs (see the module docstring)."""
    src_index: dict[tuple[str, ...], set[int]] = {}
    tgt_index: dict[tuple[str, ...], set[int]] = {}
    src_forms: dict[tuple[str, ...], Counter[str]] = {}
    tgt_forms: dict[tuple[str, ...], Counter[str]] = {}
    tgt_by_sentence: list[dict[tuple[str, ...], str]] = []
    for number, (src, tgt) in enumerate(pairs):
        for key, surface in _ngrams(src, source_lang, max_n).items():
            src_index.setdefault(key, set()).add(number)
            src_forms.setdefault(key, Counter())[surface] += 1
        grams = _ngrams(tgt, target_lang, max_n)
        tgt_by_sentence.append(grams)
        for key, surface in grams.items():
            tgt_index.setdefault(key, set()).add(number)
            tgt_forms.setdefault(key, Counter())[surface] += 1
    known_src: set[tuple[str, ...]] = set()
    known_tgt: set[tuple[str, ...]] = set()
    if known is not None:
        for concept in known:
            for term in concept.terms:
                words = tuple(_word_key(t.text, term.lang) for t in tokenize(term.text))
                if lang_matches(term.lang, source_lang):
                    known_src.add(words)
                elif lang_matches(term.lang, target_lang):
                    known_tgt.add(words)
    frequent: list[tuple[str, ...]] = []
    for n in range(1, max_n + 1):  # the most frequent n-grams of each length
        of_length = [
            k
            for k, v in src_index.items()
            if len(k) == n and len(v) >= min_freq and k not in known_src
        ]
        of_length.sort(key=lambda k: (-len(src_index[k]), k))
        frequent.extend(of_length[: limit * 3])
    scored: list[tuple[float, Candidate]] = []
    for key in frequent:
        sentences = src_index[key]
        co: Counter[tuple[str, ...]] = Counter()
        for number in sentences:
            co.update(tgt_by_sentence[number].keys())
        best: tuple[float, tuple[str, ...], int] | None = None
        for tkey, count in co.items():
            if count < min_freq or tkey in known_tgt:
                continue
            dice = 2 * count / (len(sentences) + len(tgt_index[tkey]))
            rank = (dice, count, -abs(len(tkey) - len(key)))
            if best is None or rank > (best[0], best[2], -abs(len(best[1]) - len(key))):
                best = (dice, tkey, count)
        if best is None or best[0] < min_dice:
            continue
        dice, tkey, count = best
        example = min(sentences & tgt_index[tkey])
        scored.append(
            (
                count * dice * (1 + 0.5 * (len(key) - 1)),  # multiword terms first
                Candidate(
                    source=_display(src_forms[key], source_lang),
                    target=_display(tgt_forms[tkey], target_lang),
                    frequency=count,
                    dice=round(dice, 3),
                    example_source=pairs[example][0],
                    example_target=pairs[example][1],
                ),
            )
        )
    scored.sort(key=lambda item: (-item[0], item[1].source))
    return [candidate for _, candidate in scored[:limit]]


def read_parallel(source: str | Path, target: str | Path) -> list[tuple[str, str]]:
    """Sentence pairs from two line-aligned UTF-8 files (blank pairs skipped)."""
    from transpipe.terms.files import decode

    src_lines = decode(read_bytes(source), source).split("\n")
    tgt_lines = decode(read_bytes(target), target).split("\n")
    while src_lines and not src_lines[-1].strip():
        src_lines.pop()
    while tgt_lines and not tgt_lines[-1].strip():
        tgt_lines.pop()
    if len(src_lines) != len(tgt_lines):
        raise FormatError(
            f"files are not line-aligned: {len(src_lines)} vs {len(tgt_lines)} lines "
            f"({target} differs)",
            path=source,
        )
    return [(s, t) for s, t in zip(src_lines, tgt_lines, strict=True) if s.strip() and t.strip()]


def read_tmx_pairs(path: str | Path, source_lang: str, target_lang: str) -> list[tuple[str, str]]:
    """(source, target) segment texts of each unit having both languages, inline codes left
    out (any bilingual file :func:`transpipe.formats.registry.read_bitext` reads)."""
    from transpipe.formats.inline import strip_tokens
    from transpipe.formats.registry import read_bitext

    bitext = read_bitext(path, LanguagePair(source_lang, target_lang))
    pairs: list[tuple[str, str]] = []
    for unit in bitext.units:
        source, target = (" ".join(strip_tokens(t).split()) for t in (unit.source, unit.target))
        if source and target:
            pairs.append((source, target))
    return pairs

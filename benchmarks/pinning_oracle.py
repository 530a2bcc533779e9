"""Benchmark: term pinning on human translations - no harm, and violations restored.

Run: ``python benchmarks/pinning_oracle.py [--part no-harm|violations|both] [--sets a,b]
[--show N] [--limit N]``

Human references are correct translations, so pinning them measures two things without any MT
weights (the references are given to :meth:`TermPinner.pin` as the engine's translations; the
shipped ``ReferenceEngine`` over those same texts answers the pinner's ``translate`` and
``score`` calls, i.e. "the model" prefers what it already said):

1. **No harm.** For every reference set and direction (``../shared/eval``: newstest2019-2021
   and generaltest2022 both ways, TICO-19 both ways; the sample articles ``corpora/`` both
   ways) and every glossary (``glossary/csto.tsv``; the TICO-19 term lists, Facebook and
   Google, on TICO-19; a glossary of name and organisation pairs generated here from the same
   references), count the sentences with source term matches and the sentences the pinner
   changes, and classify each changed sentence:

   * *mandated*: every edit replaces a rendering of a matched concept that the glossary does
     not approve - a forbidden variant, or words sharing a stem with the approved term
     ("Совета по коллективной безопасности", a misspelt "иностраных") - by an approved form;
   * *damage*: anything else - words changed outside an approved term, an approved form
     re-inflected, a rendering with no lexical link to the concept replaced; *damaged names*
     are damage that touches a capitalised word (a personal or place name) of the reference.

   Target (issue 13): damage <= 0.5 % of the sentences with term matches, 0 damaged names.

2. **Violations.** In the same references, an approved rendering of a matched concept is
   replaced by a forbidden variant (the glossary's, or ``corpora/pinning/glossary.tsv``'s:
   "генсек", "Киргизия", "Совет по коллективной безопасности", "Secretary-General",
   "Kirghizia") or an unlisted synonym, in the same grammatical form (the variant's paradigm
   at the slot the approved surface has; a surface whose slot is ambiguous between different
   variant forms is skipped). The pinner gets the damaged sentence; *restored* = the output is
   the original reference again (ё = е); forbidden variants left in the output are counted.
   Targets: >= 95 % en->ru, >= 98 % ru->en, 0 left.

The generated glossary: capitalised word runs of the English side paired with capitalised runs
of the Russian side in the same line when every word transliterates alike (names: "Donald
Trump" / "Дональд Трамп"), and acronyms or capitalised multiword names that co-occur by line
(Dice >= 0.7, >= 3 lines: "NATO" / "НАТО", "European Union" / "Европейский союз"). The
Russian term is the observed surface that transliterates closest (names) or the shortest one
(organisations), ties by frequency - the nominative in most cases, found without the
morphology under test. ``--show-glossary`` prints it.

Needs ``../shared/eval`` (sets that are absent are skipped and said so).
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from transpipe.config import DecodingOptions, PinningOptions
from transpipe.engines.reference import ReferenceEngine, pair_references
from transpipe.lang.function_words import JOINING_WORDS
from transpipe.model import Hypothesis, LanguagePair, Span, TermMatch, TermStatus
from transpipe.pinning import TermPinner
from transpipe.pinning.agree import Features, phrase_features, reagree
from transpipe.pinning.evidence import head_word
from transpipe.pinning.inflect import Paradigm, fold, paradigm
from transpipe.pinning.locate import FormFinder
from transpipe.segment import segment_text
from transpipe.terms import CompiledGlossary, Concept, Glossary, Term, load_glossary

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVAL = SHARED / "eval"
EN_RU = LanguagePair("en", "ru")
RU_EN = LanguagePair("ru", "en")
WMT_SETS = ("newstest2019", "newstest2020", "newstest2021", "generaltest2022")

# Unlisted variants of approved terms (in no glossary) that keep the term's head word: the
# pinner finds them by the words they share with the term - another order, another spelling,
# in Russian another agreeing modifier. (A synonym of the head itself, «миротворческие
# войска» for «миротворческие силы», or an English modifier swap, "global organization", is
# left alone by design - nothing tells it from another concept - unless the glossary lists
# it as forbidden, as glossary/csto.tsv does for «миротворческие войска».)
SYNONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("csc", "en"): ("Council for Collective Security",),
    ("cfm", "en"): ("Foreign Ministers Council",),
    ("cfm", "ru"): ("Совет министров внешних дел",),
    ("secretary-general", "ru"): ("Главный секретарь",),
    ("bilateral-cooperation", "ru"): ("двухстороннее сотрудничество",),
    ("international-terrorism", "ru"): ("мировой терроризм",),
    ("international-organization", "en"): ("international organisation",),
}


# --------------------------------------------------------------------------- reference sets


@dataclass(frozen=True)
class RefSet:
    """Sources and their human translations for one set and direction."""

    name: str
    pair: LanguagePair
    sources: tuple[str, ...]
    references: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name} {self.pair}"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def wmt_sets(names: Sequence[str]) -> list[RefSet]:
    sets = []
    for name in names:
        for pair in (EN_RU, RU_EN):
            base = EVAL / "testsets" / f"{name}.{pair.source}-{pair.target}"
            src, ref = Path(f"{base}.{pair.source}"), Path(f"{base}.{pair.target}")
            if src.is_file() and ref.is_file():
                sets.append(RefSet(name, pair, tuple(_lines(src)), tuple(_lines(ref))))
    return sets


def tico_sets() -> list[RefSet]:
    base = EVAL / "testsets" / "tico19-test.en-ru"
    en, ru = Path(f"{base}.en"), Path(f"{base}.ru")
    if not (en.is_file() and ru.is_file()):
        return []
    english, russian = tuple(_lines(en)), tuple(_lines(ru))
    return [RefSet("tico19", EN_RU, english, russian), RefSet("tico19", RU_EN, russian, english)]


def corpus_sets() -> list[RefSet]:
    """The sample articles, segmented and paired by paragraph and sentence order."""
    sets = []
    for pair in (EN_RU, RU_EN):
        sources: list[str] = []
        references: list[str] = []
        for path in sorted((REPO / "corpora").glob(f"*.{pair.source}.txt")):
            other = path.with_name(path.name.replace(f".{pair.source}.", f".{pair.target}."))
            name = path.name.split(".")[0]
            source = segment_text(path.read_text(encoding="utf-8"), pair.source, name)
            target = segment_text(other.read_text(encoding="utf-8"), pair.target, name)
            for src_text, ref_text in pair_references(source, target).items():
                sources.append(src_text)
                references.append(ref_text)
        sets.append(RefSet("corpora", pair, tuple(sources), tuple(references)))
    return sets


# --------------------------------------------------------------------------- glossaries


def _concept(cid: str, terms: Iterable[Term]) -> Concept:
    return Concept(cid, tuple(terms))


_BRACKETS = re.compile(r"\s*\[([^\]]*)\]")
_PARENS = re.compile(r"\s*\(([^)]*)\)")


def _variants(text: str) -> list[str]:
    """A TICO-19 Google target: 'a : b' = two terms, '[x]' optional, '(x)' a gloss."""
    out: list[str] = []
    for part in text.split(" : "):
        part = part.strip()
        full = _PARENS.sub("", _BRACKETS.sub(r" \1", part)).strip()
        short = _PARENS.sub("", _BRACKETS.sub("", part)).strip()
        for candidate in (full, short):
            candidate = " ".join(candidate.split())
            if candidate and candidate not in out:
                out.append(candidate)
    return out


def tico_glossaries() -> list[tuple[str, Glossary]]:
    """The TICO-19 term lists as glossaries (Google's notation resolved into variants)."""
    folder = EVAL / "terminology"
    found = []
    for label, name in (
        ("tico-fb", "tico19.fb.en-ru.terms.csv"),
        ("tico-google", "tico19.google.en-ru.terms.csv"),
        ("tico-google-ru", "tico19.google.ru-en.terms.csv"),
    ):
        path = folder / name
        if not path.is_file():
            continue
        concepts = []
        for concept in load_glossary(path):
            terms: list[Term] = []
            for term in concept.terms:
                lang = term.lang.split("-")[0]
                for index, text in enumerate(_variants(term.text)):
                    status = TermStatus.PREFERRED if index == 0 else TermStatus.ADMITTED
                    terms.append(Term(lang, text, status))
            concepts.append(_concept(f"{label}-{concept.id}", terms))
        found.append((label, Glossary(tuple(concepts), name=label)))
    return found


_RU_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
_EN_WORD = r"[A-Z][a-z]+(?:[-'][A-Za-z][a-z]+)*"
_RU_NAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*"
_EN_RUN = re.compile(rf"(?<![\w'’-]){_EN_WORD}(?:\s+{_EN_WORD})*")
_RU_RUN = re.compile(rf"(?<![\w-]){_RU_NAME}(?:\s+{_RU_NAME})*")
_EN_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
_RU_ACRONYM = re.compile(r"(?<![А-ЯЁа-яё])[А-ЯЁ]{2,5}(?![А-ЯЁа-яё])")
_RU_WORD = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*")
_EN_STOP = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "To",
        "Of",
        "And",
        "But",
        "Or",
        "It",
        "He",
        "She",
        "We",
        "They",
        "I",
        "This",
        "That",
        "These",
        "Those",
        "His",
        "Her",
        "Its",
        "Their",
        "Our",
        "My",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)


def latin(word: str) -> str:
    """A rough Latin spelling of a Russian word (for comparing names across scripts)."""
    return "".join(_RU_LATIN.get(ch, ch) for ch in word.lower()).replace("-", "")


def _english_spellings(english: str) -> list[str]:
    """The English word, and with -y/-ia read as Russian -ия ("Germany" ~ "Германия")."""
    word = english.lower().replace("'", "")
    out = [word]
    if word.endswith("y"):
        out.append(word[:-1] + "iya")
    elif word.endswith("ia"):
        out.append(word[:-2] + "iya")
    return out


def _similarity(english: str, russian: str) -> float:
    return max(
        difflib.SequenceMatcher(None, e, latin(russian)).ratio()
        for e in _english_spellings(english)
    )


def _name_similarity(english: str, russian: str) -> float:
    """How alike an English word and a (possibly inflected) Russian word sound."""
    return max(
        _similarity(english, russian[: len(russian) - cut] if cut else russian)
        for cut in range(0, max(1, min(3, len(russian) - 2)))
    )


_ADJECTIVE_ENDINGS = (
    "ый",
    "ий",
    "ой",
    "ая",
    "яя",
    "ое",
    "ее",
    "ые",
    "ие",
    "ого",
    "его",
    "ому",
    "ему",
    "ым",
    "ым",
    "ых",
    "их",
    "ую",
    "юю",
)


def _citation_like(english: str, russian: str) -> bool:
    """The Russian word reads as the English one in its dictionary form: no case ending
    beyond what the English has ("Эрдоган", not "Эрдогана"; "Германия" for "Germany"), no
    adjective ending ("Центральный" is not a name)."""
    if len(russian) > 4 and russian.lower().endswith(_ADJECTIVE_ENDINGS):
        return False
    whole = _similarity(english, russian)
    cut = max(
        (_similarity(english, russian[:-n]) for n in (1, 2) if len(russian) - n >= 2),
        default=0.0,
    )
    return cut <= whole + 0.02


def _key(words: Sequence[str]) -> str:
    return " ".join(fold(w)[:5] for w in words)


def _runs(pattern: re.Pattern[str], text: str, max_words: int) -> list[tuple[int, list[str]]]:
    """Capitalised runs of up to ``max_words`` words (every sub-run), with their offsets."""
    out = []
    for match in pattern.finditer(text):
        words = match.group().split()
        for size in range(min(len(words), max_words), 0, -1):
            for start in range(0, len(words) - size + 1):
                out.append((match.start(), words[start : start + size]))
    return out


@dataclass
class _Pairing:
    lines: int = 0
    surfaces: Counter[str] = field(default_factory=Counter)
    similarity: dict[str, float] = field(default_factory=dict)


def generated_glossary(pairs: Sequence[tuple[str, str]]) -> tuple[Glossary, set[str]]:
    """Name and organisation pairs found in ``(english, russian)`` lines; the set of concept
    ids that are personal or place names (transliterated pairs)."""
    names: dict[str, dict[str, _Pairing]] = defaultdict(dict)
    en_lines: Counter[str] = Counter()
    for english, russian in pairs:
        ru_runs = _runs(_RU_RUN, russian, 3)
        seen: set[tuple[str, str]] = set()
        for start, words in _runs(_EN_RUN, english, 3):
            if (start == 0 and len(words) == 1) or any(w in _EN_STOP for w in words):
                continue
            phrase = " ".join(words)
            en_lines[phrase] += 1
            for _, ru_words in ru_runs:
                if len(ru_words) != len(words):
                    continue
                sims = [_name_similarity(e, r) for e, r in zip(words, ru_words, strict=True)]
                if min(sims) < 0.75:
                    continue
                key = _key(ru_words)
                surface = " ".join(ru_words)
                entry = names[phrase].setdefault(key, _Pairing())
                if (phrase, key) not in seen:
                    entry.lines += 1
                    seen.add((phrase, key))
                entry.surfaces[surface] += 1
                entry.similarity[surface] = sum(sims) / len(sims)
    concepts: list[Concept] = []
    name_ids: set[str] = set()
    used_en: set[str] = set()
    used_ru: set[str] = set()
    for phrase in sorted(names, key=lambda p: (-len(p.split()), p)):
        key, best = max(names[phrase].items(), key=lambda kv: kv[1].lines)
        if best.lines < 2 or best.lines < 0.5 * en_lines[phrase]:
            continue
        surface = max(
            best.surfaces,
            key=lambda s: (round(best.similarity[s], 2), -len(s), best.surfaces[s]),
        )
        if (
            phrase in used_en
            or surface in used_ru
            or not all(
                _citation_like(e, r) for e, r in zip(phrase.split(), surface.split(), strict=True)
            )
        ):
            continue
        used_en.add(phrase)
        used_ru.add(surface)
        cid = f"name-{len(concepts)}"
        concepts.append(_concept(cid, (Term("en", phrase), Term("ru", surface))))
        name_ids.add(cid)
    concepts.extend(_organisations(pairs, set(names), used_ru, len(concepts)))
    return Glossary(tuple(concepts), name="generated"), name_ids


_OBLIQUE_ADJECTIVE = (
    "ого",
    "его",
    "ому",
    "ему",
    "ым",
    "им",
    "ую",
    "юю",
    "ых",
    "их",
    "ыми",
    "ими",
    "ской",
    "цкой",
    "ной",
    "ей",
)
_RU_FUNCTION = frozenset(
    ["в", "во", "на", "о", "об", "по", "с", "со", "к", "и", "а", "у", "за", "из", "от", "до"]
)


def _nominative_like(surface: str) -> bool:
    """An organisation's name in the nominative, by its spelling: an acronym, or words of
    which some are lower case (a run of capitalised words is a person's name: "Холли
    Уиллоби"), none with an oblique ending ("Верховный суд", not "Демократической
    партии", "Главном ...") and no function word at the end ("Комиссия по")."""
    words = surface.split()
    if len(words) == 1 and surface.isupper():
        return True
    return (
        any(w[:1].islower() for w in words)
        and words[-1].lower() not in _RU_FUNCTION
        and not any(
            w.lower().endswith(_OBLIQUE_ADJECTIVE)
            or (len(w) > 4 and w.lower().endswith(("ом", "ем")))
            for w in words
        )
    )


def _organisations(
    pairs: Sequence[tuple[str, str]], name_like: set[str], used_ru: set[str], first: int
) -> list[Concept]:
    """Acronyms (to acronyms) and capitalised multiword names (to Russian phrases of as many
    words starting with a capital) that co-occur line by line: Dice >= 0.7 over >= 3 lines;
    the Russian term is the shortest observed surface that reads as a nominative."""
    en_count: Counter[str] = Counter()
    ru_count: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    ru_surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    for english, russian in pairs:
        en_items = {m.group() for m in _EN_ACRONYM.finditer(english)}
        en_items |= {
            " ".join(w)
            for _, w in _runs(_EN_RUN, english, 3)
            if len(w) >= 2 and not any(x in _EN_STOP for x in w)
        }
        en_items -= name_like
        ru_items: set[str] = set()
        for match in _RU_ACRONYM.finditer(russian):
            ru_items.add(match.group())
            ru_surfaces[match.group()][match.group()] += 1
        tokens = list(_RU_WORD.finditer(russian))
        for index, token in enumerate(tokens):
            if not token.group()[:1].isupper() or token.group().isupper():
                continue
            for size in (2, 3):
                chunk = tokens[index : index + size]
                if len(chunk) < size or any(
                    russian[a.end() : b.start()] != " " for a, b in itertools.pairwise(chunk)
                ):
                    continue
                words = [t.group() for t in chunk]
                key = _key(words)
                ru_items.add(key)
                ru_surfaces[key][" ".join(words)] += 1
        en_count.update(en_items)
        ru_count.update(ru_items)
        both.update((e, r) for e in en_items for r in ru_items)
    best: dict[str, tuple[float, str]] = {}
    for (e, r), n in both.items():
        if n < 3 or e.isupper() != r.isupper() or len(e.split()) != len(r.split()):
            continue
        dice = 2 * n / (en_count[e] + ru_count[r])
        if dice >= 0.7 and dice > best.get(e, (0.0, ""))[0]:
            best[e] = (dice, r)
    concepts: list[Concept] = []
    taken: set[str] = set()
    for english, (_, key) in sorted(best.items()):
        surfaces = [s for s in ru_surfaces[key] if _nominative_like(s)]
        if key in taken or not surfaces:
            continue
        surface = min(surfaces, key=lambda s: (len(s), -ru_surfaces[key][s]))
        if surface in used_ru:
            continue
        taken.add(key)
        cid = f"org-{first + len(concepts)}"
        concepts.append(_concept(cid, (Term("en", english), Term("ru", surface))))
    return concepts


# --------------------------------------------------------------------------- one pinning run


def matches_of(glossary: Glossary, refset: RefSet) -> list[tuple[TermMatch, ...]]:
    terms = CompiledGlossary(glossary)
    return [terms.find(s, refset.pair.source) for s in refset.sources]


def pin_texts(
    glossary: Glossary,
    pair: LanguagePair,
    sources: Sequence[str],
    texts: Sequence[str],
    matches: Sequence[Sequence[TermMatch]],
    options: PinningOptions,
) -> list[str]:
    """The pinner's output for ``texts`` given as the engine's translations of ``sources``;
    the engine (for any re-decoding or scoring) is the reference engine over those texts."""
    engine = ReferenceEngine(dict(zip(sources, texts, strict=True)), DecodingOptions())
    pinner = TermPinner(glossary, pair, engine, options)
    results = pinner.pin(sources, [Hypothesis(t) for t in texts], matches)
    return [r.hypothesis.text for r in results]


class ConceptForms:
    """Approved and forbidden finders of each concept in the target language (cached)."""

    def __init__(self, glossary: Glossary, lang: str) -> None:
        self.glossary = glossary
        self.lang = lang
        self._paradigms: dict[str, Paradigm] = {}
        self._approved: dict[str, FormFinder] = {}
        self._forbidden: dict[str, FormFinder] = {}

    def paradigm(self, term: str) -> Paradigm:
        if term not in self._paradigms:
            self._paradigms[term] = paradigm(term, self.lang)
        return self._paradigms[term]

    def approved(self, cid: str) -> FormFinder:
        if cid not in self._approved:
            terms = [
                t.text
                for t in self.glossary.terms(cid, self.lang)
                if t.status is not TermStatus.FORBIDDEN
            ]
            self._approved[cid] = FormFinder(tuple(self.paradigm(t) for t in terms))
        return self._approved[cid]

    def forbidden(self, cid: str) -> FormFinder:
        if cid not in self._forbidden:
            terms = self.glossary.forbidden(cid, self.lang)
            self._forbidden[cid] = FormFinder(tuple(self.paradigm(t) for t in terms))
        return self._forbidden[cid]

    def heads(self, cid: str) -> set[str]:
        """Head words of the concept's approved terms (what a variant of it must share)."""
        return {
            fold(head)
            for par in self.approved(cid).paradigms
            if (head := head_word(par)) is not None
        }

    def approved_words(self, cid: str) -> set[str]:
        return {t[2] for par in self.approved(cid).paradigms for t in _tokens(par.term)}


# --------------------------------------------------------------------------- no harm

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(text)]


def _common_prefix(words: Sequence[str]) -> str:
    first, second = words
    size = 0
    while size < min(len(first), len(second)) and first[size] == second[size]:
        size += 1
    return first[:size]


def _stem_linked(words: Iterable[str], approved: set[str]) -> bool:
    """Some content word shares its first letters (all but an ending) with an approved word,
    or is a spelling variant of one ("adulatipov" / "abdulatipov")."""
    for word in words:
        if word in JOINING_WORDS or not word[:1].isalpha():
            continue
        for other in approved:
            common = _common_prefix([word, other])
            if len(common) >= max(3, min(len(word), len(other)) - 3):
                return True
            if difflib.SequenceMatcher(None, word, other).ratio() >= 0.8:
                return True
    return False


def _reinflection(removed: Sequence[str], inserted: Sequence[str]) -> bool:
    """The same words with other endings: an approved form put into another form."""
    if len(removed) != len(inserted) or not removed:
        return False
    for a, b in zip(removed, inserted, strict=True):
        common = _common_prefix([a, b])
        if a != b and (
            not (a.isalpha() and b.isalpha())
            or len(common) < 3
            or max(len(a), len(b)) - len(common) > 3
        ):
            return False
    return True


@dataclass(frozen=True)
class Verdict:
    mandated: bool
    touches_name: bool
    reason: str
    kind: str = ""  # of a mandated change: "forbidden", "same words", "modifier"


def classify(original: str, pinned: str, needed: Sequence[str], forms: ConceptForms) -> Verdict:
    """Whether the pinner's edits of ``original`` are glossary-mandated (see the module doc)."""
    old, new = _tokens(original), _tokens(pinned)
    matcher = difflib.SequenceMatcher(None, [t[2] for t in old], [t[2] for t in new], False)
    approved_new: list[tuple[Span, str]] = [
        (span, cid) for cid in needed for span in forms.approved(cid).find(pinned)
    ]
    blocks = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    touches_name = False
    kinds: set[str] = set()
    for _, i1, i2, j1, j2 in blocks:
        a = old[i1][0] if i1 < len(old) else len(original)
        b = old[i2 - 1][1] if i2 > i1 else a
        if any(
            original[s:e][:1].isupper()
            and s > 0
            and not original[:s].rstrip().endswith((".", "!", "?"))
            for s, e, _ in old[i1:i2]
        ):
            touches_name = True
        if j2 > j1:
            c, d = new[j1][0], new[j2 - 1][1]
            holder = next(
                ((sp, cid) for sp, cid in approved_new if sp.start <= c and d <= sp.end), None
            )
        else:  # a deletion: the point between two kept tokens must touch an approved term
            after = new[j1 - 1][1] if j1 > 0 else 0
            before = new[j1][0] if j1 < len(new) else len(pinned)
            holder = next(
                (
                    (sp, cid)
                    for sp, cid in approved_new
                    if sp.start < after <= sp.end or sp.start <= before < sp.end
                ),
                None,
            )
        if holder is None:
            reason = f"edit outside any approved term: {original[a:b]!r}"
            return Verdict(False, touches_name, reason)
        span, cid = holder
        # the original words that became this approved form
        first = min(i for i, t in enumerate(new) if t[0] >= span.start)
        last = max(i for i, t in enumerate(new) if t[1] <= span.end)
        lo, hi = _map_range(matcher, first, last + 1)
        rendering = original[old[lo][0] : old[hi - 1][1]] if hi > lo else ""
        rendering_words = [t[2] for t in old[lo:hi]]
        if forms.forbidden(cid).find(rendering):
            kinds.add("forbidden")
            continue
        if forms.approved(cid).find(rendering):
            return Verdict(False, touches_name, f"approved form {rendering!r} rewritten")
        inserted = [t[2] for t in new[first : last + 1]]
        if _reinflection(rendering_words, inserted):
            return Verdict(False, touches_name, f"{rendering!r} re-inflected")
        content = [w for w in rendering_words if w[:1].isalpha()]
        heads = forms.heads(cid)
        if (
            not content
            or content[0] in JOINING_WORDS
            or content[-1] in JOINING_WORDS
            or len(content) > len(inserted) + 1
            or not _stem_linked(content, heads or forms.approved_words(cid))
        ):
            return Verdict(False, touches_name, f"{rendering!r} has no link to {cid}")
        approved = forms.approved_words(cid)
        same = all(_stem_linked([w], approved) for w in content if w not in JOINING_WORDS)
        kinds.add("same words" if same else "modifier")
    kind = next(k for k in ("modifier", "same words", "forbidden", "") if k in kinds or not k)
    return Verdict(True, touches_name, "", kind)


def _map_range(matcher: difflib.SequenceMatcher[str], j_lo: int, j_hi: int) -> tuple[int, int]:
    """The tokens of the first sequence that became ``[j_lo, j_hi)`` of the second (words
    deleted right at its edges included)."""
    lo: int | None = None
    hi: int | None = None
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            a, b = max(j1, j_lo), min(j2, j_hi)
            if a >= b:
                continue
            start, end = i1 + a - j1, i1 + b - j1
        elif tag == "delete":
            if not j_lo <= j1 <= j_hi:
                continue
            start, end = i1, i2
        elif j1 < j_hi and j2 > j_lo:
            start, end = i1, i2
        else:
            continue
        lo = start if lo is None else min(lo, start)
        hi = end if hi is None else max(hi, end)
    return (lo or 0, hi or 0)


def _edits(original: str, pinned: str) -> str:
    """The changed words with two words of context: "a [b -> c] d"."""
    old, new = original.split(), pinned.split()
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, False).get_opcodes():
        if tag != "equal":
            left = " ".join(old[max(0, i1 - 2) : i1])
            parts.append(
                f"{left} [{' '.join(old[i1:i2])} -> {' '.join(new[j1:j2])}] "
                + " ".join(old[i2 : i2 + 2])
            )
    return "; ".join(parts)


@dataclass
class HarmRow:
    label: str
    glossary: str
    sentences: int = 0
    with_terms: int = 0
    changed: int = 0
    mandated: int = 0
    damaged: int = 0
    damaged_names: int = 0
    examples: list[tuple[str, str, str, str]] = field(default_factory=list)
    mandated_examples: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def damage_rate(self) -> float:
        return self.damaged / self.with_terms if self.with_terms else 0.0


def no_harm(
    refset: RefSet,
    label: str,
    glossary: Glossary,
    options: PinningOptions,
    name_ids: set[str],
) -> HarmRow:
    row = HarmRow(refset.label, label, sentences=len(refset.sources))
    found = matches_of(glossary, refset)
    todo = [i for i, m in enumerate(found) if m]
    row.with_terms = len(todo)
    pinned = pin_texts(
        glossary,
        refset.pair,
        [refset.sources[i] for i in todo],
        [refset.references[i] for i in todo],
        [found[i] for i in todo],
        options,
    )
    forms = ConceptForms(glossary, refset.pair.target)
    for i, text in zip(todo, pinned, strict=True):
        original = refset.references[i]
        if text == original:
            continue
        row.changed += 1
        needed = list(dict.fromkeys(m.concept_id for m in found[i]))
        verdict = classify(original, text, needed, forms)
        if verdict.mandated:
            row.mandated += 1
            row.kinds[verdict.kind] += 1
            row.mandated_examples.append(_edits(original, text))
            continue
        row.damaged += 1
        name_concept = any(cid in name_ids for cid in needed)
        if verdict.touches_name or name_concept:
            row.damaged_names += 1
        row.examples.append((refset.sources[i], original, text, verdict.reason))
    return row


# --------------------------------------------------------------------------- violations


@dataclass
class ViolationRow:
    label: str
    glossary: str
    injected: int = 0
    restored: int = 0
    other_change: int = 0
    untouched: int = 0
    left: int = 0
    skipped_ambiguous: int = 0
    skipped_agreement: int = 0
    agreement: int = 0  # injected cases whose other words changed with the variant
    examples: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.restored / self.injected if self.injected else 0.0


def _variants_of(glossary: Glossary, cid: str, lang: str) -> list[tuple[str, bool]]:
    """(variant, is forbidden) for a concept: its forbidden terms and the unlisted synonyms."""
    out = [(t, True) for t in glossary.forbidden(cid, lang)]
    approved = {t.text for t in glossary.terms(cid, lang) if t.status is not TermStatus.FORBIDDEN}
    out += [(s, False) for s in SYNONYMS.get((cid, lang), ()) if s not in approved]
    return out


def _same_case(form: str, original: str) -> str:
    if original[:1].isupper():
        return form[:1].upper() + form[1:]
    if original[:1].islower() and not form[1:2].isupper():
        return form[:1].lower() + form[1:]
    return form


def _features(surface: str, case: str, lang: str) -> Features | None:
    if lang == "ru":
        return phrase_features(surface, case)
    last = surface.split()[-1] if surface.split() else ""
    return Features("", "plur" if last.endswith("s") and not last.endswith("ss") else "sing")


def violations(
    refset: RefSet, label: str, glossary: Glossary, options: PinningOptions
) -> ViolationRow:
    row = ViolationRow(refset.label, label)
    lang = refset.pair.target
    found = matches_of(glossary, refset)
    forms = ConceptForms(glossary, lang)
    cases: list[tuple[int, str, str]] = []  # (line, damaged text, variant)
    for i, matches in enumerate(found):
        reference = refset.references[i]
        for match in matches:
            expected = next((t for lg, t in match.preferred if lg == lang), "")
            variants = _variants_of(glossary, match.concept_id, lang)
            if not expected or expected.isupper() or not variants:
                continue  # (an abbreviation has no variant of its own)
            approved = forms.paradigm(expected)
            spans = FormFinder((approved,)).find(reference)
            if len(spans) != 1:
                continue
            span = spans[0]
            surface = reference[span.start : span.end]
            slots = approved.slots_of(surface)
            for variant, _ in variants:
                par = forms.paradigm(variant)
                choices = {par.form(slot) for slot in slots if any(s == slot for s, _ in par.forms)}
                if len(choices) != 1:
                    row.skipped_ambiguous += 1
                    continue
                form = _same_case(choices.pop(), surface)
                # the damaged sentence agrees with the variant («Киргизия заявила» for
                # «Кыргызстан заявил»); one whose agreement cannot be made is skipped
                case = slots[0].case if slots else ""
                damaged = reagree(
                    reference,
                    span,
                    form,
                    lang,
                    case=case,
                    old=_features(surface, case, lang),
                    new=Features(str(par.gender or ""), slots[0].number if slots else "sing"),
                )
                if damaged is None:
                    row.skipped_agreement += 1
                elif damaged != reference:
                    row.agreement += damaged.replace(form, "") != reference.replace(surface, "")
                    cases.append((i, damaged, variant))
            break  # one violation per sentence and variant: the sentence's first concept
    if not cases:
        return row
    sources = [refset.sources[i] for i, _, _ in cases]
    pinned = pin_texts(
        glossary,
        refset.pair,
        sources,
        [d for _, d, _ in cases],
        [found[i] for i, _, _ in cases],
        options,
    )
    all_forbidden = FormFinder(
        tuple(
            forms.paradigm(t.text)
            for c in glossary
            for t in c.terms_in(lang)
            if t.status is TermStatus.FORBIDDEN
        )
    )
    for (i, damaged, variant), text in zip(cases, pinned, strict=True):
        row.injected += 1
        original = refset.references[i]
        row.left += len(all_forbidden.find(text)) - len(all_forbidden.find(original))
        if fold(text) == fold(original):
            row.restored += 1
            continue
        if text == damaged:
            row.untouched += 1
        else:
            row.other_change += 1
        row.examples.append((original, damaged, text, variant))
    return row


# --------------------------------------------------------------------------- main


def cpu_isa() -> str:
    try:
        flags = set(Path("/proc/cpuinfo").read_text(encoding="utf-8").split())
    except OSError:
        return "?"
    found = [
        n
        for n, f in (("AVX2", "avx2"), ("AVX-512", "avx512f"), ("VNNI", "avx512_vnni"))
        if f in flags
    ]
    return "+".join(found) or "none"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--part", choices=("no-harm", "violations", "both"), default="both")
    parser.add_argument("--sets", default="", help="comma-separated set names (default: all)")
    parser.add_argument("--limit", type=int, default=0, help="first N lines of each set")
    parser.add_argument("--show", type=int, default=0, help="print N failures per row")
    parser.add_argument(
        "--show-mandated", type=int, default=0, help="print N glossary-mandated changes per row"
    )
    parser.add_argument("--show-glossary", action="store_true")
    args = parser.parse_args(argv)
    if not EVAL.is_dir():
        print(f"skipped: {EVAL} is absent", file=sys.stderr)
    wanted = set(filter(None, args.sets.split(",")))
    refsets = wmt_sets(WMT_SETS) + tico_sets() + corpus_sets()
    refsets = [r for r in refsets if not wanted or r.name in wanted]
    if args.limit:
        refsets = [
            RefSet(r.name, r.pair, r.sources[: args.limit], r.references[: args.limit])
            for r in refsets
        ]
    options = PinningOptions()
    csto = load_glossary(REPO / "glossary" / "csto.tsv")
    testset_glossary = load_glossary(REPO / "corpora" / "pinning" / "glossary.tsv")
    tico = tico_glossaries()
    started = time.process_time()
    harm_rows: list[HarmRow] = []
    violation_rows: list[ViolationRow] = []
    for refset in refsets:
        english, russian = (
            (refset.sources, refset.references)
            if refset.pair == EN_RU
            else (refset.references, refset.sources)
        )
        generated, name_ids = generated_glossary(list(zip(english, russian, strict=True)))
        if args.show_glossary:
            print(f"## generated glossary of {refset.label}: {len(generated)} concepts")
            for concept in generated:
                print("   ", " / ".join(t.text for t in concept.terms))
        glossaries = [("csto", csto), ("generated", generated)]
        if refset.name == "tico19":
            glossaries += tico
        if args.part in ("no-harm", "both"):
            for label, glossary in glossaries:
                harm_rows.append(no_harm(refset, label, glossary, options, name_ids))
        if args.part in ("violations", "both"):
            for label, glossary in (("csto", csto), ("testset", testset_glossary)):
                violation_rows.append(violations(refset, label, glossary, options))
    print(
        f"load {os.getloadavg()[0]:.1f}, CPU ISA {cpu_isa()}, "
        f"{time.process_time() - started:.0f} s CPU"
    )
    if harm_rows:
        print_harm(harm_rows, args.show, args.show_mandated)
    if violation_rows:
        print_violations(violation_rows, args.show)
    return 0


def print_harm(rows: Sequence[HarmRow], show: int, show_mandated: int) -> None:
    print()
    print("No harm (references as the engine's output)")
    print()
    print(
        "| set | dir | glossary | sentences | with term matches | changed "
        "| mandated: forbidden / same words / modifier | damaged | damaged names | damage % |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        name, direction = r.label.split(" ")
        kinds = " / ".join(str(r.kinds[k]) for k in ("forbidden", "same words", "modifier"))
        print(
            f"| {name} | {direction} | {r.glossary} | {r.sentences} | {r.with_terms} "
            f"| {r.changed} | {r.mandated}: {kinds} | {r.damaged} | {r.damaged_names} "
            f"| {r.damage_rate:.2%} |"
        )
    for r in rows:
        for edit in r.mandated_examples[:show_mandated]:
            print(f"[{r.label} {r.glossary}] mandated: {edit}")
    for r in rows:
        for source, original, text, reason in r.examples[:show]:
            print(
                f"\n[{r.label} {r.glossary}] {reason}\n  S: {source}\n  R: {original}\n  P: {text}"
            )


def print_violations(rows: Sequence[ViolationRow], show: int) -> None:
    print()
    print("Violations (an approved rendering replaced by a variant in the same form)")
    print()
    print(
        "| set | dir | glossary | injected (with agreement) | restored exactly | other change "
        "| untouched | forbidden left | skipped: ambiguous slot / agreement | restored % |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if not r.injected and not r.skipped_ambiguous and not r.skipped_agreement:
            continue
        name, direction = r.label.split(" ")
        print(
            f"| {name} | {direction} | {r.glossary} | {r.injected} ({r.agreement}) "
            f"| {r.restored} | {r.other_change} | {r.untouched} | {r.left} "
            f"| {r.skipped_ambiguous} / {r.skipped_agreement} | {r.rate:.1%} |"
        )
    for direction in ("en-ru", "ru-en"):
        mine = [r for r in rows if r.label.endswith(direction)]
        injected = sum(r.injected for r in mine)
        restored = sum(r.restored for r in mine)
        left = sum(r.left for r in mine)
        if injected:
            print(
                f"| all | {direction} | all | {injected} ({sum(r.agreement for r in mine)}) "
                f"| {restored} | | | {left} | | {restored / injected:.1%} |"
            )
    for r in rows:
        for original, damaged, text, variant in r.examples[:show]:
            print(
                f"\n[{r.label} {r.glossary}] variant {variant!r}\n  R: {original}\n"
                f"  D: {damaged}\n  P: {text}"
            )


if __name__ == "__main__":
    sys.exit(main())

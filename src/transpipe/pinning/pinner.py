"""The pinning mechanism: translate, verify the glossary terms, force or repair, audit.

Owns :class:`TermPinner`. It uses only the public Engine API (``translate`` with target
``prefixes`` and forced-decoding ``score``), so it works the same for every engine:

1. start from the engine's own translations: ``pin`` takes them (the pipeline's engine stage
   made them), ``translate`` makes them with one plain ``engine.translate`` call - exactly
   the call an unpinned run makes, so sentences without glossary matches come out
   byte-identical;
2. for each sentence with matches, look for an approved target form of each matched concept
   (any inflection, via :mod:`transpipe.pinning.inflect`) and for forbidden forms;
3. where a concept is missing (or a forbidden form is present), locate the model's own
   rendering (forbidden variant, lemma overlap, or every short window), choose the slots the
   context needs (case/number of the replaced words + governing preposition; English
   number/possessive) and build candidates:
   (b) *repair*: replace the rendering by the inflected approved form (always);
   (a) *pin*: when the approved form changes agreement (another number, or another gender of
       a Russian singular subject), also re-decode with a prefix that ends in the inflected
       form at the place where the rendering started and let the model continue, so it can
       re-inflect what follows ("Кыргызстан принимал"); a continuation that keeps less than
       ``min_tail_similarity`` of the original tail is a different sentence and is dropped;
4. keep the candidates that contain every required term and no forbidden form, and pick the
   one the model scores highest (``engine.score``; a lone candidate needs no score);
5. audit each source term occurrence: HONOURED, PINNED, REPAIRED or FAILED.

Only sentences that need it are re-decoded and scored, in one batch per round. A rewritten
sentence keeps the engine's score of its final text (``Hypothesis.score``), so quality
estimation has the engine's confidence for it too: the score computed to rank it, else the
decoding score of its re-decoding, else one more ``engine.score`` batch at the end for the
rewritten sentences whose final text no call has scored.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from transpipe.config import PinningOptions
from transpipe.engines.base import Engine
from transpipe.lang import english
from transpipe.model import (
    Hypothesis,
    LanguagePair,
    Span,
    TermAudit,
    TermMatch,
    TermOutcome,
    TermStatus,
)
from transpipe.pinning.agree import Features, phrase_features, reagree
from transpipe.pinning.evidence import best_evidence, plausible, reordered
from transpipe.pinning.inflect import (
    Paradigm,
    Slot,
    capitalise_first,
    changes_agreement,
    choose_slots,
    fold,
    paradigm,
    words,
)
from transpipe.pinning.locate import FormFinder, lemmas, rendering_windows
from transpipe.pinning.nearforms import near_forms
from transpipe.terms import CompiledGlossary, Glossary, TermMatcher

_SENTENCE_END = (".", "!", "?", "…")


@dataclass(frozen=True)
class PinnedTranslation:
    """A translation with its term audit (one record per source term occurrence)."""

    hypothesis: Hypothesis
    audit: tuple[TermAudit, ...] = ()
    target_terms: tuple[TermMatch, ...] | None = None
    """The target matcher's terms in ``hypothesis.text`` when pinning matched that text
    (``None``: not matched here; the pipeline matches it once after the chain)."""


@dataclass(frozen=True)
class _Concept:
    """What a concept accepts in the target: every approved or admitted term (any of them
    honours any occurrence: an abbreviation after the full name, the full name after an
    abbreviation), and its forbidden terms."""

    concept_id: str
    approved: FormFinder
    forbidden: FormFinder
    terms: tuple[str, ...]  # the approved and admitted target terms, preferred first


@dataclass
class _Sentence:
    """Mutable working state of one sentence while it is being pinned."""

    index: int
    source: str
    text: str
    needed: Counter[str]
    expected: dict[str, list[str]]  # concept id -> the term each occurrence expects, in order
    honoured: Counter[str]
    score: float | None  # the engine's score of ``text``, when some call computed it
    fixed: dict[str, TermOutcome] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Candidate:
    sentence: int
    concept_id: str
    text: str
    outcome: TermOutcome
    score: float | None = None  # the decoding score of a re-decoded candidate


def _proper(term: str) -> bool:
    """A term written with a capital (a name, an abbreviation): it keeps its number."""
    return term[:1].isupper()


def _tail_similarity(prefix: str, repaired: str, decoded: str) -> float:
    """Word-level similarity of what follows ``prefix`` in the repair and in the re-decoding."""
    core = prefix.rstrip()
    if not decoded.startswith(core):
        return 0.0
    expected = [fold(w) for _, _, w in words(repaired[len(core) :])]
    got = [fold(w) for _, _, w in words(decoded[len(core) :])]
    if not expected and not got:
        return 1.0
    return difflib.SequenceMatcher(None, expected, got, autojunk=False).ratio()


class TermPinner:
    """Translates sentences so that the glossary's approved target terms appear, inflected."""

    def __init__(
        self,
        glossary: Glossary,
        pair: LanguagePair,
        engine: Engine,
        options: PinningOptions = PinningOptions(),  # noqa: B008 - frozen value
        *,
        terms: CompiledGlossary | None = None,
    ) -> None:
        self.glossary = glossary
        self.pair = pair
        self.engine = engine
        self.options = options
        # the run's compiled glossary (its target matcher recognises honoured terms)
        self.terms = terms if terms is not None else CompiledGlossary(glossary)
        self._concepts: dict[str, _Concept | None] = {}
        self._paradigms: dict[str, Paradigm] = {}
        self._target_matches: dict[str, tuple[TermMatch, ...]] = {}
        self._persons: dict[str, tuple[str, ...]] = {}
        self._glossary_lemmas: frozenset[str] | None = None

    # ------------------------------------------------------------------ public API

    def translate(
        self, sources: Sequence[str], matches: Sequence[Sequence[TermMatch]]
    ) -> list[PinnedTranslation]:
        """Translate ``sources``; ``matches[i]`` are the glossary terms found in ``sources[i]``."""
        if len(matches) != len(sources):
            raise ValueError(f"{len(sources)} sources but {len(matches)} match lists")
        return self.pin(sources, self.engine.translate(list(sources), self.pair), matches)

    def pin(
        self,
        sources: Sequence[str],
        plain: Sequence[Hypothesis],
        matches: Sequence[Sequence[TermMatch]],
    ) -> list[PinnedTranslation]:
        """Enforce the glossary on ``plain[i]``, the engine's translation of ``sources[i]``."""
        if not len(sources) == len(plain) == len(matches):
            raise ValueError(
                f"{len(sources)} sources, {len(plain)} translations, {len(matches)} match lists"
            )
        states: list[_Sentence] = []
        for index, (source, hypothesis, found) in enumerate(
            zip(sources, plain, matches, strict=True)
        ):
            expected: dict[str, list[str]] = {}
            for match in found:
                if self._concept(match.concept_id) is not None:
                    expected.setdefault(match.concept_id, []).append(self._expected(match))
            if not expected:
                continue
            needed = Counter({cid: len(terms) for cid, terms in expected.items()})
            state = _Sentence(
                index, source, hypothesis.text, needed, expected, Counter(), hypothesis.score
            )
            for concept_id, count in needed.items():
                concept = self._concepts[concept_id]
                if concept is not None and not self._forbidden(concept, hypothesis.text):
                    present = len(self._present(state, concept, hypothesis.text))
                    state.honoured[concept_id] = min(present, count)
            states.append(state)
        for _ in range(self.options.max_rounds):
            todo = [(s, c) for s in states if (c := self._next_missing(s)) is not None]
            if not todo:
                break
            self._fix_round(todo)
        self._score_rewritten([s for s in states if s.text != plain[s.index].text])
        by_index = {s.index: s for s in states}
        results = []
        for index, (hypothesis, found) in enumerate(zip(plain, matches, strict=True)):
            done = by_index.get(index)
            if done is None:
                results.append(PinnedTranslation(hypothesis, self._unpinnable_audit(found)))
                continue
            new_hypothesis = hypothesis
            if done.text != hypothesis.text:
                new_hypothesis = replace(hypothesis, text=done.text, score=done.score, tokens=())
            audit = self._audit(done, found)
            results.append(
                PinnedTranslation(new_hypothesis, audit, self._target_matches.get(done.text))
            )
        self._target_matches.clear()
        return results

    def _score_rewritten(self, states: Sequence[_Sentence]) -> None:
        """One ``engine.score`` batch for rewritten sentences whose final text has no score."""
        unscored = [s for s in states if s.score is None]
        if not unscored:
            return
        values = self.engine.score(
            [s.source for s in unscored], [s.text for s in unscored], self.pair
        )
        for state, value in zip(unscored, values, strict=True):
            state.score = value

    # ------------------------------------------------------------------ concepts

    def _paradigm(self, term: str) -> Paradigm:
        if term not in self._paradigms:
            self._paradigms[term] = paradigm(term, self.pair.target)
        return self._paradigms[term]

    def _concept(self, concept_id: str) -> _Concept | None:
        """The concept's accepted and forbidden target terms (None: nothing to enforce)."""
        if concept_id in self._concepts:
            return self._concepts[concept_id]
        target = self.pair.target
        usable = [
            term
            for term in self.glossary.terms(concept_id, target)
            if term.status is not TermStatus.FORBIDDEN and term.text.strip()
        ]
        usable.sort(key=lambda t: t.status is not TermStatus.PREFERRED)  # stable: preferred first
        terms = tuple(dict.fromkeys(t.text for t in usable))
        concept: _Concept | None = None
        if terms:
            forbidden = [t for t in self.glossary.forbidden(concept_id, target) if t not in terms]
            concept = _Concept(
                concept_id,
                FormFinder(tuple(self._paradigm(t) for t in terms)),
                FormFinder(tuple(self._paradigm(t) for t in forbidden)),
                terms,
            )
        self._concepts[concept_id] = concept
        return concept

    def _expected(self, match: TermMatch) -> str:
        """The term this occurrence should get when it is missing: its own row's counterpart
        (an abbreviation expects the abbreviation), else the concept's preferred term; a
        surname matched alone expects the surname alone."""
        concept = self._concepts[match.concept_id]
        assert concept is not None
        target = self.pair.target
        own = next((t for lang, t in match.preferred if lang == target and t.strip()), "")
        term = own if own in concept.terms else concept.terms[0]
        if self._surname_alone(match):
            last = words(term)
            return last[-1][2] if last else term
        return term

    def _surname_alone(self, match: TermMatch) -> bool:
        """The source matched one name word of a concept whose terms are all longer (the
        matcher's surname-alone match: "Тасмагамбетова" for "Имангали Тасмагамбетов")."""
        named = [w for _, _, w in words(match.surface) if len(w) > 1]
        terms = self.glossary.terms(match.concept_id, self.pair.source)
        return (
            len(named) == 1
            and named[0][:1].isupper()
            and bool(terms)
            and all(len(words(t.text)) > 1 for t in terms)
        )

    def _matches(self, text: str) -> tuple[TermMatch, ...]:
        """Glossary terms the target matcher finds in ``text`` (cached during one ``pin``)."""
        found = self._target_matches.get(text)
        if found is None:
            found = self._target_matches[text] = self.terms.find(text, self.pair.target)
        return found

    def _present(self, state: _Sentence, concept: _Concept, text: str) -> list[Span]:
        """Where ``text`` honours the concept: a usable term of it found by the target matcher
        (any inflection, a surname alone, an abbreviation with a case ending), an approved form
        of its paradigm, or the words of an approved term with other endings - an inflection
        nothing here knows (an unknown name, a compound) is left alone, never "repaired"."""
        forbidden = self._forbidden(concept, text)
        found: list[Span] = []
        matched = [
            m.span
            for m in self._matches(text)
            if m.concept_id == concept.concept_id and m.status is not TermStatus.FORBIDDEN
        ]
        # a forbidden form wins where the matcher also reads an approved term (it equates
        # "Secretary-General" with "Secretary General")
        names = self._surnames(concept)
        near = near_forms((*concept.terms, *state.expected[concept.concept_id], *names), text)
        for span in matched + concept.approved.find(text) + near:
            if not any(span.overlaps(other) for other in found + forbidden):
                found.append(span)
        return sorted(found, key=lambda s: s.start)

    def _meaningful(self) -> frozenset[str]:
        """Lemmas of every word of every target term of the glossary (computed once)."""
        if self._glossary_lemmas is None:
            lang = self.pair.target
            self._glossary_lemmas = frozenset(
                lemma
                for concept in self.glossary
                for term in concept.terms_in(lang)
                for _, _, word in words(term.text)
                for lemma in lemmas(word, lang)
            )
        return self._glossary_lemmas

    def _own_lemmas(self, concept: _Concept) -> frozenset[str]:
        lang = self.pair.target
        return frozenset(
            lemma
            for term in self.glossary.terms(concept.concept_id, lang)
            for _, _, word in words(term.text)
            for lemma in lemmas(word, lang)
        )

    def _surnames(self, concept: _Concept) -> tuple[str, ...]:
        """For a person (its Russian term a name of two or more words, as the matcher reads
        it), the last word of each target term: the surname alone honours the name."""
        if concept.concept_id not in self._persons:
            self._persons[concept.concept_id] = (
                tuple(
                    dict.fromkeys(last[-1][2] for t in concept.terms if len(last := words(t)) > 1)
                )
                if TermMatcher.is_person(self.glossary.concept(concept.concept_id))
                else ()
            )
        return self._persons[concept.concept_id]

    def _forbidden(self, concept: _Concept, text: str) -> list[Span]:
        """Forbidden terms of the concept in ``text`` (its paradigms, or the matcher)."""
        found = concept.forbidden.find(text)
        for m in self._matches(text):
            if (
                m.concept_id == concept.concept_id
                and m.status is TermStatus.FORBIDDEN
                and not any(m.span.overlaps(s) for s in found)
            ):
                found.append(m.span)
        return found

    def _required(self, state: _Sentence) -> list[_Concept]:
        return [c for cid in state.needed if (c := self._concepts[cid]) is not None]

    def _satisfied(self, state: _Sentence, concept: _Concept, text: str) -> bool:
        present = len(self._present(state, concept, text))
        return present >= state.needed[concept.concept_id] and not self._forbidden(concept, text)

    def _missing_term(self, state: _Sentence, concept: _Concept) -> str:
        """The expected term of an occurrence of ``concept`` the text lacks: the first one
        that occurs fewer times than the source asks for it (an abbreviation may be there
        while the full name is missing), else the first occurrence's."""
        terms = state.expected[concept.concept_id]
        for term in dict.fromkeys(terms):
            finder = FormFinder((self._paradigm(term),))
            have = len(finder.find(state.text)) + len(near_forms((term,), state.text))
            if have < terms.count(term):
                return term
        return terms[0]

    def _next_missing(self, state: _Sentence) -> _Concept | None:
        for concept in self._required(state):
            if concept.concept_id in state.failed:
                continue
            if not self._satisfied(state, concept, state.text):
                return concept
        return None

    # ------------------------------------------------------------------ one round of fixes

    def _fix_round(self, todo: Sequence[tuple[_Sentence, _Concept]]) -> None:
        options = self.options
        candidates: list[_Candidate] = []
        # (index in todo, concept id, prefix, the in-place repair with the same form)
        prefix_jobs: list[tuple[int, str, str, str]] = []
        blind: set[int] = set()
        for job, (state, concept) in enumerate(todo):
            blocked = self._blocked(state, concept)
            expected = self._missing_term(state, concept)
            windows, how = rendering_windows(
                state.text,
                expected,
                self.pair.target,
                concept.forbidden,
                blocked,
            )
            limit = options.max_windows
            if how == "window":
                limit = options.max_fallback_windows
                blind.add(job)
            par = self._paradigm(expected)
            if how == "lemma":
                lang = self.pair.target
                meaningful = self._meaningful() - self._own_lemmas(concept)
                windows = [
                    span
                    for span in best_evidence(state.text, windows, expected, lang)
                    if plausible(state.text, span, par, lang, meaningful)
                ]
                if len(par.forms) == 1 and not _proper(par.term):
                    windows = []  # no paradigm (a verb phrase): it cannot take the form
            budget = options.max_candidates  # repairs and re-decodings of this sentence
            for span in windows[:limit]:
                if budget <= 0:
                    break
                before = state.text[: span.start]
                replaced = state.text[span.start : span.end]
                keep_number = how == "lemma" and reordered(state.text, span, par, par.lang)
                for slot, form in self._forms(par, state.text, span, keep_number):
                    repaired = before + form + state.text[span.end :]
                    agreed = reagree(
                        state.text,
                        span,
                        form,
                        par.lang,
                        case=slot.case,
                        old=self._features(replaced, slot),
                        new=Features(str(par.gender or ""), slot.number),
                    )
                    if options.repair and agreed is not None and budget > 0:
                        budget -= 1
                        candidates.append(
                            _Candidate(job, concept.concept_id, agreed, TermOutcome.REPAIRED)
                        )
                    if (
                        options.prefix_decoding
                        and how != "window"
                        and budget > 0
                        and changes_agreement(par, slot, replaced)
                    ):
                        budget -= 1
                        prefix_jobs.append((job, concept.concept_id, before + form, repaired))
        if prefix_jobs:
            decoded = self.engine.translate(
                [todo[job][0].source for job, _, _, _ in prefix_jobs],
                self.pair,
                prefixes=[prefix for _, _, prefix, _ in prefix_jobs],
            )
            for (job, concept_id, prefix, repaired), hyp in zip(prefix_jobs, decoded, strict=True):
                if _tail_similarity(prefix, repaired, hyp.text) >= options.min_tail_similarity:
                    candidates.append(
                        _Candidate(job, concept_id, hyp.text, TermOutcome.PINNED, hyp.score)
                    )
        valid = [c for c in candidates if self._valid(todo[c.sentence][0], c.text)]
        unique: dict[tuple[int, str], _Candidate] = {}
        for candidate in valid:
            key = (candidate.sentence, candidate.text)
            # The same text from both routes counts as pinned (the model agreed with it).
            if key not in unique or candidate.outcome is TermOutcome.PINNED:
                unique[key] = candidate
        per_sentence = Counter(c.sentence for c in unique.values())
        # A single valid candidate needs no model score, unless it is a blind guess.
        sure = {
            c.sentence: c
            for c in unique.values()
            if per_sentence[c.sentence] == 1 and c.sentence not in blind
        }
        ranked = [c for c in unique.values() if c.sentence not in sure]
        baselines = sorted(blind & {c.sentence for c in ranked})
        scores = (
            self.engine.score(
                [todo[c.sentence][0].source for c in ranked]
                + [todo[job][0].source for job in baselines],
                [c.text for c in ranked] + [todo[job][0].text for job in baselines],
                self.pair,
            )
            if ranked
            else []
        )
        floor = {
            job: value - options.window_tolerance
            for job, value in zip(baselines, scores[len(ranked) :], strict=True)
        }
        best: dict[int, tuple[float, _Candidate]] = {}
        for candidate, value in zip(ranked, scores, strict=False):
            current = best.get(candidate.sentence)
            if current is None or value > current[0]:
                best[candidate.sentence] = (value, candidate)
        for job, (state, concept) in enumerate(todo):
            if job in sure:  # a lone candidate: its score is its decoding score, if any
                chosen, score = sure[job], sure[job].score
            elif job in best and best[job][0] >= floor.get(job, -float("inf")):
                score, chosen = best[job]
            else:
                state.failed.add(concept.concept_id)
                continue
            state.text = chosen.text
            state.score = score
            state.fixed[concept.concept_id] = chosen.outcome

    def _features(self, replaced: str, slot: Slot) -> Features | None:
        """Gender and number of the rendering being replaced (what other words agree with)."""
        if self.pair.target == "ru":
            return phrase_features(replaced, slot.case)
        last = words(replaced.replace("’", "'"))
        if self.pair.target != "en" or not last:
            return None
        word = last[-1][2]
        word = word[:-2] if word.endswith("'s") else word.rstrip("'")
        return Features("", "plur" if english.is_plural(word) else "sing")

    def _blocked(self, state: _Sentence, concept: _Concept) -> list[Span]:
        """Spans holding approved forms of the sentence's concepts (never overwrite those)."""
        spans: list[Span] = []
        for other in self._required(state):
            spans.extend(self._present(state, other, state.text))
        return spans

    def _forms(
        self, par: Paradigm, text: str, span: Span, keep_number: bool = False
    ) -> list[tuple[Slot, str]]:
        """Up to ``max_forms`` (slot, surface) pairs that fit where ``span`` stands;
        ``keep_number``: the term's own number only (the rendering's words are in another
        order, so their number says nothing: "hand washing" for "washing hands")."""
        before = text[: span.start]
        initial = not any(ch.isalnum() for ch in before) or before.rstrip().endswith(_SENTENCE_END)
        slots = choose_slots(par, before, text[span.start : span.end])
        if _proper(par.term) or keep_number:  # a name has no plural ("CSCs", "Belaruses")
            slots = tuple(s for s in slots if s.number == par.citation.number) or slots
        if par.lang == "en" and slots:  # English shows its number: no guessing the other
            slots = tuple(s for s in slots if s.number == slots[0].number)
        chosen: list[tuple[Slot, str]] = []
        for slot in slots:
            form = par.form(slot)
            if initial:
                form = capitalise_first(form)
            if all(form != f for _, f in chosen):
                chosen.append((slot, form))
            if len(chosen) >= self.options.max_forms:
                break
        return chosen

    def _valid(self, state: _Sentence, text: str) -> bool:
        """A candidate keeps every term the sentence already had and adds the missing one."""
        for concept in self._required(state):
            if concept.concept_id in state.failed:
                continue
            was_ok = self._satisfied(state, concept, state.text)
            if was_ok and not self._satisfied(state, concept, text):
                return False
        missing = self._next_missing(state)
        return missing is None or self._satisfied(state, missing, text)

    # ------------------------------------------------------------------ audit

    def _audit(self, state: _Sentence, found: Sequence[TermMatch]) -> tuple[TermAudit, ...]:
        records: list[TermAudit] = []
        seen: Counter[str] = Counter()
        surfaces: dict[str, list[str]] = {}
        for match in found:
            concept = self._concepts.get(match.concept_id)
            if concept is None or match.concept_id not in state.expected:
                records.append(TermAudit(match.concept_id, match.surface, "", TermOutcome.FOUND))
                continue
            nth = seen[match.concept_id]
            seen[match.concept_id] += 1
            if match.concept_id not in surfaces:
                surfaces[match.concept_id] = [
                    state.text[s.start : s.end] for s in self._present(state, concept, state.text)
                ]
            present = surfaces[match.concept_id]
            if nth < state.honoured[match.concept_id]:
                outcome = TermOutcome.HONOURED
            elif self._satisfied(state, concept, state.text):
                outcome = state.fixed.get(match.concept_id, TermOutcome.HONOURED)
            else:
                outcome = TermOutcome.FAILED
            surface = present[nth] if nth < len(present) else ""
            expected = state.expected[match.concept_id][nth]
            records.append(TermAudit(match.concept_id, match.surface, expected, outcome, surface))
        return tuple(records)

    def _unpinnable_audit(self, found: Sequence[TermMatch]) -> tuple[TermAudit, ...]:
        return tuple(TermAudit(m.concept_id, m.surface, "", TermOutcome.FOUND) for m in found)

"""Terminology checks: glossary adherence, forbidden terms, and names kept as written.

Owns what the translation must do with terms: every source term the glossary knows must appear
in the target in an approved form (any inflection), no forbidden target term may appear, the
term audit of the pinning stage is honoured (``TermOutcome.FAILED`` is a finding), and
Latin-script names in a Russian source (``Apple``, ``NASA``) reach the English translation
unchanged. The checks match nothing themselves: they read the matches the pipeline found once
per side (``CheckContext.source_terms`` / ``target_terms``; ``None`` = not computed, then the
check cannot judge and reports nothing, except that an unmatched target falls back to a crude
stem comparison with the expected term).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from transpipe.lang.script import script_of
from transpipe.model import Issue, Severity, Span, TermMatch, TermOutcome, TermStatus
from transpipe.quality.checks_config import CheckContext, ChecksConfig
from transpipe.quality.scripts import blank_out, protected_spans, words


def _preferred_in(match: TermMatch, lang: str) -> list[str]:
    return [term for term_lang, term in match.preferred if term_lang == lang]


def _stem(word: str) -> str:
    word = word.lower().replace("ё", "е")
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def surface_contains(text: str, term: str) -> bool:
    """Crude inflection-tolerant containment: every word of ``term`` by its stem, in order."""
    text_stems = [_stem(w.text) for w in words(text)]
    term_stems = [_stem(w.text) for w in words(term)]
    if not term_stems:
        return False
    n = len(term_stems)
    for i in range(len(text_stems) - n + 1):
        if all(text_stems[i + k].startswith(term_stems[k]) for k in range(n)):
            return True
    return False


def _source_matches(ctx: CheckContext) -> tuple[TermMatch, ...]:
    if ctx.source_terms is None:
        return ()
    return tuple(m for m in ctx.source_terms if m.lang in ("", ctx.pair.source))


def check_glossary(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    issues = []
    audited = set()
    for audit in ctx.term_audit:
        if audit.outcome is TermOutcome.FOUND:
            continue  # pinning was not attempted: the matches below decide
        audited.add(audit.concept_id)
        if audit.outcome is TermOutcome.FAILED:
            issues.append(
                Issue(
                    "glossary",
                    Severity.MAJOR,
                    f"term {audit.source_surface!r} should be translated as {audit.expected!r}",
                    side="target",
                )
            )
    matches = [m for m in _source_matches(ctx) if m.concept_id not in audited]
    if not matches:
        return issues
    target_concepts: set[str] | None = None
    if ctx.target_terms is not None:
        target_concepts = {
            m.concept_id for m in ctx.target_terms if m.status is not TermStatus.FORBIDDEN
        }
    reported = set()
    for match in matches:
        if match.status is TermStatus.FORBIDDEN or match.concept_id in reported:
            continue
        expected = _preferred_in(match, ctx.pair.target)
        if target_concepts is not None:
            present = match.concept_id in target_concepts
        else:
            present = not expected or any(surface_contains(ctx.target, t) for t in expected)
        if not present:
            reported.add(match.concept_id)
            want = " / ".join(expected) if expected else f"concept {match.concept_id}"
            issues.append(
                Issue(
                    "glossary",
                    Severity.MAJOR,
                    f"term {match.surface!r} should be translated as {want!r}",
                    match.span,
                    side="source",
                )
            )
    return issues


def check_forbidden_terms(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    issues = []
    for match in ctx.target_terms or ():
        if match.status is not TermStatus.FORBIDDEN:
            continue
        use = _preferred_in(match, ctx.pair.target)
        hint = f"; use {' / '.join(use)!r}" if use else ""
        issues.append(
            Issue(
                "forbidden_terms",
                Severity.MAJOR,
                f"forbidden term {match.surface!r}{hint}",
                match.span,
            )
        )
    return issues


def check_names(ctx: CheckContext, config: ChecksConfig) -> Iterable[Issue]:
    """Latin-script names and acronyms in a Russian source must reach an English target."""
    if ctx.pair.source != "ru" or ctx.pair.target != "en":
        return []
    source = blank_out(ctx.source, protected_spans(ctx.source))
    target_words = {w.text.casefold() for w in words(ctx.target)}
    target_flat = re.sub(r"\W", "", ctx.target.casefold())
    issues = []
    seen = set()
    for word in words(source):
        if script_of(word.text) != "latin" or len(word.text) < 2:
            continue
        key = word.text.casefold()
        if key in seen:
            continue
        seen.add(key)
        if key in target_words or re.sub(r"\W", "", key) in target_flat:
            continue
        issues.append(
            Issue(
                "names",
                Severity.MINOR,
                f"{word.text!r} from the source does not appear in the translation",
                Span(word.start, word.end),
                side="source",
            )
        )
    return issues

"""Glossary checks: findings a terminologist should fix, as values.

Owns ``check_glossary``. Each finding names the check, its severity, the concept and the line
the term was read from. Terms are compared by a lemma-aware key (Russian: the lemma of each
word; English: lower case, singular), so "Совета безопасности" and "совет безопасности", or
"member states" and "Member State", count as the same term.

Checks:
``duplicate``               the same term twice in one concept (minor)
``duplicate-concept``       the same term in two concepts with the same translation (minor)
``conflicting-translation`` the same term in two concepts with different translations
                            (``Concept.counterpart``, as the matcher reports them) (major)
``approved-and-forbidden``  a term that is preferred/admitted somewhere and forbidden
                            somewhere else (critical)
``missing-language``        a concept with no usable (non-forbidden) term in a required
                            language (major)
``unused-term``             a usable term never found, in any inflected form, in the given
                            corpus (info)
``two-preferred``           two different preferred terms for one language in a concept
                            (major: which one should a translation use?)
``case-duplicate``          two terms that differ only in letter case (minor)
``edge-whitespace``         a cell with spaces at its start or end, which loading strips
                            silently (minor; TSV/CSV, from ``ReadProblems``)
``unreadable-row``          a row that cannot be used (major; every one is reported, the
                            rest of the file is still checked)

Severities: critical and major findings are errors (``glossary check`` exits 1), minor ones
warnings, info notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from transpipe.lang.codes import primary
from transpipe.model import Severity, TermStatus
from transpipe.terms.glossary import Concept, Glossary, Term
from transpipe.terms.matcher import TermMatcher
from transpipe.terms.phrases import term_key as phrase_key
from transpipe.terms.tsv import ReadProblems


@dataclass(frozen=True)
class Finding:
    """One glossary problem."""

    check: str
    severity: Severity
    concept_id: str
    message: str
    line: int = 0


def term_key(term: Term) -> tuple[str, ...]:
    """Lemma-aware comparison key of a term (``phrases.term_key``)."""
    return phrase_key(term.text, term.lang)


def _translation(concept: Concept, term: Term, lang: str) -> str:
    """What a translation of ``term`` into ``lang`` uses (the matcher's ``preferred``)."""
    target = concept.counterpart(term, lang)
    return target.text if target else ""


def _usable(concept: Concept, lang: str) -> list[Term]:
    return [t for t in concept.terms_in(lang) if t.status is not TermStatus.FORBIDDEN]


def check_glossary(
    glossary: Glossary,
    *,
    languages: Sequence[str] = ("en", "ru"),
    corpus: Iterable[str] = (),
    corpus_lang: str | None = None,
    problems: ReadProblems | None = None,
) -> list[Finding]:
    """All findings for ``glossary``, worst first, then by line; ``corpus`` (texts in
    ``corpus_lang``) enables unused-term; ``problems`` (from a lenient load) adds
    unreadable-row and edge-whitespace."""
    findings: list[Finding] = []
    if problems is not None:
        findings.extend(_read_findings(problems))
    seen: dict[tuple[str, tuple[str, ...]], list[tuple[Concept, Term]]] = {}
    spellings: dict[tuple[str, str], dict[str, tuple[Concept, Term]]] = {}
    for concept in glossary:
        findings.extend(_two_preferred(concept))
        for term in concept.terms:
            spelling = (primary(term.lang), term.text.casefold())
            spellings.setdefault(spelling, {}).setdefault(term.text, (concept, term))
        for lang in languages:
            if not _usable(concept, lang):
                findings.append(
                    Finding(
                        "missing-language",
                        Severity.MAJOR,
                        concept.id,
                        f"no usable {lang} term",
                        concept.line,
                    )
                )
        within: set[tuple[str, tuple[str, ...], TermStatus]] = set()
        for term in concept.terms:
            key = term_key(term)
            lang = primary(term.lang)
            if (lang, key, term.status) in within:
                findings.append(
                    Finding(
                        "duplicate",
                        Severity.MINOR,
                        concept.id,
                        f"{lang} term {term.text!r} is listed twice",
                        term.line,
                    )
                )
            within.add((lang, key, term.status))
            seen.setdefault((lang, key), []).append((concept, term))
    for (lang, _), places in seen.items():
        findings.extend(_cross_findings(lang, places, languages))
    for (lang, _), texts in spellings.items():
        if len(texts) > 1:
            (concept, term), *others = texts.values()
            other = ", ".join(f"{t.text!r} ({c.id})" for c, t in others)
            findings.append(
                Finding(
                    "case-duplicate",
                    Severity.MINOR,
                    concept.id,
                    f"{lang} term {term.text!r} differs only in letter case from {other}",
                    term.line,
                )
            )
    if corpus_lang is not None:
        findings.extend(_unused(glossary, corpus, corpus_lang))
    return sorted(findings, key=lambda f: (-f.severity, f.line, f.check, f.concept_id))


def _read_findings(problems: ReadProblems) -> list[Finding]:
    findings = [
        Finding(
            "unreadable-row",
            Severity.MAJOR,
            "",
            error.reason + (f" ({error.hint})" if error.hint else ""),
            error.line or 0,
        )
        for error in problems.errors
    ]
    findings.extend(
        Finding(
            "edge-whitespace",
            Severity.MINOR,
            "",
            f"cell {cell!r} has spaces at its start or end (stripped when loaded)",
            line,
        )
        for line, cell in problems.edge_spaces
    )
    return findings


def _two_preferred(concept: Concept) -> list[Finding]:
    findings: list[Finding] = []
    for lang in concept.languages:
        preferred = [
            t for t in concept.terms if t.lang == lang and t.status is TermStatus.PREFERRED
        ]
        texts = list(dict.fromkeys(t.text for t in preferred))
        if len(texts) > 1:
            findings.append(
                Finding(
                    "two-preferred",
                    Severity.MAJOR,
                    concept.id,
                    f"{lang} has {len(texts)} preferred terms ({', '.join(map(repr, texts))}); "
                    "make one preferred and the others admitted",
                    preferred[1].line,
                )
            )
    return findings


def _cross_findings(
    lang: str, places: list[tuple[Concept, Term]], languages: Sequence[str]
) -> list[Finding]:
    findings: list[Finding] = []
    statuses = {t.status for _, t in places}
    if TermStatus.FORBIDDEN in statuses and len(statuses) > 1:
        approved = [c.id for c, t in places if t.status is not TermStatus.FORBIDDEN]
        banned = [c.id for c, t in places if t.status is TermStatus.FORBIDDEN]
        concept, term = places[0]
        findings.append(
            Finding(
                "approved-and-forbidden",
                Severity.CRITICAL,
                concept.id,
                f"{lang} term {term.text!r} is approved in {', '.join(dict.fromkeys(approved))} "
                f"and forbidden in {', '.join(dict.fromkeys(banned))}",
                term.line,
            )
        )
    concepts = list({c.id: c for c, _ in places}.values())
    if len(concepts) < 2:
        return findings
    others = [code for code in languages if code != lang]
    firsts: dict[str, tuple[Concept, Term]] = {}
    for concept, term in places:
        firsts.setdefault(concept.id, (concept, term))
    targets = {
        code: {cid: _translation(c, t, code) for cid, (c, t) in firsts.items()} for code in others
    }
    term = places[0][1]
    ids = ", ".join(c.id for c in concepts)
    conflict = any(len({v for v in per.values() if v}) > 1 for per in targets.values())
    if conflict:
        detail = "; ".join(
            f"{cid}: {text}" for per in targets.values() for cid, text in per.items() if text
        )
        findings.append(
            Finding(
                "conflicting-translation",
                Severity.MAJOR,
                concepts[0].id,
                f"{lang} term {term.text!r} is in concepts {ids} with different translations "
                f"({detail})",
                term.line,
            )
        )
    else:
        findings.append(
            Finding(
                "duplicate-concept",
                Severity.MINOR,
                concepts[0].id,
                f"{lang} term {term.text!r} is in concepts {ids}",
                term.line,
            )
        )
    return findings


def _unused(glossary: Glossary, corpus: Iterable[str], lang: str) -> list[Finding]:
    matcher = TermMatcher(glossary, lang)
    found: set[tuple[str, str]] = set()
    for text in corpus:
        for line in text.split("\n"):
            for match, term in matcher.find_terms(line, resolve_overlaps=False):
                found.add((match.concept_id, term.text))
    findings: list[Finding] = []
    for concept in glossary:
        reported: set[str] = set()
        for term in _usable(concept, lang):
            if (concept.id, term.text) not in found and term.text not in reported:
                reported.add(term.text)
                findings.append(
                    Finding(
                        "unused-term",
                        Severity.INFO,
                        concept.id,
                        f"{lang} term {term.text!r} never occurs in the corpus",
                        term.line,
                    )
                )
    return findings

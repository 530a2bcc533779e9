"""The texts a decoding engine must never generate: every form of the forbidden terms.

Owns :func:`forbidden_surfaces`, the list a run puts into ``DecodingOptions.suppress`` when it
pins terms, so that CTranslate2 (``suppress_sequences``) and transformers (a
``NoBadWordsLogitsProcessor``) do not produce a forbidden variant in the first place and the
pinner has less to repair. Each forbidden target term of the glossary gives all the forms of
its paradigm («генсек», «генсека», «генсеку»...), as written and with a capital first letter
(sentence start); a form that is also an approved form of some concept is left out, and so are
forms of one or two letters (an engine suppresses token sequences, and such a short one would
block the beginning of ordinary words).
"""

from __future__ import annotations

from transpipe.model import LanguagePair, TermStatus
from transpipe.pinning.inflect import capitalise_first, fold, paradigm
from transpipe.terms import Glossary

MIN_LENGTH = 3


def forbidden_surfaces(glossary: Glossary, pair: LanguagePair) -> tuple[str, ...]:
    """Every form of every forbidden ``pair.target`` term of ``glossary``, sorted."""
    target = pair.target
    approved: set[str] = set()
    forbidden: set[str] = set()
    for concept in glossary:
        for term in concept.terms_in(target):
            if not term.text.strip():
                continue
            forms = paradigm(term.text, target).surfaces()
            if term.status is TermStatus.FORBIDDEN:
                forbidden.update(forms)
            else:
                approved.update(fold(f) for f in forms)
    out = {
        variant
        for form in forbidden
        if len(form) >= MIN_LENGTH and fold(form) not in approved
        for variant in (form, capitalise_first(form))
    }
    return tuple(sorted(out))

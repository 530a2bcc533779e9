"""A glossary compiled for one run: one ``TermMatcher`` per language, built once.

Owns the rule "the glossary is compiled once per run and each text is matched once": the
pipeline (and any command that matches many texts) builds one :class:`CompiledGlossary` and
passes it, or the matches it found, down. Nothing else in transpipe keeps matchers; there is
no process-wide cache (a :class:`~transpipe.terms.matcher.MatcherCache` on disk may provide
them already compiled).
"""

from __future__ import annotations

from transpipe.model import TermMatch
from transpipe.terms.glossary import Glossary
from transpipe.terms.matcher import MatcherCache, TermMatcher


class CompiledGlossary:
    """``glossary`` with a ``TermMatcher`` per language, each built (or loaded from ``cache``)
    on first use."""

    def __init__(self, glossary: Glossary, cache: MatcherCache | None = None) -> None:
        self.glossary = glossary
        self.cache = cache
        self._matchers: dict[str, TermMatcher] = {}

    def matcher(self, lang: str) -> TermMatcher:
        """The matcher of ``lang`` terms (compiled on the first call for that language)."""
        matcher = self._matchers.get(lang)
        if matcher is None:
            if self.cache is not None:
                matcher = self.cache.matcher(self.glossary, lang)
            else:
                matcher = TermMatcher(self.glossary, lang)
            self._matchers[lang] = matcher
        return matcher

    def find(self, text: str, lang: str, *, segment_id: str = "") -> tuple[TermMatch, ...]:
        """Glossary terms of ``lang`` in ``text``, non-overlapping, in text order."""
        return tuple(self.matcher(lang).find(text, segment_id=segment_id))

"""Russian and English function words: the short words terms join with, and the wider set of
words that never carry a term's meaning.

Owns both lists, so that locating a term's words, judging the evidence for a replacement and
the pinning benchmarks agree on what a content word is.
"""

from __future__ import annotations

JOINING_WORDS = frozenset({
    "в", "во", "на", "о", "об", "по", "с", "со", "к", "и", "а", "у", "за", "из", "от", "до",
    "для", "при",
    "the", "a", "an", "of", "and", "in", "on", "at", "to", "for", "by", "with",
})  # fmt: skip
"""Prepositions, conjunctions and articles that join the words of a multi-word term
("Ministry of Foreign Affairs", «Совет по коллективной безопасности»)."""

FUNCTION_WORDS = JOINING_WORDS | frozenset({
    "ко", "обо", "через", "без", "под", "над", "перед", "между",
    "from", "into", "over", "under", "between", "during", "about", "as", "or", "than", "that",
    "this", "these", "those", "which", "who", "whom", "whose", "when", "where", "then", "there",
    "it", "its", "their", "is", "are", "was", "were", "be", "been", "has", "have", "had", "no",
    "not",
})  # fmt: skip
"""Words that never carry a term's meaning (the joining words and other closed-class words)."""

"""Russian grammar tables: which cases a preposition governs.

Owns the preposition -> cases table that decides the case of a noun phrase from the word
before it ("в Кыргызстане": locative or accusative; "с Генеральным секретарём": instrumental
or genitive), including the common two-word prepositions ("в рамках", "со стороны").
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[\w][\w'’-]*")

PREPOSITION_CASES: dict[str, frozenset[str]] = {
    **{p: frozenset({"loct", "accs"}) for p in ("в", "во", "на", "о", "об", "обо")},
    **{p: frozenset({"loct"}) for p in ("при",)},
    **{p: frozenset({"ablt", "gent"}) for p in ("с", "со")},
    **{p: frozenset({"datv"}) for p in ("к", "ко", "благодаря", "согласно", "вопреки")},
    **{p: frozenset({"datv", "loct", "accs"}) for p in ("по",)},
    **{
        p: frozenset({"gent"})
        for p in (
            "от", "ото", "до", "из", "изо", "у", "без", "для", "около", "после", "вокруг",
            "среди", "против", "кроме", "вместо", "из-за", "из-под", "возле", "ради",
            "со стороны", "в ходе", "в рамках", "внутри", "вне", "накануне", "посредством",
        )
    },
    **{p: frozenset({"ablt", "accs"}) for p in ("за", "под", "подо")},
    **{p: frozenset({"ablt"}) for p in ("над", "надо", "перед", "передо", "между")},
    **{p: frozenset({"accs"}) for p in ("через", "про", "сквозь")},
}  # fmt: skip


def preposition_cases(text_before: str) -> frozenset[str] | None:
    """Cases governed by a preposition that ends ``text_before`` (None: no preposition)."""
    tokens = [w.lower() for w in _WORD.findall(text_before[-40:])]
    if not tokens:
        return None
    if len(tokens) >= 2:
        two = f"{tokens[-2]} {tokens[-1]}"
        if two in PREPOSITION_CASES:
            return PREPOSITION_CASES[two]
    return PREPOSITION_CASES.get(tokens[-1])

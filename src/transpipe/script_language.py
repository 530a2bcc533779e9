"""Russian or English, judged by the script of a text's letters (input checks only).

A stand-in for ``transpipe.lang.script.detect_language`` until the ``lang`` package lands: the
same rule, behind one function, so that replacing :func:`text_language`'s body with
``return detect_language(text, min_letters=min_letters, min_share=min_share).lang`` changes no
verdict. Letters are counted per word in tiers, because news text mixes scripts: lower-case
words decide (function words and common nouns are lower case, while names in the other script
are capitalised); capitalised words count only when lower-case ones are too few, and acronyms or
words with digits ("ОДКБ", "COVID-19") only when those are too few too. URL and e-mail tokens
never count.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LINK_MARKERS = ("://", "www.", "@")


def text_language(text: str, *, min_letters: int = 3, min_share: float = 0.75) -> str | None:
    """``"ru"`` (Cyrillic), ``"en"`` (Latin) or ``None`` when there is too little evidence
    (fewer than ``min_letters`` counted letters) or no script has ``min_share`` of them."""
    tiers = [[0, 0], [0, 0], [0, 0]]  # [Cyrillic, Latin] letters per tier of evidence
    for token in text.split():
        if any(marker in token for marker in _LINK_MARKERS):
            continue
        has_digit = any(c.isdigit() for c in token)
        for match in _WORD.finditer(token):
            word = match.group()
            is_cyrillic, is_latin = bool(_CYRILLIC.search(word)), bool(_LATIN.search(word))
            if is_cyrillic == is_latin:  # no letters of either script, or both in one word
                continue
            if has_digit or (len(word) > 1 and word.isupper()):
                tier = 2
            elif word[:1].isupper():
                tier = 1
            else:
                tier = 0
            tiers[tier][0 if is_cyrillic else 1] += sum(1 for c in word if c.isalpha())
    cyrillic = latin = 0
    for tier_cyrillic, tier_latin in tiers:
        cyrillic += tier_cyrillic
        latin += tier_latin
        if cyrillic + latin >= min_letters:
            break
    total = cyrillic + latin
    if total < max(min_letters, 1) or max(cyrillic, latin) / total < min_share:
        return None
    return "ru" if cyrillic > latin else "en"

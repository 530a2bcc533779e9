"""What a fuzzy translation-memory match leaves on a unit, in every format and the report.

Owns the props of memory leverage (``translate --tm``, see :mod:`transpipe.tm.engine`) and
reading them back. A match at or above the threshold is always *offered*; the unit's target is
either the match's stored translation (the memory won) or the machine translation (the MT won):

* ``x-tm-match``: ``"93% reviewed.po"`` - the similarity, floored to a whole percent, and the
  file the stored unit came from, followed by ``" (unreviewed)"`` when nobody reviewed it;
* memory used: ``x-previous-source`` = the stored source the target translates (gettext's
  "previous msgid": PO writes it as ``#| msgid``, which Poedit shows as a diff against the new
  source) and ``x-mt-alternative`` = the machine translation it replaced;
* MT kept: ``x-tm-source`` / ``x-tm-target`` = the offered stored pair (PO ``#.`` lines; no
  ``#|``, since the target is not a translation of that source).

Either way the unit is fuzzy until a person reviews it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from transpipe.model import Unit

TM_MATCH = "x-tm-match"
PREVIOUS_SOURCE = "x-previous-source"
MT_ALTERNATIVE = "x-mt-alternative"
TM_SOURCE = "x-tm-source"
TM_TARGET = "x-tm-target"
_UNREVIEWED = " (unreviewed)"


def percent(similarity: float) -> int:
    """A similarity in [0, 1] as the whole percent shown to people (floored: never rounds a
    match up past a threshold)."""
    return math.floor(similarity * 100 + 1e-9)


def match_label(similarity: float, origin: str, *, reviewed: bool) -> str:
    """The ``x-tm-match`` value."""
    return f"{percent(similarity)}% {origin}" + ("" if reviewed else _UNREVIEWED)


@dataclass(frozen=True)
class MemoryOffer:
    """A fuzzy memory match as recorded on a unit: ``used`` when the unit's target is it."""

    percent: int
    origin: str
    reviewed: bool
    source: str
    target: str
    used: bool
    alternative: str = ""  # the machine translation a used match replaced


def memory_offer(unit: Unit) -> MemoryOffer | None:
    """The memory match recorded on ``unit`` (``None`` when there is none or it is garbled)."""
    props = dict(unit.props)
    label = props.get(TM_MATCH)
    if label is None:
        return None
    number, _, origin = label.partition("% ")
    if not number.isdigit():
        return None
    reviewed = not origin.endswith(_UNREVIEWED)
    origin = origin.removesuffix(_UNREVIEWED)
    used = PREVIOUS_SOURCE in props
    return MemoryOffer(
        percent=int(number),
        origin=origin,
        reviewed=reviewed,
        source=props.get(PREVIOUS_SOURCE if used else TM_SOURCE, ""),
        target=unit.target if used else props.get(TM_TARGET, ""),
        used=used,
        alternative=props.get(MT_ALTERNATIVE, ""),
    )

"""Fixed translations of page boilerplate (navigation lines) that must not go through MT.

News pages end with navigation such as "Go back" / "Назад". The segmenter marks such lines as
``SegmentKind.BOILERPLATE``; the table ``lang/data/boilerplate.tsv`` (one row per pair, a
header naming the language of each column) gives their counterpart in the other language;
where a line has several counterparts the first row wins. A line with no entry is kept as it
is and flagged for review, never sent to the MT engine as prose.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from transpipe.lang.codes import primary
from transpipe.lang.resources import read_data

TABLE_FILE = "boilerplate.tsv"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@functools.cache
def _table() -> Mapping[tuple[str, str], Mapping[str, str]]:
    """(source, target) -> line key -> translation; read once (immutable package data)."""
    lines = [line.split("\t") for line in read_data(TABLE_FILE).splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    table: dict[tuple[str, str], dict[str, str]] = {}
    for s, source in enumerate(header):
        for t, target in enumerate(header):
            if s != t:
                pairs: dict[str, str] = {}
                for row in rows:
                    pairs.setdefault(_key(row[s]), row[t])
                table[(source, target)] = pairs
    return MappingProxyType({k: MappingProxyType(v) for k, v in table.items()})


def translate_boilerplate(text: str, source: str, target: str) -> str | None:
    """Return the fixed translation of a navigation line, or ``None`` when it is unknown."""
    return _table().get((primary(source), primary(target)), {}).get(_key(text))

"""The alignment link: which source sentences correspond to which target sentences.

Owns ``Link`` (the value every aligner in transpipe returns) and the link-type vocabulary
(``"1-1"``, ``"2-1"``, ``"1-0"`` ...). Indices are 0-based sentence positions in document order;
an empty side means the sentence was added or dropped by the editor (a null link).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """``source`` sentences aligned to ``target`` sentences; ``score`` is a confidence in [0, 1]."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float

    @property
    def kind(self) -> str:
        """Link type as ``"<n source>-<n target>"``, e.g. ``"2-1"`` or ``"0-1"``."""
        return f"{len(self.source)}-{len(self.target)}"

    @property
    def is_null(self) -> bool:
        """True for 1-0 and 0-1 links (a sentence with no counterpart)."""
        return not self.source or not self.target

    def to_json(self) -> dict[str, object]:
        """The ``--jsonl`` record: ``{"source": [...], "target": [...], "score": float}``."""
        return {"source": list(self.source), "target": list(self.target), "score": self.score}

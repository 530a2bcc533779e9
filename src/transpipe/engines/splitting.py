"""Splitting an over-long input into pieces under a model's token limit.

Owns the rule "never silently truncate": a text whose token count exceeds the limit is cut at
sentence boundaries first, then at clause boundaries, then at whitespace, and only as a last
resort inside a word; consecutive units are packed greedily so pieces stay as long as allowed.
The engine translates each piece and re-joins the translations with a space.

Also owns ``pair_pieces``, the same rule for scoring a given target: the source is cut exactly
as ``translate`` cuts it, and the target is cut alongside it (see ``split_alongside``), so each
scored (source piece, target piece) pair fits the model and a hypothesis made by ``translate``
is scored piece by piece as it was produced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Each level is a pattern for the whitespace at which a text may be cut; the cut keeps the
# punctuation with the unit before it.
_LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<=[.!?…»\"”)])\s+"),  # sentence ends
    re.compile(r"(?<=[,;:])\s+|\s+(?=[—–-]\s)"),  # clauses and dashes
    re.compile(r"\s+"),  # words
)

TokenCounter = Callable[[str], int]


def split_to_limit(text: str, count_tokens: TokenCounter, limit: int) -> list[str]:
    """Cut ``text`` into stripped pieces each counting at most ``limit`` tokens.

    ``count_tokens`` is the engine's source-side count for a piece (special tokens included).
    A text already under the limit comes back as one piece. Joining the pieces with single
    spaces gives the text back with its runs of whitespace collapsed at the cuts only.
    """
    if limit < 1:
        raise ValueError(f"token limit must be positive, got {limit}")
    stripped = text.strip()
    if not stripped:
        return []
    if count_tokens(stripped) <= limit:
        return [stripped]
    return _split(stripped, count_tokens, limit, 0)


def _split(text: str, count_tokens: TokenCounter, limit: int, level: int) -> list[str]:
    if level >= len(_LEVELS):
        return _split_characters(text, count_tokens, limit)
    units = [u for u in _LEVELS[level].split(text) if u]
    if len(units) == 1:
        return _split(text, count_tokens, limit, level + 1)
    pieces: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current} {unit}" if current else unit
        if count_tokens(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if count_tokens(unit) <= limit:
            current = unit
        else:
            pieces.extend(_split(unit, count_tokens, limit, level + 1))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _split_characters(text: str, count_tokens: TokenCounter, limit: int) -> list[str]:
    """Last resort for a single 'word' over the limit: longest prefixes that fit."""
    pieces: list[str] = []
    rest = text
    while rest:
        if count_tokens(rest) <= limit:
            pieces.append(rest)
            break
        low, high = 1, len(rest)  # find the longest prefix that fits (at least 1 char)
        while low < high:
            middle = (low + high + 1) // 2
            if count_tokens(rest[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        pieces.append(rest[:low])
        rest = rest[low:]
    return pieces


@dataclass(frozen=True)
class ScorePiece:
    """One forced-scoring unit: a source piece, the target piece aligned with it, its owner."""

    owner: int
    source: str
    target: str


def pair_pieces(
    sources: Sequence[str],
    targets: Sequence[str],
    *,
    count_source: TokenCounter,
    source_limit: int,
    count_target: TokenCounter,
    target_limit: int | None,
) -> list[ScorePiece]:
    """Cut each (source, target) pair into scoring units that fit the model on both sides.

    The source is cut by ``split_to_limit`` (as ``translate`` cuts it); the target is cut
    alongside it by ``split_alongside``; a target piece still over ``target_limit`` (a target
    far longer than its source, e.g. a repetition loop) is cut further and each part is scored
    against the same source piece. An empty source or target stays one (empty) unit, so the
    end token alone is scored. Every pair gives at least one unit.
    """
    units: list[ScorePiece] = []
    for owner, (source, target) in enumerate(zip(sources, targets, strict=True)):
        source_pieces = split_to_limit(source, count_source, source_limit) or [""]
        for index, piece in split_alongside(target, source_pieces):
            parts = [piece]
            if target_limit is not None and piece:
                parts = split_to_limit(piece, count_target, target_limit)
            units.extend(ScorePiece(owner, source_pieces[index], part) for part in parts)
    return units


def split_alongside(target: str, source_pieces: Sequence[str]) -> list[tuple[int, str]]:
    """Cut ``target`` into consecutive pieces, one per source piece: ``(source index, piece)``.

    When the target has as many sentences as the source pieces together, it is cut after the
    same number of sentences as each piece holds (a translation made by ``translate`` is then
    cut back exactly into the translations of the pieces). Otherwise each cut is placed where
    the source's cut falls in proportion to length (characters): at the nearest sentence
    boundary within half an average piece of that point, else the nearest clause boundary,
    else the nearest whitespace, else inside the text. A source piece left without target text
    is skipped; an empty target gives one empty piece paired with the first source piece.
    """
    stripped = target.strip()
    if len(source_pieces) <= 1 or not stripped:
        return [(0, stripped)]
    cuts = _sentence_count_cuts(stripped, source_pieces)
    if cuts is None:
        cuts = _proportional_cuts(stripped, source_pieces)
    pieces: list[tuple[int, str]] = []
    start = 0
    for index, cut in enumerate(cuts):
        if cut is None:
            continue
        end, resume = cut
        piece = stripped[start:end].strip()
        if piece:
            pieces.append((index, piece))
        start = resume
    rest = stripped[start:].strip()
    if rest:
        pieces.append((len(source_pieces) - 1, rest))
    return pieces


Cut = tuple[int, int]  # (end of one piece, start of the next) in the target


def _sentence_count_cuts(target: str, source_pieces: Sequence[str]) -> list[Cut | None] | None:
    """Cuts after the same number of sentences as each source piece holds, if counts agree."""
    boundaries = [(m.start(), m.end()) for m in _LEVELS[0].finditer(target)]
    counts = [len(_LEVELS[0].split(piece)) for piece in source_pieces]
    if sum(counts) != len(boundaries) + 1:
        return None
    cuts: list[Cut | None] = []
    done = 0
    for count in counts[:-1]:
        done += count
        cuts.append(boundaries[done - 1])
    return cuts


def _proportional_cuts(target: str, source_pieces: Sequence[str]) -> list[Cut | None]:
    """Cuts where the source's cuts fall in proportion to length (see ``split_alongside``)."""
    total_source = max(1, sum(len(p) for p in source_pieces))
    size = len(target)
    window = size / (2 * len(source_pieces))
    cuts: list[Cut | None] = []
    start = 0
    covered = 0
    for source_piece in source_pieces[:-1]:
        covered += len(source_piece)
        cut = _nearest_cut(target, start, size * covered / total_source, window)
        cuts.append(cut)
        if cut is not None:
            start = cut[1]
    return cuts


def _nearest_cut(text: str, start: int, ideal: float, window: float) -> Cut | None:
    """``(end of this piece, start of the next)`` for the best cut after ``start``, if any."""
    for level in _LEVELS:
        spans = [
            (m.start(), m.end())
            for m in level.finditer(text, start)
            if m.start() > start and abs(m.start() - ideal) <= window
        ]
        if spans:
            return min(spans, key=lambda span: abs(span[0] - ideal))
    position = round(ideal)
    if start < position < len(text):
        return position, position
    return None


def weighted_mean(parts: Sequence[tuple[float, str]], count_target: TokenCounter) -> float:
    """A pair's score from its pieces' ``(mean log-probability, target piece)``.

    Weighted by each piece's target tokens (end token included), so it equals the mean over
    all scored tokens; one piece gives its own mean back unchanged.
    """
    if len(parts) == 1:
        return parts[0][0]
    weights = [count_target(target) for _, target in parts]
    total = sum(mean * weight for (mean, _), weight in zip(parts, weights, strict=True))
    return total / sum(weights)

"""Splitting an over-long input into pieces under a model's token limit.

Owns the rule "never silently truncate": a text whose token count exceeds the limit is cut at
sentence boundaries first, then at clause boundaries, then at whitespace, and only as a last
resort inside a word; consecutive units are packed greedily so pieces stay as long as allowed.
The engine translates each piece and re-joins the translations with a space.

Also owns ``pair_pieces``, the same rule for scoring a given target: the source is cut exactly
as ``translate`` cuts it and the target is cut alongside it (see ``split_alongside``), so each
scored (source piece, target piece) pair fits the model and a hypothesis made by ``translate``
is scored piece by piece as it was produced; ``weighted_mean`` combines the pieces' scores.
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


# Chooses the target segment that belongs to a source piece: (source piece, candidate
# segments, each starting where the previous piece's target ended) -> index of the best one.
Judge = Callable[[str, list[str]], int]
CANDIDATE_CUTS = (4, 3, 5)  # nearest sentence ends, clause boundaries, spaces a judge compares


def pair_pieces(
    sources: Sequence[str],
    targets: Sequence[str],
    *,
    count_source: TokenCounter,
    source_limit: int,
    count_target: TokenCounter,
    target_limit: int | None,
    judge: Judge | None = None,
) -> list[ScorePiece]:
    """Cut each (source, target) pair into scoring units that fit the model on both sides.

    The source is cut by ``split_to_limit`` (as ``translate`` cuts it); the target is cut
    alongside it by ``split_alongside`` (with ``judge`` choosing among candidate cuts); a
    target piece still over ``target_limit`` (a target far longer than its source, e.g. a
    repetition loop) is cut further and each part is scored against the same source piece. An
    empty source or target stays one (empty) unit, so the end token alone is scored. Every pair
    gives at least one unit.
    """
    units: list[ScorePiece] = []
    for owner, (source, target) in enumerate(zip(sources, targets, strict=True)):
        source_pieces = split_to_limit(source, count_source, source_limit) or [""]
        for index, piece in split_alongside(target, source_pieces, judge):
            parts = [piece]
            if target_limit is not None and piece:
                parts = split_to_limit(piece, count_target, target_limit)
            units.extend(ScorePiece(owner, source_pieces[index], part) for part in parts)
    return units


def split_alongside(
    target: str, source_pieces: Sequence[str], judge: Judge | None = None
) -> list[tuple[int, str]]:
    """Cut ``target`` into consecutive pieces, one per source piece: ``(source index, piece)``.

    Cuts are made left to right. For each source cut, the candidates are the cut positions
    nearest to where that cut falls in proportion to length (characters), within one average
    piece of it: a few sentence ends, clause boundaries and spaces (that point inside the text
    when there is none). ``judge`` picks among them (the engine scores each candidate segment
    against the source piece: a complete translation ends where the model expects its end
    token); without a judge the nearest at the highest level is taken. A translation
    made by ``translate`` (its pieces' translations joined with a space) is thus cut back into
    the pieces' translations. A source piece left without target text is skipped; an empty
    target gives one empty piece paired with the first source piece.
    """
    stripped = target.strip()
    if len(source_pieces) <= 1 or not stripped:
        return [(0, stripped)]
    total_source = max(1, sum(len(p) for p in source_pieces))
    size = len(stripped)
    window = size / len(source_pieces)
    pieces: list[tuple[int, str]] = []
    start = 0
    covered = 0
    for index, source_piece in enumerate(source_pieces[:-1]):
        covered += len(source_piece)
        candidates = _candidate_cuts(stripped, start, size * covered / total_source, window)
        if not candidates:
            continue
        chosen = 0
        if judge is not None and len(candidates) > 1:
            chosen = judge(source_piece, [stripped[start:end].strip() for end, _ in candidates])
        end, resume = candidates[chosen]
        piece = stripped[start:end].strip()
        if piece:
            pieces.append((index, piece))
        start = resume
    rest = stripped[start:].strip()
    if rest:
        pieces.append((len(source_pieces) - 1, rest))
    return pieces


Cut = tuple[int, int]  # (end of one piece, start of the next) in the target


def _candidate_cuts(text: str, start: int, ideal: float, window: float) -> list[Cut]:
    """Cuts after ``start`` within ``window`` of ``ideal``: the nearest few of each level.

    The first one is the nearest at the highest level that has any (the choice without a
    judge); a judge sees sentence ends, clause boundaries and plain whitespace alike, so a
    headline without a full stop can still end a piece.
    """
    found: list[Cut] = []
    for level, count in zip(_LEVELS, CANDIDATE_CUTS, strict=True):
        spans = [
            (m.start(), m.end())
            for m in level.finditer(text, start)
            if m.start() > start and abs(m.start() - ideal) <= window
        ]
        spans.sort(key=lambda span: abs(span[0] - ideal))
        found.extend(span for span in spans[:count] if span not in found)
    if found:
        return found
    position = round(ideal)
    if start < position < len(text):
        return [(position, position)]
    return []


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

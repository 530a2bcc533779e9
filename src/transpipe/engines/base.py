"""The engine contract: the ``Engine`` protocol and ``ModelEngine``, its template base class.

``Engine`` is what the rest of transpipe uses: ``info``, ``translate`` and ``score``. Wrappers
such as the translation memory (``transpipe.tm.engine``) implement it directly.

``ModelEngine`` owns validation and orchestration shared by every MT engine (sacrebleu
``metrics/base.py`` style): public methods check their arguments, drop empty inputs, split
over-long inputs under the model's token limit, batch, call a few small hooks the subclasses
fill, and re-join the pieces. The contract, tested for every engine in
``tests/test_engines.py``:

- N texts in, N hypotheses out, same order; never merging or dropping a sentence;
- an empty (or all-whitespace) text gives an empty hypothesis with ``pieces == 0``;
- a text over the token limit is split at sentence/clause/whitespace boundaries, each piece
  is translated and the translations are joined with a space (``Hypothesis.pieces`` counts
  them); nothing is silently truncated;
- ``prefixes[i]`` forces the translation of ``texts[i]`` to start with that target text
  (trailing whitespace aside), then decoding continues freely;
- ``score`` gives the mean log-probability per target token of forcing ``targets[i]``; long
  pairs are split like ``translate`` splits (source and target cut alongside each other) and
  the pieces' scores combined token-weighted.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from transpipe.config import DecodingOptions
from transpipe.engines.splitting import pair_pieces, split_to_limit, weighted_mean
from transpipe.errors import ConfigError, EngineError
from transpipe.model import Hypothesis, LanguagePair

if TYPE_CHECKING:
    from transpipe.models.resolve import ResolvedModel


@dataclass(frozen=True)
class EngineInfo:
    """What produced an output: engine name, model id and revision, decoding options."""

    name: str
    model_id: str
    revision: str
    decoding: DecodingOptions

    def describe(self) -> str:
        revision = f"@{self.revision}" if self.revision else ""
        return f"{self.name}:{self.model_id}{revision} ({self.decoding.describe()})"


@dataclass(frozen=True)
class _Piece:
    """One unit of work: a piece of input ``owner`` with the prefix its translation needs."""

    owner: int
    text: str
    prefix: str | None


@runtime_checkable
class Engine(Protocol):
    """Anything that translates: N texts in, N hypotheses out (see the module docstring)."""

    @property
    def info(self) -> EngineInfo:
        """Engine name, model id and revision, decoding options."""
        ...

    def translate(
        self,
        texts: Sequence[str],
        pair: LanguagePair,
        *,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[Hypothesis]:
        """Translate each text; ``prefixes[i]`` forces the start of translation ``i``."""
        ...

    def score(
        self, sources: Sequence[str], targets: Sequence[str], pair: LanguagePair
    ) -> list[float]:
        """Mean log-probability per target token of forcing each target."""
        ...


class ModelEngine(abc.ABC):
    """Base class of MT engines that run a model; subclasses fill the ``_``-prefixed hooks.

    The shipped test doubles (identity, reference) are built with ``model=None``.
    """

    name: ClassVar[str] = ""

    def __init__(self, model: ResolvedModel | None, decoding: DecodingOptions) -> None:
        if decoding.beam_size < 1 or decoding.batch_size < 1:
            raise ConfigError("beam size and batch size must be at least 1")
        if decoding.max_input_tokens < 2 or decoding.max_output_tokens < 1:
            raise ConfigError("max_input_tokens must be >= 2 and max_output_tokens >= 1")
        self.model = model
        self.decoding = decoding

    # -- what the engine states ------------------------------------------------------------

    @property
    def info(self) -> EngineInfo:
        model_id = self.model.model_id if self.model is not None else self.name
        revision = self.model.revision if self.model is not None else ""
        return EngineInfo(self.name, model_id, revision, self.decoding)

    @property
    def max_input_tokens(self) -> int:
        """Source tokens per piece: the decoding option capped by the model's positions."""
        limit = self.decoding.max_input_tokens
        model_limit = self._model_max_tokens()
        return min(limit, model_limit) if model_limit is not None else limit

    # -- public, validating methods --------------------------------------------------------

    def translate(
        self,
        texts: Sequence[str],
        pair: LanguagePair,
        *,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[Hypothesis]:
        """Translate each text; N in, N out, same order (see the module docstring)."""
        items = checked_texts(texts, "texts")
        wanted = checked_prefixes(prefixes, len(items))
        self._check_pair(pair)
        limit = self.max_input_tokens
        work: list[_Piece] = []
        counts = [0] * len(items)
        for owner, (text, prefix) in enumerate(zip(items, wanted, strict=True)):
            pieces = split_to_limit(text, self._count_tokens, limit)
            counts[owner] = len(pieces)
            for number, piece in enumerate(pieces):
                work.append(_Piece(owner, piece, prefix if number == 0 else None))
        outputs: list[Hypothesis] = []
        chunk = self._chunk_size()
        for start in range(0, len(work), chunk):
            batch = work[start : start + chunk]
            results = self._translate_batch([p.text for p in batch], [p.prefix for p in batch])
            if len(results) != len(batch):
                raise EngineError(f"{self.name}: {len(batch)} inputs gave {len(results)} outputs")
            outputs.extend(results)
        grouped: list[list[Hypothesis]] = [[] for _ in items]
        for unit, output in zip(work, outputs, strict=True):
            if unit.prefix:
                output = self._honour_prefix(output, unit.prefix)
            grouped[unit.owner].append(output)
        return [_join(parts) if parts else Hypothesis(text="", pieces=0) for parts in grouped]

    def score(
        self, sources: Sequence[str], targets: Sequence[str], pair: LanguagePair
    ) -> list[float]:
        """Mean log-probability per target token (end token included) of each target.

        Long inputs are split as ``translate`` splits them: the source into the same pieces,
        the target alongside it (``splitting.pair_pieces``; among the few cut positions nearest
        the length-proportional one, the model picks the segment it scores highest as the whole
        translation of each piece), so every scored piece fits the model on both sides. The
        score of a split pair is the token-weighted mean over its pieces (each piece's end
        token counted), the weighting ``translate`` uses for a re-joined hypothesis.
        """
        src = checked_texts(sources, "sources")
        tgt = checked_texts(targets, "targets")
        if len(src) != len(tgt):
            raise ValueError(f"{len(src)} sources but {len(tgt)} targets")
        self._check_pair(pair)
        target_limit = self._model_max_tokens()

        def judge(source_piece: str, segments: list[str]) -> int:
            """The candidate the model scores highest as the whole translation of the piece."""
            fitting = [
                i
                for i, segment in enumerate(segments)
                if target_limit is None or self._count_target_tokens(segment) <= target_limit
            ]
            if len(fitting) < 2:
                return fitting[0] if fitting else 0
            means = self._score_batch([source_piece] * len(fitting), [segments[i] for i in fitting])
            return fitting[max(range(len(fitting)), key=means.__getitem__)]

        units = pair_pieces(
            src,
            tgt,
            count_source=self._count_tokens,
            source_limit=self.max_input_tokens,
            count_target=self._count_target_tokens,
            target_limit=target_limit,
            judge=judge,
        )
        parts: list[list[tuple[float, str]]] = [[] for _ in src]
        chunk = self.decoding.batch_size
        for start in range(0, len(units), chunk):
            batch = units[start : start + chunk]
            means = self._score_batch([u.source for u in batch], [u.target for u in batch])
            if len(means) != len(batch):
                raise EngineError(f"{self.name}: {len(batch)} pairs gave {len(means)} scores")
            for unit, mean in zip(batch, means, strict=True):
                parts[unit.owner].append((mean, unit.target))
        return [weighted_mean(p, self._count_target_tokens) for p in parts]

    # -- hooks -------------------------------------------------------------------------------

    @abc.abstractmethod
    def _count_tokens(self, text: str) -> int:
        """Source-side token count of ``text`` as the model sees it (special tokens included)."""

    def _count_target_tokens(self, text: str) -> int:
        """Target-side token count of ``text``, end token included (default: the source count)."""
        return self._count_tokens(text)

    @abc.abstractmethod
    def _translate_batch(self, texts: list[str], prefixes: list[str | None]) -> list[Hypothesis]:
        """Translate non-empty, limit-respecting texts; one hypothesis each, in order."""

    @abc.abstractmethod
    def _score_batch(self, sources: list[str], targets: list[str]) -> list[float]:
        """Mean target-token log-probabilities of forcing each target given its source."""

    def _model_max_tokens(self) -> int | None:
        """The model's own input limit (positions), if it has one."""
        return None

    def _chunk_size(self) -> int:
        """How many pieces one ``_translate_batch`` call receives."""
        return self.decoding.batch_size

    def _canonical_target(self, text: str) -> str:
        """``text`` as it comes back out of target tokenisation (normalisation applied)."""
        return text

    # -- internals -----------------------------------------------------------------------------

    def _check_pair(self, pair: LanguagePair) -> None:
        if self.model is not None and self.model.pair is not None and self.model.pair != pair:
            raise ConfigError(
                f"model {self.model.name!r} translates {self.model.pair}, not {pair}",
                hint="choose a model for this direction with --model",
            )

    def _honour_prefix(self, output: Hypothesis, prefix: str) -> Hypothesis:
        """Give the forced part back exactly as the caller wrote it (not as normalised)."""
        core = prefix.rstrip()
        canonical = self._canonical_target(core)
        if core and output.text.startswith(canonical) and canonical != core:
            return Hypothesis(
                text=core + output.text[len(canonical) :],
                score=output.score,
                pieces=output.pieces,
                tokens=output.tokens,
            )
        return output


def checked_texts(values: Sequence[str], what: str) -> list[str]:
    """``values`` as a list, refusing a bare string and non-string items (``TypeError``)."""
    if isinstance(values, str):
        raise TypeError(f"{what} must be a sequence of strings, not a single string")
    items = list(values)
    for position, value in enumerate(items):
        if not isinstance(value, str):
            raise TypeError(f"{what}[{position}] is {type(value).__name__}, expected str")
    return items


def checked_prefixes(prefixes: Sequence[str | None] | None, count: int) -> list[str | None]:
    """One optional prefix per text (blank ones become ``None``); wrong counts are refused."""
    if prefixes is None:
        return [None] * count
    if isinstance(prefixes, str):
        raise TypeError("prefixes must be a sequence (one optional prefix per text)")
    wanted = [p if p and p.strip() else None for p in prefixes]
    if len(wanted) != count:
        raise ValueError(f"{count} texts but {len(wanted)} prefixes")
    return wanted


def _join(parts: list[Hypothesis]) -> Hypothesis:
    """Re-join the translations of one input's pieces; the score is token-weighted."""
    if len(parts) == 1:
        return parts[0]
    text = " ".join(p.text.strip() for p in parts if p.text.strip())
    tokens = tuple(t for p in parts for t in p.tokens)
    score: float | None = None
    if all(p.score is not None for p in parts):
        weights = [len(p.tokens) + 1 for p in parts]
        total = sum(w * (p.score or 0.0) for w, p in zip(weights, parts, strict=True))
        score = total / sum(weights)
    return Hypothesis(text=text, score=score, pieces=len(parts), tokens=tokens)

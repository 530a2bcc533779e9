"""CTranslate2Engine: Marian models converted by ``transpipe models convert``, fast on CPU.

Owns translation and scoring with ``ctranslate2.Translator`` on a converted directory and
tokenisation with ``sentencepiece`` directly (``source.spm``/``target.spm`` copied there by the
converter). It never imports transformers or torch, so a short article translates in well
under two seconds including start-up. On few cores several single-threaded translators
(``inter_threads``) beat one multi-threaded one; each call splits its batch between them.
"""

from __future__ import annotations

import json
import math
import os
from typing import ClassVar

import ctranslate2
import sentencepiece

from transpipe.config import DecodingOptions
from transpipe.engines.base import ModelEngine
from transpipe.engines.failures import engine_failures
from transpipe.errors import ConfigError, ModelError
from transpipe.model import Hypothesis
from transpipe.models.layout import CT2_METADATA
from transpipe.models.resolve import ResolvedModel

EOS = "</s>"
DEFAULT_MAX_POSITIONS = 512


class CTranslate2Engine(ModelEngine):
    """CTranslate2 engine over a converted model directory."""

    name: ClassVar[str] = "ct2"

    def __init__(
        self,
        model: ResolvedModel | None,
        decoding: DecodingOptions,
        *,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
    ) -> None:
        super().__init__(model, decoding)
        if model is None or model.ct2_dir is None:
            raise ModelError(
                "the ct2 engine needs a CTranslate2 model directory",
                hint="convert one with `transpipe models convert NAME|DIR`",
            )
        directory = model.ct2_dir
        for name in ("source.spm", "target.spm"):
            if not (directory / name).is_file():
                raise ModelError(
                    f"{name} is missing (not converted by transpipe?)",
                    path=directory,
                    hint="re-run `transpipe models convert`",
                )
        inter, intra = _threads(decoding, inter_threads, intra_threads)
        self.inter_threads = inter
        device, _, index = decoding.device.partition(":")
        try:
            self._translator = ctranslate2.Translator(
                str(directory),
                device=device,
                device_index=int(index or 0),
                compute_type=decoding.compute_type,
                inter_threads=inter,
                intra_threads=intra,
            )
        except ValueError as exc:
            raise ConfigError(f"CTranslate2 cannot use these options: {exc}") from exc
        except RuntimeError as exc:
            raise ModelError(f"cannot load CTranslate2 model: {exc}", path=directory) from exc
        self._source_sp = sentencepiece.SentencePieceProcessor(
            model_file=str(directory / "source.spm")
        )
        self._target_sp = sentencepiece.SentencePieceProcessor(
            model_file=str(directory / "target.spm")
        )
        # the glossary's forbidden terms, as target token sequences CTranslate2 never emits
        self._suppressed = [self._target_sp.encode(t, out_type=str) for t in decoding.suppress]
        meta = _metadata(directory)
        self._source_prefix = model.source_prefix or str(meta.get("source_prefix") or "")
        self._max_positions = int(str(meta.get("max_position_embeddings") or DEFAULT_MAX_POSITIONS))

    # -- hooks -------------------------------------------------------------------------------

    def _model_max_tokens(self) -> int | None:
        return self._max_positions

    def _count_tokens(self, text: str) -> int:
        return len(self._source_tokens(text))

    def _count_target_tokens(self, text: str) -> int:
        return len(self._target_sp.encode(text)) + 1  # + the end token

    def _chunk_size(self) -> int:
        return self.decoding.batch_size * self.inter_threads

    def _canonical_target(self, text: str) -> str:
        pieces = self._target_sp.encode(text, out_type=str)
        return str(self._target_sp.decode_pieces(pieces))

    def _translate_batch(self, texts: list[str], prefixes: list[str | None]) -> list[Hypothesis]:
        source = [self._source_tokens(t) for t in texts]
        target_prefix: list[list[str]] | None = None
        if any(prefixes):
            target_prefix = [
                self._target_sp.encode(p.rstrip(), out_type=str) if p else [] for p in prefixes
            ]
        per_translator = math.ceil(len(texts) / self.inter_threads)
        with engine_failures(self.name, "translation"):
            results = self._translator.translate_batch(
                source,
                target_prefix=target_prefix,
                beam_size=self.decoding.beam_size,
                max_batch_size=max(1, min(self.decoding.batch_size, per_translator)),
                max_decoding_length=self._max_decoding_length(),
                length_penalty=1.0,  # scores come back divided by the length, end token included
                suppress_sequences=self._suppressed or None,
                return_scores=True,
            )
        outputs = [[t for t in r.hypotheses[0] if t != EOS] for r in results]
        scores = [float(r.scores[0]) for r in results]
        # With a forced prefix CTranslate2 leaves the prefix out of the score; score the whole
        # output instead, as the marian engine does.
        forced = [i for i, p in enumerate(prefixes) if p]
        if forced:
            rescored = self._forced_scores(
                [source[i] for i in forced], [outputs[i] for i in forced]
            )
            for index, value in zip(forced, rescored, strict=True):
                scores[index] = value
        return [
            Hypothesis(
                text=str(self._target_sp.decode_pieces(tokens)), score=score, tokens=tuple(tokens)
            )
            for tokens, score in zip(outputs, scores, strict=True)
        ]

    def _score_batch(self, sources: list[str], targets: list[str]) -> list[float]:
        return self._forced_scores(
            [self._source_tokens(s) for s in sources],
            [self._target_sp.encode(t, out_type=str) for t in targets],
        )

    # -- internals -----------------------------------------------------------------------------

    def _forced_scores(self, sources: list[list[str]], targets: list[list[str]]) -> list[float]:
        """Mean log-probability per token (end token included) of each tokenised target."""
        with engine_failures(self.name, "scoring"):
            results = self._translator.score_batch(
                sources, targets, max_batch_size=self.decoding.batch_size
            )
        return [sum(r.log_probs) / max(1, len(r.log_probs)) for r in results]

    def _max_decoding_length(self) -> int:
        """Output tokens per piece: the option, capped by the decoder's positions."""
        return min(self.decoding.max_output_tokens, self._max_positions)

    def _source_tokens(self, text: str) -> list[str]:
        tokens: list[str] = self._source_sp.encode(text, out_type=str)
        if self._source_prefix:
            tokens = [self._source_prefix, *tokens]
        return [*tokens, EOS]


def default_threads(cores: int) -> tuple[int, int]:
    """The default (inter_threads, intra_threads) for ``cores``: a single-threaded translator
    per core, up to 4 translators, the rest as threads inside each.

    Several translators working on parts of a batch beat one translator using every core on
    small machines; ``benchmarks/engines.py`` measures every layout and names the fastest, so
    re-check this rule there on new hardware.
    """
    inter = max(1, min(cores, 4))
    return inter, max(1, cores // inter)


def _threads(
    decoding: DecodingOptions, inter_threads: int | None, intra_threads: int | None
) -> tuple[int, int]:
    """(inter, intra): explicit values win; ``decoding.threads`` is the total to use."""
    total = decoding.threads if decoding.threads > 0 else (os.cpu_count() or 1)
    if decoding.device != "cpu":
        total = 1
    default_inter, _ = default_threads(total)
    inter = inter_threads if inter_threads is not None else default_inter
    intra = intra_threads if intra_threads is not None else max(1, total // inter)
    if inter < 1 or intra < 0:
        raise ConfigError("inter_threads must be >= 1 and intra_threads >= 0")
    return inter, intra


def _metadata(directory: os.PathLike[str]) -> dict[str, object]:
    path = os.path.join(directory, CT2_METADATA)
    try:
        with open(path, encoding="utf-8") as stream:
            data = json.load(stream)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}

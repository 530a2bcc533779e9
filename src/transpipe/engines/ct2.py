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
from transpipe.errors import ConfigError, ModelError
from transpipe.model import Hypothesis
from transpipe.models.resolve import CT2_METADATA, ResolvedModel

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
            raise ConfigError(f"CTranslate2 cannot use these options: {exc}") from None
        except RuntimeError as exc:
            raise ModelError(f"cannot load CTranslate2 model: {exc}", path=directory) from None
        self._source_sp = sentencepiece.SentencePieceProcessor(
            model_file=str(directory / "source.spm")
        )
        self._target_sp = sentencepiece.SentencePieceProcessor(
            model_file=str(directory / "target.spm")
        )
        meta = _metadata(directory)
        self._source_prefix = model.source_prefix or str(meta.get("source_prefix") or "")
        self._max_positions = int(str(meta.get("max_position_embeddings") or DEFAULT_MAX_POSITIONS))

    # -- hooks -------------------------------------------------------------------------------

    def _model_max_tokens(self) -> int | None:
        return self._max_positions

    def _count_tokens(self, text: str) -> int:
        return len(self._source_tokens(text))

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
        results = self._translator.translate_batch(
            source,
            target_prefix=target_prefix,
            beam_size=self.decoding.beam_size,
            max_batch_size=max(1, min(self.decoding.batch_size, per_translator)),
            max_decoding_length=self.decoding.max_output_tokens,
            return_scores=True,
        )
        hypotheses: list[Hypothesis] = []
        for result in results:
            tokens = [t for t in result.hypotheses[0] if t != EOS]
            score = float(result.scores[0]) / (len(tokens) + 1) if result.scores else None
            text = str(self._target_sp.decode_pieces(tokens))
            hypotheses.append(Hypothesis(text=text, score=score, tokens=tuple(tokens)))
        return hypotheses

    def _score_batch(self, sources: list[str], targets: list[str]) -> list[float]:
        source = [self._source_tokens(s) for s in sources]
        target = [self._target_sp.encode(t, out_type=str) for t in targets]
        results = self._translator.score_batch(
            source, target, max_batch_size=self.decoding.batch_size
        )
        return [sum(r.log_probs) / max(1, len(r.log_probs)) for r in results]

    # -- internals -----------------------------------------------------------------------------

    def _source_tokens(self, text: str) -> list[str]:
        tokens: list[str] = self._source_sp.encode(text, out_type=str)
        if self._source_prefix:
            tokens = [self._source_prefix, *tokens]
        return [*tokens, EOS]


def _threads(
    decoding: DecodingOptions, inter_threads: int | None, intra_threads: int | None
) -> tuple[int, int]:
    """(inter, intra): explicit values win; ``decoding.threads`` is the total to use.

    By default every core gets its own single-threaded translator (measured faster than one
    translator using all cores; see benchmarks/engines.py).
    """
    total = decoding.threads if decoding.threads > 0 else (os.cpu_count() or 1)
    if decoding.device != "cpu":
        total = 1
    inter = inter_threads if inter_threads is not None else max(1, min(total, 4))
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

"""MarianEngine: OPUS-MT Marian models through transformers (MarianMTModel + MarianTokenizer).

Owns batched ``generate`` on CPU or CUDA with the beam size from ``DecodingOptions``, forced
target prefixes (decoder input ids, then free continuation), hypothesis scores (mean token
log-probability from the transition scores) and forced-target scoring (one forward pass with
labels). Importing this module imports torch and transformers (seconds); the registry imports
it only when the marian engine is chosen.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar, cast

import torch
import transformers
from transformers import (
    LogitsProcessorList,
    MarianMTModel,
    MarianTokenizer,
    NoBadWordsLogitsProcessor,
)

from transpipe.config import DecodingOptions
from transpipe.engines.base import ModelEngine
from transpipe.engines.failures import engine_failures
from transpipe.errors import ConfigError, EngineError, ModelError
from transpipe.model import Hypothesis
from transpipe.models.resolve import ResolvedModel


class MarianEngine(ModelEngine):
    """transformers Marian engine over a Hugging Face model directory."""

    name: ClassVar[str] = "marian"

    def __init__(self, model: ResolvedModel | None, decoding: DecodingOptions) -> None:
        super().__init__(model, decoding)
        if model is None or model.hf_dir is None:
            raise ModelError("the marian engine needs a Hugging Face Marian model directory")
        if decoding.device.startswith("cuda") and not torch.cuda.is_available():
            raise ConfigError(f"device {decoding.device!r} requested but CUDA is not available")
        if decoding.threads > 0:
            torch.set_num_threads(decoding.threads)
        # a command's output is its own: no weight-loading bar, and not the tokenizer's
        # advice to install sacremoses, whose normaliser transformers 5 never calls
        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Recommended: pip install sacremoses")
                self._tokenizer: Any = MarianTokenizer.from_pretrained(str(model.hf_dir))
            loaded: Any = cast(Any, MarianMTModel).from_pretrained(
                str(model.hf_dir), dtype=torch.float32
            )
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load Marian model: {exc}", path=model.hf_dir) from exc
        self._model: Any = loaded.to(decoding.device)
        self._model.eval()
        # lengths come from max_new_tokens per call; the model's own max_length only makes
        # generate() warn that both are set
        self._model.generation_config.max_length = None
        self._source_prefix = model.source_prefix
        self._eos_id = int(self._model.config.eos_token_id)
        self._pad_id = int(self._model.config.pad_token_id)
        self._start_id = int(self._model.config.decoder_start_token_id)
        # the glossary's forbidden terms, as target id sequences generation never completes
        self._suppressed = [self._target_ids(t) for t in decoding.suppress]

    # -- hooks -------------------------------------------------------------------------------

    def _model_max_tokens(self) -> int | None:
        return int(self._model.config.max_position_embeddings)

    def _count_tokens(self, text: str) -> int:
        return len(self._tokenizer(self._with_prefix(text)).input_ids)

    def _count_target_tokens(self, text: str) -> int:
        return len(self._tokenizer(text_target=text).input_ids)  # the end token included

    def _canonical_target(self, text: str) -> str:
        ids = self._target_ids(text)
        return str(self._tokenizer.decode(ids, skip_special_tokens=True))

    def _translate_batch(self, texts: list[str], prefixes: list[str | None]) -> list[Hypothesis]:
        results: list[Hypothesis | None] = [None] * len(texts)
        free = [i for i, p in enumerate(prefixes) if not p]
        # Shortest first keeps padding low inside each batch.
        free.sort(key=lambda i: len(texts[i]))
        if free:
            for index, hyp in zip(free, self._generate([texts[i] for i in free]), strict=True):
                results[index] = hyp
        for index, prefix in enumerate(prefixes):
            if prefix:
                results[index] = self._generate_with_prefix(texts[index], prefix)
        return [r if r is not None else Hypothesis(text="") for r in results]

    def _score_batch(self, sources: list[str], targets: list[str]) -> list[float]:
        encoded = self._tokenizer(
            [self._with_prefix(s) for s in sources],
            text_target=targets,
            padding=True,
            return_tensors="pt",
        ).to(self.decoding.device)
        labels = encoded["labels"]
        labels = labels.masked_fill(labels == self._pad_id, -100)
        return self._forced_scores(encoded["input_ids"], encoded["attention_mask"], labels)

    # -- internals -----------------------------------------------------------------------------

    def _with_prefix(self, text: str) -> str:
        return f"{self._source_prefix} {text}" if self._source_prefix else text

    def _target_ids(self, text: str) -> list[int]:
        ids: list[int] = self._tokenizer(text_target=text).input_ids
        return [i for i in ids if i != self._eos_id]

    def _forced_scores(self, input_ids: Any, attention_mask: Any, labels: Any) -> list[float]:
        """Mean log-probability of each row of ``labels`` (-100 = padding) given the sources."""
        with torch.inference_mode(), engine_failures(self.name, "scoring"):
            logits = self._model(
                input_ids=input_ids, attention_mask=attention_mask, labels=labels
            ).logits
            log_probs = torch.log_softmax(logits.float(), dim=-1)
            mask = labels != -100
            picked = log_probs.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
            sums = (picked * mask).sum(dim=-1)
            lengths = mask.sum(dim=-1).clamp(min=1)
            return [float(v) for v in (sums / lengths).tolist()]

    def _max_new_tokens(self) -> int:
        """Output tokens per piece: the option, capped by the decoder's positions."""
        return min(self.decoding.max_output_tokens, int(self._model.config.max_position_embeddings))

    def _generate_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "num_beams": self.decoding.beam_size,
            "do_sample": False,
            "max_new_tokens": self._max_new_tokens(),
            "output_scores": True,
            "return_dict_in_generate": True,
        }
        if self._suppressed:
            kwargs["logits_processor"] = LogitsProcessorList(
                [NoBadWordsLogitsProcessor(self._suppressed, eos_token_id=self._eos_id)]
            )
        return kwargs

    def _generate(self, texts: list[str]) -> list[Hypothesis]:
        encoded = self._tokenizer(
            [self._with_prefix(t) for t in texts], padding=True, return_tensors="pt"
        ).to(self.decoding.device)
        with torch.inference_mode(), engine_failures(self.name, "translation"):
            out = self._model.generate(**encoded, **self._generate_kwargs())
            beams = self.decoding.beam_size > 1
            transition = self._model.compute_transition_scores(
                out.sequences,
                out.scores,
                out.beam_indices if beams else None,
                normalize_logits=not beams,
            )
        sequences = out.sequences[:, 1:].tolist()  # drop the decoder start token
        hypotheses: list[Hypothesis] = []
        for row, (ids, scores) in enumerate(zip(sequences, transition.tolist(), strict=True)):
            length = _length_with_eos(ids, self._eos_id)
            if length == 0:
                raise EngineError(f"marian: empty output for input {row}")
            values = [float(s) for s in scores[:length]]
            hypotheses.append(self._hypothesis(ids[:length], sum(values) / len(values)))
        return hypotheses

    def _generate_with_prefix(self, text: str, prefix: str) -> Hypothesis:
        encoded = self._tokenizer([self._with_prefix(text)], return_tensors="pt").to(
            self.decoding.device
        )
        forced = [self._start_id, *self._target_ids(prefix.rstrip())]
        decoder_input_ids = torch.tensor([forced], device=self.decoding.device)
        kwargs = self._generate_kwargs()
        kwargs["max_new_tokens"] = max(1, self._max_new_tokens() - len(forced) + 1)
        with torch.inference_mode(), engine_failures(self.name, "translation"):
            out = self._model.generate(**encoded, decoder_input_ids=decoder_input_ids, **kwargs)
        ids = out.sequences[0, 1:].tolist()
        ids = ids[: _length_with_eos(ids, self._eos_id)]
        # The score covers the whole output, forced part included, as the model produced it.
        labels = torch.tensor([ids], device=self.decoding.device)
        (score,) = self._forced_scores(encoded["input_ids"], encoded["attention_mask"], labels)
        return self._hypothesis(ids, score)

    def _hypothesis(self, ids: list[int], score: float | None) -> Hypothesis:
        content = [i for i in ids if i not in (self._eos_id, self._pad_id)]
        text = str(self._tokenizer.decode(content, skip_special_tokens=True))
        tokens = tuple(str(t) for t in self._tokenizer.convert_ids_to_tokens(content))
        return Hypothesis(text=text, score=score, tokens=tokens)


def _length_with_eos(ids: list[int], eos_id: int) -> int:
    """Number of generated ids up to and including the first end token."""
    try:
        return ids.index(eos_id) + 1
    except ValueError:
        return len(ids)

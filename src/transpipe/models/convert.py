"""Converting a Hugging Face Marian model into a CTranslate2 model directory.

Owns ``convert_to_ct2``: CTranslate2's ``TransformersConverter`` writes the weights (int8 by
default), and the sentencepiece files plus a small ``transpipe-ct2.json`` (model id, revision,
quantization, pair, source prefix, position limit) are copied beside them, so the ct2 engine
can tokenise without transformers. The conversion goes into a temporary directory that is
renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from transpipe.errors import ConfigError, InputError, ModelError
from transpipe.models.layout import CT2_METADATA, detect_layout, read_metadata, replace_dir

QUANTIZATIONS = (
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float32",
    "float16",
    "bfloat16",
)
SPM_FILES = ("source.spm", "target.spm")


def convert_to_ct2(hf_dir: Path, out_dir: Path, *, quantization: str = "int8") -> Path:
    """Convert ``hf_dir`` (Hugging Face Marian layout) into ``out_dir``; returns ``out_dir``.

    An existing ``out_dir`` is replaced only after the new conversion succeeded.
    """
    if quantization not in QUANTIZATIONS:
        raise ConfigError(
            f"unknown quantization {quantization!r}", hint=f"choose from {', '.join(QUANTIZATIONS)}"
        )
    if detect_layout(hf_dir) != "hf":
        raise InputError(
            "not a Hugging Face Marian model directory",
            path=hf_dir,
            hint="expected config.json, source.spm, target.spm and the weights",
        )
    from ctranslate2.converters import TransformersConverter  # imports transformers: slow

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    staged = work / "model"
    try:
        converter = TransformersConverter(str(hf_dir))
        try:
            with _start_token_marian_loader():
                converter.convert(str(staged), quantization=quantization, force=True)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"CTranslate2 conversion failed: {exc}", path=hf_dir) from exc
        for name in SPM_FILES:
            shutil.copyfile(hf_dir / name, staged / name)
        (staged / CT2_METADATA).write_text(
            json.dumps(_metadata(hf_dir, quantization), indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        replace_dir(staged, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out_dir


@contextlib.contextmanager
def _start_token_marian_loader() -> Iterator[None]:
    """Convert Marian models the way transformers runs them.

    CTranslate2's stock Marian loader drops the ``<pad>`` token and starts decoding from a zero
    embedding, which is exact only when the ``<pad>`` embedding row is zero (OPUS-MT's Marian
    training keeps it so). A model trained with transformers and tied embeddings, like the
    demo model, learns that row. This loader keeps ``<pad>`` as the decoder start token with
    its real embedding and forbids generating it by a -1e9 output bias, so greedy outputs
    match transformers token for token on every Marian model. CTranslate2 has no public hook
    for this, so the loader is swapped in its loader table for the duration of one conversion.
    """
    from ctranslate2.converters import transformers as ct2_transformers

    stock = ct2_transformers.MarianMTLoader
    bart = ct2_transformers.BartLoader

    class StartTokenMarianLoader(stock):  # type: ignore[misc, valid-type]
        def get_model_spec(self, model: Any) -> Any:
            model.config.normalize_before = False
            model.config.normalize_embedding = False
            spec = bart.get_model_spec(self, model)
            projection = spec.decoder.projection
            if projection.has_bias():
                projection.bias[model.config.pad_token_id] = -1e9
            return spec

        def set_config(self, config: Any, model: Any, tokenizer: Any) -> None:
            config.eos_token = tokenizer.eos_token
            config.unk_token = tokenizer.unk_token
            config.decoder_start_token = tokenizer.pad_token

        def set_decoder(self, spec: Any, decoder: Any) -> None:
            bart.set_decoder(self, spec, decoder)
            spec.start_from_zero_embedding = False

        def get_vocabulary(self, model: Any, tokenizer: Any) -> Any:
            return bart.get_vocabulary(self, model, tokenizer)

    loaders = ct2_transformers._MODEL_LOADERS
    previous = loaders.get("MarianConfig")
    loaders["MarianConfig"] = StartTokenMarianLoader()
    try:
        yield
    finally:
        if previous is not None:
            loaders["MarianConfig"] = previous


def _metadata(hf_dir: Path, quantization: str) -> dict[str, object]:
    source = read_metadata(hf_dir)
    config = json.loads((hf_dir / "config.json").read_text(encoding="utf-8"))
    return {
        "model_id": source.get("model_id") or config.get("_name_or_path") or hf_dir.name,
        "revision": source.get("revision") or "local",
        "pair": source.get("pair") or "",
        "source_prefix": source.get("source_prefix") or "",
        "quantization": quantization,
        "max_position_embeddings": int(config.get("max_position_embeddings", 512)),
        "converted_from": hf_dir.name,
    }

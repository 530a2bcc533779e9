"""Resolving ``--model`` to model directories on disk, without touching the network.

Owns ``ResolvedModel`` and ``resolve_model``: a spec is a local directory (Hugging Face Marian
layout or CTranslate2 - detected), a catalogue name, ``demo`` (trained and converted on first
use) or ``None`` (the catalogue default for the pair). When nothing usable is installed it
raises ``ModelNotFoundError`` whose message names the exact command that installs a model.
Also owns the on-disk conventions: ``models/NAME/`` (pulled), ``models/NAME-ct2/`` (converted)
and the small JSON metadata files that travel with each directory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from transpipe.config import Paths
from transpipe.errors import ConfigError, InputError, ModelNotFoundError
from transpipe.model import LanguagePair
from transpipe.models.catalogue import DEMO_NAME, CatalogueEntry, load_catalogue

HF_METADATA = "transpipe-model.json"  # written by `models pull`
CT2_METADATA = "transpipe-ct2.json"  # written by `models convert`
DEMO_METADATA = "transpipe-demo.json"  # written by `models train-demo`
CT2_SUFFIX = "-ct2"

Layout = Literal["hf", "ct2"]


@dataclass(frozen=True)
class ResolvedModel:
    """A model ready for an engine: its directories and what it is."""

    name: str
    hf_dir: Path | None
    ct2_dir: Path | None
    model_id: str
    revision: str
    pair: LanguagePair | None
    source_prefix: str = ""  # token put before every source text, e.g. ">>rus<<"


def detect_layout(directory: Path) -> Layout | None:
    """``"ct2"`` for a CTranslate2 model dir, ``"hf"`` for a Hugging Face Marian dir."""
    if (directory / "model.bin").is_file() and (directory / "config.json").is_file():
        return "ct2"
    has_weights = any(
        (directory / name).is_file() for name in ("model.safetensors", "pytorch_model.bin")
    )
    if (
        has_weights
        and (directory / "config.json").is_file()
        and (directory / "source.spm").is_file()
    ):
        return "hf"
    return None


def read_metadata(directory: Path) -> dict[str, object]:
    """The transpipe metadata of a model dir ({} when it has none or it is unreadable)."""
    for name in (CT2_METADATA, DEMO_METADATA, HF_METADATA):
        path = directory / name
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def ct2_dir_for(hf_dir: Path) -> Path:
    """Where ``models convert`` puts the CTranslate2 copy of ``hf_dir`` by default."""
    return hf_dir.with_name(hf_dir.name + CT2_SUFFIX)


def demo_dir(models_dir: Path, pair: LanguagePair) -> Path:
    return models_dir / f"{DEMO_NAME}-{pair.source}-{pair.target}"


def resolve_model(spec: str | None, pair: LanguagePair, engine: str, paths: Paths) -> ResolvedModel:
    """Find the model ``spec`` names for ``engine`` (``marian`` needs HF, ``ct2`` a ct2 dir)."""
    if engine == "identity":
        return ResolvedModel("identity", None, None, "identity", "", pair)
    if spec is not None and _looks_like_path(spec, paths):
        return _resolve_directory(Path(spec), pair, engine)
    if spec == DEMO_NAME:
        return _resolve_demo(pair, engine, paths)
    catalogue = load_catalogue(paths.models_dir)
    if spec is None:
        entry = catalogue.default_for(pair)
        if entry is None:
            raise ModelNotFoundError(
                f"no catalogue model translates {pair}",
                hint="pass a model directory with --model, or try --model demo",
            )
    else:
        entry = catalogue.get(spec)
        if entry.pair is not None and entry.pair != pair:
            raise ConfigError(f"model {spec!r} translates {entry.pair}, not {pair}")
    return _resolve_entry(entry, pair, engine, paths)


def _looks_like_path(spec: str, paths: Paths) -> bool:
    if "/" in spec or "\\" in spec or spec.startswith((".", "~")):
        return True
    return Path(spec).is_dir() and not (paths.models_dir / spec).is_dir()


def _resolve_directory(directory: Path, pair: LanguagePair, engine: str) -> ResolvedModel:
    directory = directory.expanduser()
    if not directory.is_dir():
        raise InputError("model directory not found", path=directory)
    layout = detect_layout(directory)
    if layout is None:
        raise InputError(
            "not a model directory",
            path=directory,
            hint="expected a Hugging Face Marian model (config.json, source.spm, weights) "
            "or a CTranslate2 model (model.bin)",
        )
    hf_dir = directory if layout == "hf" else None
    ct2_dir = directory if layout == "ct2" else None
    if hf_dir is not None and detect_layout(ct2_dir_for(hf_dir)) == "ct2":
        ct2_dir = ct2_dir_for(hf_dir)
    if engine == "ct2" and ct2_dir is None:
        raise ModelNotFoundError(
            "is a Hugging Face model; the ct2 engine needs a CTranslate2 copy",
            path=directory,
            hint=f"run `transpipe models convert {directory}` or use --engine marian",
        )
    if engine == "marian" and hf_dir is None:
        raise ModelNotFoundError(
            "is a CTranslate2 model; the marian engine needs a Hugging Face model",
            path=directory,
            hint="use --engine ct2",
        )
    meta = read_metadata(directory)
    return ResolvedModel(
        name=directory.name,
        hf_dir=hf_dir,
        ct2_dir=ct2_dir,
        model_id=str(meta.get("model_id") or directory.name),
        revision=str(meta.get("revision") or "local"),
        pair=_meta_pair(meta),
        source_prefix=str(meta.get("source_prefix") or ""),
    )


def _resolve_entry(
    entry: CatalogueEntry, pair: LanguagePair, engine: str, paths: Paths
) -> ResolvedModel:
    hf_dir = paths.models_dir / entry.name
    ct2_dir = ct2_dir_for(hf_dir)
    have_hf = detect_layout(hf_dir) == "hf"
    have_ct2 = detect_layout(ct2_dir) == "ct2"
    pull = f"transpipe models pull {entry.name}"
    convert = f"transpipe models convert {entry.name}"
    offline = "offline, try --model demo (exercises the pipeline only)"
    if engine == "ct2" and not have_ct2:
        command = convert if have_hf else f"{pull} && {convert}"
        raise ModelNotFoundError(
            f"no {pair} model installed for engine ct2 ({entry.name} is not converted)",
            hint=f"install it with `{command}`; {offline}",
        )
    if engine != "ct2" and not have_hf:
        raise ModelNotFoundError(
            f"no {pair} model installed for engine {engine} ({entry.name} is not downloaded)",
            hint=f"install it with `{pull}`; {offline}",
        )
    return ResolvedModel(
        name=entry.name,
        hf_dir=hf_dir if have_hf else None,
        ct2_dir=ct2_dir if have_ct2 else None,
        model_id=entry.hf_id,
        revision=entry.revision,
        pair=entry.pair or pair,
        source_prefix=entry.source_prefix,
    )


def _resolve_demo(pair: LanguagePair, engine: str, paths: Paths) -> ResolvedModel:
    from transpipe.models.demo import ensure_demo_ct2, ensure_demo_model

    hf_dir = ensure_demo_model(paths.models_dir, pair)
    ct2_dir = ensure_demo_ct2(paths.models_dir, pair) if engine == "ct2" else None
    meta = read_metadata(hf_dir)
    return ResolvedModel(
        name=DEMO_NAME,
        hf_dir=hf_dir,
        ct2_dir=ct2_dir,
        model_id=str(meta.get("model_id") or f"transpipe-demo-{pair.source}-{pair.target}"),
        revision=str(meta.get("revision") or "local"),
        pair=pair,
    )


def _meta_pair(meta: dict[str, object]) -> LanguagePair | None:
    value = meta.get("pair")
    if isinstance(value, str) and "-" in value:
        source, _, target = value.partition("-")
        return LanguagePair(source, target)
    return None

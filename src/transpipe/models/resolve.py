"""Resolving ``--model`` to model directories on disk: a lookup, nothing more.

Owns ``ResolvedModel`` and ``resolve_model``. A spec is a local directory (Hugging Face Marian
layout or CTranslate2 - detected), a catalogue name (looked up in the model store), ``demo``
(the user's own trained copy in the store if there is one, else the copy shipped inside the
package) or ``None`` (the catalogue default for the pair). Resolving never downloads, converts
or trains and never imports torch: setting a model up is the CLI's ``models`` commands' job.
When nothing usable is installed it raises ``ModelNotFoundError`` whose message names the
store and the exact command that installs a model. On-disk conventions: ``models.layout``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from transpipe.config import Paths
from transpipe.errors import ConfigError, InputError, ModelNotFoundError
from transpipe.model import LanguagePair
from transpipe.models.catalogue import CatalogueEntry, load_catalogue
from transpipe.models.layout import (
    DEMO_NAME,
    ModelStore,
    ct2_dir_for,
    detect_layout,
    metadata_pair,
    packaged_demo_dir,
    read_metadata,
)


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


def resolve_model(spec: str | None, pair: LanguagePair, engine: str, paths: Paths) -> ResolvedModel:
    """Find the model ``spec`` names for ``engine`` (``marian`` needs HF, ``ct2`` a ct2 dir)."""
    store = ModelStore(paths.models_dir)
    if engine == "identity":
        return ResolvedModel("identity", None, None, "identity", "", pair)
    if spec is not None and _looks_like_path(spec, store):
        return _resolve_directory(Path(spec), pair, engine)
    if spec == DEMO_NAME:
        return _resolve_demo(pair, store)
    catalogue = load_catalogue(store)
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
    return _resolve_entry(entry, pair, engine, store)


def demo_dirs(pair: LanguagePair, store: ModelStore) -> tuple[Path, Path] | None:
    """(Hugging Face dir, CTranslate2 dir) of the demo model ``--model demo`` uses, if any.

    A complete copy trained into the store (both layouts, of one revision) wins over the one
    shipped inside the package.
    """
    for hf_dir in (store.demo_dir(pair), packaged_demo_dir(pair)):
        ct2_dir = ct2_dir_for(hf_dir)
        if (
            detect_layout(hf_dir) == "hf"
            and detect_layout(ct2_dir) == "ct2"
            and read_metadata(hf_dir).get("revision") == read_metadata(ct2_dir).get("revision")
        ):
            return hf_dir, ct2_dir
    return None


def _looks_like_path(spec: str, store: ModelStore) -> bool:
    if "/" in spec or "\\" in spec or spec.startswith((".", "~")):
        return True
    return Path(spec).is_dir() and not store.model_dir(spec).is_dir()


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
    return _from_metadata(directory.name, hf_dir, ct2_dir, directory, default_pair=None)


def _resolve_entry(
    entry: CatalogueEntry, pair: LanguagePair, engine: str, store: ModelStore
) -> ResolvedModel:
    hf_dir = store.model_dir(entry.name)
    ct2_dir = ct2_dir_for(hf_dir)
    have_hf = detect_layout(hf_dir) == "hf"
    have_ct2 = detect_layout(ct2_dir) == "ct2"
    pull = f"transpipe models pull {entry.name}"
    convert = f"transpipe models convert {entry.name}"
    offline = "offline, try --model demo (exercises the pipeline only)"
    if engine == "ct2" and not have_ct2:
        command = convert if have_hf else f"{pull} && {convert}"
        raise ModelNotFoundError(
            f"no {pair} model for engine ct2 in the {store.describe()} "
            f"({entry.name} is not converted)",
            hint=f"install it with `{command}`; {offline}",
        )
    if engine != "ct2" and not have_hf:
        raise ModelNotFoundError(
            f"no {pair} model for engine {engine} in the {store.describe()} "
            f"({entry.name} is not downloaded)",
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


def _resolve_demo(pair: LanguagePair, store: ModelStore) -> ResolvedModel:
    found = demo_dirs(pair, store)
    if found is None:
        raise ModelNotFoundError(
            f"no demo model for {pair}: none in the {store.describe()} and none shipped "
            "with this installation",
            hint=f"train one with `transpipe models train-demo --from {pair.source} "
            f"--to {pair.target}` in a clone of the repository (it writes "
            f"{store.demo_dir(pair)})",
        )
    hf_dir, ct2_dir = found
    resolved = _from_metadata(DEMO_NAME, hf_dir, ct2_dir, hf_dir, default_pair=pair)
    if resolved.pair != pair:
        raise ConfigError(f"the demo model in {hf_dir} translates {resolved.pair}, not {pair}")
    return resolved


def _from_metadata(
    name: str,
    hf_dir: Path | None,
    ct2_dir: Path | None,
    directory: Path,
    *,
    default_pair: LanguagePair | None,
) -> ResolvedModel:
    meta = read_metadata(directory)
    return ResolvedModel(
        name=name,
        hf_dir=hf_dir,
        ct2_dir=ct2_dir,
        model_id=str(meta.get("model_id") or directory.name),
        revision=str(meta.get("revision") or "local"),
        pair=metadata_pair(meta) or default_pair,
        source_prefix=str(meta.get("source_prefix") or ""),
    )

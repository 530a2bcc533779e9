"""Where models live on disk and how a model directory is recognised.

Owns the on-disk conventions and nothing else (no network, no torch, no training):

- the **model store**, a per-user directory (``ModelStore``): ``NAME/`` for a model pulled
  from the hub, ``NAME-ct2/`` for its CTranslate2 copy, ``demo-SRC-TGT/`` (+ ``-ct2``) for a
  demo model the user trained with ``transpipe models train-demo``, an optional
  ``catalogue.toml`` that replaces the shipped one, and ``cache/`` for derived files. The CLI
  chooses its root (``$TRANSPIPE_MODELS_DIR``, else the platform's user data directory, see
  ``default_models_dir``) and passes it down; library code never looks at the environment;
- the **package data** shipped inside transpipe (``transpipe/models/data/``): the catalogue
  and the two demo models, each in both layouts, so ``--model demo`` works from any directory;
- the two **layouts** of a model directory (``detect_layout``): Hugging Face Marian
  (config.json, source.spm, weights) and CTranslate2 (model.bin, config.json), and the small
  JSON metadata file each of them carries (``read_metadata``).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from transpipe.model import LanguagePair

HF_METADATA = "transpipe-model.json"  # written by `models pull`
CT2_METADATA = "transpipe-ct2.json"  # written by `models convert` (and train-demo)
DEMO_METADATA = "transpipe-demo.json"  # written by `models train-demo`
CT2_SUFFIX = "-ct2"
CATALOGUE_FILE = "catalogue.toml"
DEMO_NAME = "demo"
CACHE_DIR = "cache"
MODELS_DIR_ENV = "TRANSPIPE_MODELS_DIR"  # read by the CLI only

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
PACKAGED_CATALOGUE = PACKAGE_DATA / CATALOGUE_FILE

Layout = Literal["hf", "ct2"]


@dataclass(frozen=True)
class ModelStore:
    """The per-user directory models are pulled, converted and trained into."""

    root: Path

    def model_dir(self, name: str) -> Path:
        """Where ``models pull NAME`` puts a catalogue model."""
        return self.root / name

    def demo_dir(self, pair: LanguagePair) -> Path:
        """Where ``models train-demo`` puts a user-trained demo model for ``pair``."""
        return self.root / demo_name(pair)

    @property
    def catalogue(self) -> Path:
        """A catalogue of the user's own, used instead of the shipped one when present."""
        return self.root / CATALOGUE_FILE

    @property
    def cache(self) -> Path:
        return self.root / CACHE_DIR

    def describe(self) -> str:
        """How messages name the store."""
        return f"model store {self.root}"


def default_models_dir() -> Path:
    """The platform's per-user data directory for models (``~/.local/share/transpipe/models``
    on Linux, ``~/Library/Application Support/transpipe/models`` on macOS,
    ``%LOCALAPPDATA%\\transpipe\\models`` on Windows). Called by the CLI only."""
    import platformdirs

    return Path(platformdirs.user_data_dir("transpipe", appauthor=False)) / "models"


def demo_name(pair: LanguagePair) -> str:
    return f"{DEMO_NAME}-{pair.source}-{pair.target}"


def packaged_demo_dir(pair: LanguagePair) -> Path:
    """The demo model for ``pair`` shipped inside the package (Hugging Face layout)."""
    return PACKAGE_DATA / demo_name(pair)


def ct2_dir_for(hf_dir: Path) -> Path:
    """Where the CTranslate2 copy of ``hf_dir`` lives by default: ``NAME-ct2`` beside it."""
    return hf_dir.with_name(hf_dir.name + CT2_SUFFIX)


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


def metadata_pair(meta: dict[str, object]) -> LanguagePair | None:
    """The language pair a metadata dict states (``"pair": "en-ru"``), if any."""
    value = meta.get("pair")
    if isinstance(value, str) and "-" in value:
        source, _, target = value.partition("-")
        return LanguagePair(source, target)
    return None


def replace_dir(staged: Path, target: Path) -> None:
    """Move the finished directory ``staged`` to ``target``, swapping an old ``target`` out last.

    A reader sees the old directory or the new one, never a half-written one.
    """
    old = target.with_name(f".{target.name}.old")
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)

"""The model catalogue: which translation models transpipe knows by name.

Owns reading the catalogue (``transpipe/models/data/catalogue.toml``, shipped in the package,
or a ``catalogue.toml`` of the user's own in the model store) into ``CatalogueEntry`` values
and choosing the default model for a language pair. Pure file reading, no network.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from transpipe.errors import ConfigError, FormatError
from transpipe.model import LanguagePair
from transpipe.models.layout import DEMO_NAME, PACKAGED_CATALOGUE, ModelStore


@dataclass(frozen=True)
class CatalogueEntry:
    """One known model: where it comes from and what it translates."""

    name: str
    pair: LanguagePair | None  # None for the demo entry (one model per direction)
    hf_id: str
    revision: str
    license: str
    size: str
    default: bool = False
    source_prefix: str = ""  # e.g. ">>rus<<" for multilingual tc-big models

    @property
    def is_demo(self) -> bool:
        return self.name == DEMO_NAME


@dataclass(frozen=True)
class Catalogue:
    """All catalogue entries, in file order."""

    path: Path
    entries: tuple[CatalogueEntry, ...]

    def names(self) -> list[str]:
        return [e.name for e in self.entries]

    def get(self, name: str) -> CatalogueEntry:
        for entry in self.entries:
            if entry.name == name:
                return entry
        raise ConfigError(
            f"unknown model {name!r}",
            hint=f"known: {', '.join(self.names())}; or pass a model directory",
        )

    def default_for(self, pair: LanguagePair) -> CatalogueEntry | None:
        """The default catalogue model for ``pair`` (first ``default = true`` entry)."""
        candidates = [e for e in self.entries if e.pair == pair]
        for entry in candidates:
            if entry.default:
                return entry
        return candidates[0] if candidates else None


def catalogue_path(store: ModelStore) -> Path:
    """The store's own ``catalogue.toml`` when present, else the one shipped in the package."""
    return store.catalogue if store.catalogue.is_file() else PACKAGED_CATALOGUE


def load_catalogue(store: ModelStore) -> Catalogue:
    """Read the catalogue for ``store``; a malformed file is a ``FormatError``."""
    path = catalogue_path(store)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("model catalogue not found", path=path) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read the model catalogue: {exc.strerror}", path=path) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FormatError(f"invalid TOML: {exc}", path=path) from exc
    models = data.get("models")
    if not isinstance(models, dict):
        raise FormatError("expected a [models.NAME] table", path=path)
    entries = [_entry(name, table, path) for name, table in models.items()]
    return Catalogue(path=path, entries=tuple(entries))


def _entry(name: str, table: object, path: Path) -> CatalogueEntry:
    if not isinstance(table, dict):
        raise FormatError(f"[models.{name}] must be a table", path=path)
    missing = [k for k in ("pair", "hf_id", "revision") if not isinstance(table.get(k), str)]
    if missing:
        raise FormatError(f"[models.{name}] lacks {', '.join(missing)}", path=path)
    pair_text: str = table["pair"]
    pair: LanguagePair | None = None
    if pair_text != "*":
        source, sep, target = pair_text.partition("-")
        if not sep or not source or not target:
            raise FormatError(f"[models.{name}] pair {pair_text!r} is not like 'ru-en'", path=path)
        pair = LanguagePair(source, target)
    return CatalogueEntry(
        name=name,
        pair=pair,
        hf_id=table["hf_id"],
        revision=table["revision"],
        license=str(table.get("license", "")),
        size=str(table.get("size", "")),
        default=bool(table.get("default", False)),
        source_prefix=str(table.get("source_prefix", "")),
    )

"""Named, lazily imported components: one ``Registry`` per kind.

Entries are ``"module:attribute"`` strings, imported on first use, so importing transpipe never
imports torch, transformers or CTranslate2. Plugins may add entries with ``register``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Generic, TypeVar

from transpipe.errors import ConfigError

T = TypeVar("T")


class Registry(Generic[T]):
    """A mapping from a short name to a lazily imported factory."""

    def __init__(self, kind: str, entries: dict[str, str]) -> None:
        self.kind = kind
        self._entries = dict(entries)

    def register(self, name: str, target: str) -> None:
        if ":" not in target:
            raise ValueError(f"registry target must be 'module:attribute', got {target!r}")
        self._entries[name] = target

    def names(self) -> list[str]:
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def load(self, name: str) -> T:
        """Import and return the factory registered under ``name``."""
        try:
            target = self._entries[name]
        except KeyError:
            known = ", ".join(self.names())
            raise ConfigError(f"unknown {self.kind} {name!r}", hint=f"known: {known}") from None
        module_name, _, attribute = target.partition(":")
        module = importlib.import_module(module_name)
        factory: T = getattr(module, attribute)
        return factory


class EngineRegistry(Registry[object]):
    """The engine registry also knows, without importing an engine, whether it runs a model
    (so a missing model is reported before torch or CTranslate2 is imported)."""

    def __init__(self, entries: dict[str, str], model_free: frozenset[str]) -> None:
        super().__init__("engine", entries)
        self._model_free = set(model_free)

    def register(self, name: str, target: str, *, needs_model: bool = True) -> None:
        super().register(name, target)
        if needs_model:
            self._model_free.discard(name)
        else:
            self._model_free.add(name)

    def needs_model(self, name: str) -> bool:
        return name not in self._model_free


engines = EngineRegistry(
    {
        "marian": "transpipe.engines.marian:MarianEngine",
        "ct2": "transpipe.engines.ct2:CTranslate2Engine",
        "identity": "transpipe.engines.identity:IdentityEngine",
    },
    model_free=frozenset({"identity"}),
)

segmenters: Registry[object] = Registry(
    "segmenter",
    {
        "rules": "transpipe.segment.segmenter:RuleSegmenter",
    },
)

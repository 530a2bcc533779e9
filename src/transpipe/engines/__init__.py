"""Machine-translation engines behind one contract (see ``transpipe.engines.base``).

Owns ``create_engine``: the one way to build a model engine by name (``marian``, ``ct2``,
``identity``) through ``transpipe.registry.engines``, so torch/transformers/CTranslate2 are
imported only when the chosen engine needs them. ``ReferenceEngine``
(``transpipe.engines.reference``) needs the human translations and is built directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from transpipe import registry
from transpipe.config import DecodingOptions
from transpipe.engines.base import Engine, EngineInfo, ModelEngine
from transpipe.errors import ConfigError

if TYPE_CHECKING:
    from transpipe.models.resolve import ResolvedModel

__all__ = ["Engine", "EngineInfo", "ModelEngine", "create_engine"]


def create_engine(name: str, model: ResolvedModel | None, decoding: DecodingOptions) -> Engine:
    """Build the engine registered as ``name`` for ``model`` (None only for model-less ones)."""
    factory = registry.engines.load(name)
    if not callable(factory):
        raise ConfigError(f"engine {name!r} is not callable")
    engine = factory(model, decoding)
    if not isinstance(engine, Engine):
        raise ConfigError(f"engine {name!r} did not build a transpipe Engine")
    return engine

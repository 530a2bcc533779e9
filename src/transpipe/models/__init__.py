"""Translation models: the catalogue, resolving ``--model``, pulling, converting, the demo.

Submodules (import the one you need; nothing here touches the network or imports torch):
``catalogue`` (models/catalogue.toml), ``resolve`` (``ResolvedModel``, ``resolve_model``),
``pull`` (huggingface_hub download), ``convert`` (CTranslate2 conversion) and ``demo`` (the
tiny Marian model trained on the repository's corpora).
"""

from __future__ import annotations

from transpipe.models.resolve import ResolvedModel, resolve_model

__all__ = ["ResolvedModel", "resolve_model"]

"""Translation models: where they live, the catalogue, resolving ``--model``, setting them up.

Submodules (import the one you need; nothing here touches the network or imports torch):
``layout`` (the model store, the package data, model directory layouts and metadata),
``catalogue`` (the known models), ``resolve`` (``ResolvedModel``, ``resolve_model``: lookup
only), and the set-up steps the CLI's ``models`` commands run: ``pull`` (huggingface_hub
download), ``convert`` (CTranslate2 conversion), ``corpus`` and ``demo`` (training the tiny
demo models on the repository's corpora).
"""

from __future__ import annotations

from transpipe.models.resolve import ResolvedModel, resolve_model

__all__ = ["ResolvedModel", "resolve_model"]

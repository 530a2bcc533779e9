"""transpipe: terminology-aware Russian <-> English news translation pipeline.

Importing this package is cheap: no torch, no transformers, no network. Heavy components are
reached through :mod:`transpipe.registry` lazy entries.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]

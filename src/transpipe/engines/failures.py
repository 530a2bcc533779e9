"""Turning a model library's failure during decoding into ``EngineError``.

Owns ``engine_failures``: CTranslate2, torch and transformers report a failed call on valid
input (out of memory, an input past the model's positions, a broken model file) as
``RuntimeError``, ``ValueError`` or ``IndexError``. Inside this context they become one
``EngineError`` naming the engine and the step, chained ``from`` the original so the cause
stays in the traceback for whoever debugs it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from transpipe.errors import EngineError

FOREIGN_FAILURES = (RuntimeError, ValueError, IndexError, MemoryError)


@contextlib.contextmanager
def engine_failures(engine: str, step: str) -> Iterator[None]:
    """Re-raise a model library's exception inside the block as ``EngineError``."""
    try:
        yield
    except FOREIGN_FAILURES as exc:
        raise EngineError(f"{engine}: {step} failed: {exc}") from exc

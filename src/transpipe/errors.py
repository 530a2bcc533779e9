"""The one exception tree of transpipe.

Every error a user can cause or fix is a ``TranspipeError``; the CLI prints ``str(error)`` as
one line and exits 1. Anything else is a bug and keeps its traceback.

    TranspipeError
    ├── InputError              a file we were given is unusable
    │   ├── EncodingError       bytes that do not decode (names the likely encoding)
    │   ├── FormatError         malformed TMX/PO/XLIFF/TSV/TBX content (file, line, reason)
    │   ├── UnsafeInputError    DOCTYPE entities, external DTDs, too deep, too large
    │   └── GlossaryError       a glossary row that cannot be used
    ├── OutputError             an output cannot be written (exists, not writable)
    ├── ModelError              no usable model
    │   ├── ModelNotFoundError  nothing installed; says which command installs one
    │   └── DownloadError       the hub could not be reached or refused
    ├── EngineError             an engine failed on valid input
    └── ConfigError             contradictory or unsupported options
"""

from __future__ import annotations

from pathlib import Path


class TranspipeError(Exception):
    """Base class: ``str()`` is a complete one-line message for the user."""

    def __init__(
        self,
        reason: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str = "",
    ) -> None:
        self.reason = reason
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        text = f"{where}{self.reason}"
        if self.hint:
            text += f" ({self.hint})"
        return " ".join(text.split("\n"))

    def __str__(self) -> str:
        return self.message


class InputError(TranspipeError):
    """An input file is missing, unreadable or unusable."""


class EncodingError(InputError):
    """Bytes that do not decode in the expected or declared encoding."""


class FormatError(InputError):
    """Malformed content in a structured file."""


class UnsafeInputError(InputError):
    """Content refused for safety: entities, external DTDs, excessive depth or size."""


class GlossaryError(InputError):
    """A glossary that cannot be loaded or a row that cannot be used."""


class OutputError(TranspipeError):
    """An output cannot be written without losing existing work."""


class ModelError(TranspipeError):
    """No usable translation model."""


class ModelNotFoundError(ModelError):
    """No model installed for the request; the hint names the install command."""


class DownloadError(ModelError):
    """Downloading a model failed (offline, refused, or interrupted)."""


class EngineError(TranspipeError):
    """An engine failed on valid input."""


class ConfigError(TranspipeError):
    """Contradictory or unsupported options."""

"""First contact with an input file: existence, type and size checks, and legacy-encoding hints.

Every reader (plain text, TMX/XLIFF/TBX, PO, glossaries) starts here, so a missing file, a
directory, an oversized file or Windows-Cyrillic bytes are reported the same way everywhere:
one ``InputError`` line naming the file.
"""

from __future__ import annotations

from pathlib import Path

from transpipe.errors import InputError


def checked_size(
    path: Path,
    *,
    max_bytes: int,
    expected: str = "a file",
    too_large: type[InputError] = InputError,
) -> int:
    """Return the size of ``path`` after checking that it is a readable file within the limit."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    if path.is_dir():
        raise InputError(f"is a directory, expected {expected}", path=path)
    if size > max_bytes:
        raise too_large(f"file is {size} bytes, above the {max_bytes}-byte limit", path=path)
    return size


def looks_like_cp1251(data: bytes) -> bool:
    """Heuristic: most high bytes fall in cp1251's Cyrillic letter range (0xC0-0xFF, Ёё)."""
    high = [b for b in data if b >= 0x80]
    if len(high) < 4:
        return False
    cyrillic = sum(1 for b in high if 0xC0 <= b <= 0xFF or b in (0xA8, 0xB8))
    return cyrillic / len(high) > 0.8

"""The language data files shipped with transpipe (``transpipe/lang/data/``).

Owns where language data lives as package data: segmentation rules
(``segment.<lang>.toml``) and the boilerplate table (``boilerplate.tsv``). Callers ask for a
file by name and get its text; nothing here parses it.
"""

from __future__ import annotations

from importlib import resources

DATA_PACKAGE = "transpipe.lang"
DATA_FOLDER = "data"


def data_path(name: str) -> str:
    """The file's path inside the package, for messages (``transpipe/lang/data/<name>``)."""
    return f"transpipe/lang/{DATA_FOLDER}/{name}"


def has_data(name: str) -> bool:
    """Whether a bundled data file called ``name`` exists."""
    return (resources.files(DATA_PACKAGE) / DATA_FOLDER / name).is_file()


def read_data(name: str) -> str:
    """The text (UTF-8) of the bundled data file ``name``."""
    return (resources.files(DATA_PACKAGE) / DATA_FOLDER / name).read_text(encoding="utf-8")


def data_names(prefix: str, suffix: str) -> tuple[str, ...]:
    """Names of the bundled data files that start with ``prefix`` and end with ``suffix``."""
    folder = resources.files(DATA_PACKAGE) / DATA_FOLDER
    names = (entry.name for entry in folder.iterdir())
    return tuple(sorted(n for n in names if n.startswith(prefix) and n.endswith(suffix)))

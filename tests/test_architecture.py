"""The architecture rules of docs/architecture.md, checked on the source with ``ast``.

- every module of ``src/transpipe`` belongs to a layer of the table below (the table in
  docs/architecture.md says the same, and a test compares them);
- no module imports from a higher layer (module-level, lazy and ``TYPE_CHECKING`` imports alike);
- no import cycle among modules (runtime imports: module-level and lazy);
- pymorphy3 is imported by exactly one module; process-wide caches are the documented handles;
- every module says in a docstring what it owns.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ARCHITECTURE_DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"

# (layer, module prefixes relative to ``transpipe``); the longest matching prefix wins.
LAYERS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (0, ("", "model", "errors")),
    (1, ("config", "registry")),
    (2, ("lang", "segment", "terms", "embeddings", "inputs")),
    (3, ("engines", "formats", "tm.store", "tm.files", "tm.normalize", "models", "outputs")),
    (4, ("pinning", "quality", "tm", "align", "report", "publish", "workbench")),
    (5, ("pipeline", "review", "batch")),
    (6, ("cli", "__main__")),
)

# Process-wide handles loaded once and documented where they are defined (module-level caches
# of anything else are not allowed: per-run state belongs to objects built once per run).
PROCESS_HANDLES = {
    "transpipe.lang.morphology.analyzer",  # the pymorphy3 analyzer
    "transpipe.lang.boilerplate._table",  # immutable package data
    "transpipe.embeddings._process_encoder",  # the sentence encoder (via shared_encoder)
    "transpipe.quality.qe_model.load_model",  # the learned QE model: immutable package data
    "transpipe.segment._segmenter",  # compiled segmentation rules per language
    "transpipe.segment.rules.load_rules",  # immutable package data
    "transpipe.pinning.audit.term_forms",  # a term's paradigm: morphology data, bounded
    "transpipe.workbench.termhood.general_zipf",  # wordfreq's tables, bounded
}
CACHE_DECORATORS = {"cache", "lru_cache", "functools.cache", "functools.lru_cache"}


@dataclass(frozen=True)
class Import:
    target: str
    line: int
    type_only: bool


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted((SRC / "transpipe").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The module that importing ``name`` runs last (``a.b.C`` -> ``a.b`` if that exists)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> list[Import]:
    path = MODULES[module]
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                visit(statement, True)
            for statement in node.orelse:
                visit(statement, type_only)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                owner = _owner(alias.name) if alias.name.startswith("transpipe") else None
                if owner:
                    found.append(Import(owner, node.lineno, type_only))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            if base.startswith("transpipe"):
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    owner = _owner(full) if full in MODULES else _owner(base)
                    if owner:
                        found.append(Import(owner, node.lineno, type_only))
        for child in ast.iter_child_nodes(node):
            visit(child, type_only)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return [i for i in found if i.target != module]


GRAPH = {module: _imports(module) for module in MODULES}


def layer_of(module: str) -> int | None:
    relative = module.removeprefix("transpipe").lstrip(".")
    best: tuple[int, int] | None = None
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            matches = relative == prefix or (prefix and relative.startswith(prefix + "."))
            if matches and (best is None or len(prefix) > best[1]):
                best = (layer, len(prefix))
    return best[0] if best else None


def test_every_module_has_a_layer() -> None:
    assert [m for m in MODULES if layer_of(m) is None] == []


def test_no_module_imports_from_a_higher_layer() -> None:
    upward = [
        f"{MODULES[m].relative_to(SRC)}:{i.line}: {m} (layer {layer_of(m)}) imports "
        f"{i.target} (layer {layer_of(i.target)})"
        for m, imports in GRAPH.items()
        for i in imports
        if (layer_of(i.target) or 0) > (layer_of(m) or 0)
    ]
    assert upward == []


def _cycles() -> Iterator[list[str]]:
    """Strongly connected components of more than one module (Tarjan), runtime imports only."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    components: list[list[str]] = []

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for imported in GRAPH[node]:
            if imported.type_only:
                continue
            other = imported.target
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            connect(node)
    yield from components


def test_no_import_cycles() -> None:
    assert list(_cycles()) == []


def _doc_name(path: str) -> str:
    """``tm/store.py`` -> ``tm.store``; ``__init__.py`` (the package root) -> ``""``."""
    name = path.strip("/").removesuffix(".py").replace("/", ".")
    return "" if name == "__init__" else name


def test_the_layer_table_is_the_documented_one() -> None:
    """docs/architecture.md lists the same layers (a row per layer, modules in backticks)."""
    text = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    documented: dict[int, set[str]] = {}
    for number, cells in re.findall(r"^\|\s*(\d)\s+[a-z ]+\|(.+)\|\s*$", text, re.MULTILINE):
        names = {_doc_name(n) for n in re.findall(r"`([^`]+)`", cells)}
        documented[int(number)] = names
    expected = {layer: set(prefixes) for layer, prefixes in LAYERS}
    assert documented == expected


def _third_party_importers(package: str) -> list[str]:
    importers = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            if any(n == package or n.startswith(package + ".") for n in names):
                importers.append(module)
                break
    return importers


def test_pymorphy3_is_imported_by_exactly_one_module() -> None:
    assert _third_party_importers("pymorphy3") == ["transpipe.lang.morphology"]


def _module_level_caches() -> Iterator[str]:
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) in CACHE_DECORATORS:
                    yield f"{module}.{node.name}"


def test_module_level_caches_are_the_documented_process_handles() -> None:
    assert sorted(_module_level_caches()) == sorted(PROCESS_HANDLES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_says_what_it_owns(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring and len(docstring.split()) >= 4, f"{module} has no docstring"

"""What one batch worker holds and does: a translator built once, chunks of articles in,
rendered files out.

Owns :class:`ChunkTranslator`: per worker process (or Ray actor) one engine, one sentence
encoder and one :class:`~transpipe.pipeline.Pipeline` (with its compiled glossary), built
from a picklable :class:`WorkerSpec`. A chunk's articles are translated together
(:meth:`Pipeline.run_many`: their sentences in one engine batch, sorted by length) and each
article's five files are rendered to bytes by the same writers ``translate`` uses
(:mod:`transpipe.pipeline.writing`); the coordinator commits them.

A chunk's result depends on the chunk alone: the engine runs single-threaded with one
translator (the batches CTranslate2 sees do not depend on the worker count), and the
encoder's vector cache is emptied before each chunk (a vector computed in another batch can
differ in the last bits). So workers, processes and Ray actors all write the same bytes.

When the shared batch fails, the chunk is translated again article by article, so one bad
article fails alone; its ``Outcome`` carries the one-line reason.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from transpipe.batch.jobs import Outcome
from transpipe.config import TranslateConfig
from transpipe.errors import TranspipeError

if TYPE_CHECKING:
    from transpipe.models.resolve import ResolvedModel
    from transpipe.pipeline import TranslationRun
    from transpipe.terms import Glossary


@dataclass(frozen=True)
class ArticleText:
    """One article to translate: its output name and its text."""

    name: str
    text: str


@dataclass(frozen=True)
class Chunk:
    """Articles translated together (numbered by the job store's plan)."""

    number: int
    articles: tuple[ArticleText, ...]


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker needs to build its translator (sent to every worker once, as
    :meth:`to_bytes`)."""

    config: TranslateConfig
    model: ResolvedModel | None  # None for engines without a model (identity)
    glossary: Glossary | None
    # the model store's cache: the encoder's unpacked weights, the glossary's compiled matchers
    cache_dir: Path | None

    def to_bytes(self) -> bytes:
        """Pickled, read-only mappings of the configuration included."""
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _proxy}
        pickler.dump(self)
        return buffer.getvalue()

    @staticmethod
    def from_bytes(data: bytes) -> WorkerSpec:
        spec = pickle.loads(data)
        if not isinstance(spec, WorkerSpec):
            raise TypeError(f"expected a pickled WorkerSpec, got {type(spec).__name__}")
        return spec


class ChunkTranslator:
    """A worker's engine, encoder and pipeline, built once; ``translator(chunk)`` per chunk."""

    def __init__(self, spec: WorkerSpec) -> None:
        from transpipe.embeddings import SentenceEncoder
        from transpipe.engines import create_engine
        from transpipe.pipeline import Pipeline
        from transpipe.terms.matcher import MatcherCache

        config = spec.config
        self.config = config
        self.encoder = SentenceEncoder(cache_dir=spec.cache_dir)  # BLAS threads: _SINGLE_THREADED
        self.pipeline = Pipeline(
            config,
            engine=create_engine(config.engine, spec.model, config.decoding),
            encoder=self.encoder,
            glossary=spec.glossary,
            matchers=MatcherCache(spec.cache_dir) if spec.cache_dir is not None else None,
        )

    def __call__(self, chunk: Chunk) -> list[Outcome]:
        from transpipe.segment import segment_text

        source = self.config.pair.source
        docs = [segment_text(a.text, source, a.name) for a in chunk.articles]
        self.encoder.clear_cache()
        try:
            return [self._render(run) for run in self.pipeline.run_many(docs)]
        except Exception:  # one article spoilt the shared batch: find it, keep the others
            outcomes: list[Outcome] = []
            for doc in docs:
                self.encoder.clear_cache()
                try:
                    outcomes.append(self._render(self.pipeline.run(doc)))
                except Exception as error:
                    outcomes.append(Outcome(doc.name, error=_reason(error)))
            return outcomes

    def _render(self, run: TranslationRun) -> Outcome:
        from transpipe.pipeline.writing import article_file_names, render_article

        name = run.source.name
        files = render_article(
            run, article_file_names(name, self.config.pair), self.config.tmx_floor
        )
        return Outcome(name, files=tuple(files.items()))


def _proxy(proxy: Mapping[Any, Any]) -> tuple[Callable[..., Any], tuple[dict[Any, Any]]]:
    return _read_only, (dict(proxy),)


def _read_only(mapping: dict[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(mapping)


def _reason(error: Exception) -> str:
    """One line for the user; a failure that is not a ``TranspipeError`` is a bug."""
    if isinstance(error, TranspipeError):
        return str(error)
    where = traceback.extract_tb(error.__traceback__)[-1]
    return (
        f"internal error {type(error).__name__}: {error} "
        f"(at {Path(where.filename).name}:{where.lineno}; please report it)"
    )

"""The coordinator of ``transpipe batch``: plan, dispatch, record, commit, report.

Owns one run of a batch job over its inputs, in this order:

1. read every input (size cap, one decoder, the language check: :mod:`transpipe.inputs`),
   hash it and count its sentences; an unreadable input is a failed article, the others go on;
2. bring the job store up to date (:meth:`JobStore.plan`: new articles join new chunks);
3. check every article still to write against the no-clobber rule (an output a person edited
   fails that article, unless ``force``);
4. commit what an interrupted run translated but did not write (from the stored bytes);
5. send the pending chunks to the executor (this process, worker processes or Ray), texts
   read just before they are sent; record each chunk's results in one transaction as they
   come back, then commit each article's files (:func:`commit_rendered`) and mark it done.

Nothing is translated twice and nothing half-written is left, whatever point the run is
killed at (see :mod:`transpipe.batch.jobs`).
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from transpipe.batch.jobs import (
    DONE,
    PENDING,
    TRANSLATED,
    ArticleState,
    JobStore,
    Outcome,
    PlannedArticle,
)
from transpipe.batch.local import Executor
from transpipe.batch.progress import Progress
from transpipe.batch.worker import ArticleText, Chunk, WorkerSpec
from transpipe.errors import InputError, OutputError
from transpipe.inputs import MAX_TEXT_BYTES, check_language, decode_text, read_bytes
from transpipe.outputs import OutputSet


@dataclass(frozen=True)
class BatchInput:
    """One input file and the name its outputs get (``<name>.tmx``, ...)."""

    name: str
    path: Path


@dataclass
class Summary:
    """What one run did."""

    articles: int = 0
    translated: int = 0  # translated and written by this run
    written: int = 0  # translated by an interrupted run, written by this one
    done_before: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    seconds: float = 0.0


def run_job(
    inputs: Sequence[BatchInput],
    store: JobStore,
    spec: WorkerSpec,
    executor: Executor,
    *,
    out_dir: Path,
    force: bool = False,
    chunk_sentences: int = 128,
    language: str | None = None,
    quiet: bool = False,
    stream: TextIO | None = None,
) -> Summary:
    """Run the job over ``inputs`` (see the module docstring); returns what it did.

    ``language``: refuse an input whose script says it is in another language
    (:func:`transpipe.inputs.check_language`; ``None``: no check)."""
    started = time.perf_counter()
    planned, unreadable = _read_inputs(inputs, spec.config.pair.source, language)
    store.plan(planned, unreadable, chunk_sentences)
    states = store.articles([i.name for i in inputs])
    done = [s for s in states if s.state == DONE]
    progress = Progress(
        articles=len(states),
        sentences=sum(s.sentences for s in states),
        done_articles=len(done),
        done_sentences=sum(s.sentences for s in done),
        quiet=quiet,
        stream=stream,
    )
    paths = {i.name: i.path for i in inputs}
    run = _Run(store, states, paths, out_dir, spec, force=force, progress=progress)
    try:
        todo = run.settle(states)
        chunks = _chunks(todo, run.paths, store, run.fail_unsent)
        for number, outcomes in executor(spec, chunks, len({s.chunk for s in todo})):
            run.finish(number, outcomes)
    finally:
        run.progress.close()
    run.summary.seconds = time.perf_counter() - started
    return run.summary


class _Run:
    """One run's bookkeeping: the output sets, what to report, the progress shown."""

    def __init__(
        self,
        store: JobStore,
        states: Sequence[ArticleState],
        paths: dict[str, Path],
        out_dir: Path,
        spec: WorkerSpec,
        *,
        force: bool,
        progress: Progress,
    ) -> None:
        from transpipe.pipeline.writing import article_file_names

        pair = spec.config.pair
        self.store = store
        self.paths = paths
        self.force = force
        self.progress = progress
        self.sentences = {s.name: s.sentences for s in states}
        self.outputs = {
            s.name: OutputSet(out_dir, s.name, article_file_names(s.name, pair)) for s in states
        }
        self.summary = Summary(
            articles=len(states), done_before=sum(s.state == DONE for s in states)
        )

    def settle(self, states: Sequence[ArticleState]) -> list[ArticleState]:
        """Commit what an interrupted run translated, report what cannot be translated, and
        return the pending articles whose outputs may be written."""
        todo: list[ArticleState] = []
        for state in states:
            if state.state == PENDING:
                try:
                    self.outputs[state.name].prepare(force=self.force)
                except OutputError as error:  # refused before any work; the rerun retries
                    self.store.record(state.chunk or 0, [Outcome(state.name, error=str(error))])
                    self.fail_unsent(state.name, str(error))
                    continue
                todo.append(state)
            elif state.state == TRANSLATED:
                self.summary.written += self.commit(state.name)
                self.progress.advance(articles=1, sentences=state.sentences)
            elif state.state != DONE:
                self.fail_unsent(state.name, state.error)
        return todo

    def finish(self, chunk: int, outcomes: Sequence[Outcome]) -> None:
        """Record a chunk's results (one transaction), then write each article's files."""
        self.store.record(chunk, outcomes)
        for outcome in outcomes:
            if outcome.error:
                self.fail(outcome.name, outcome.error)
            else:
                self.summary.translated += self.commit(outcome.name)
        self.progress.advance(
            articles=len(outcomes), sentences=sum(self.sentences[o.name] for o in outcomes)
        )

    def commit(self, name: str) -> bool:
        """Write a translated article's stored files; done, or kept with the reason."""
        from transpipe.pipeline.writing import commit_rendered

        try:
            commit_rendered(self.store.outputs(name), self.outputs[name], force=self.force)
        except OutputError as error:
            self.store.mark_unwritten(name, str(error))
            self.fail(name, f"translated, not written: {error}")
            return False
        self.store.mark_done(name)
        return True

    def fail(self, name: str, reason: str) -> None:
        self.summary.failed.append((str(self.paths[name]), reason))
        self.progress.note(f"transpipe: error: {self.paths[name]}: {reason}")

    def fail_unsent(self, name: str, reason: str) -> None:
        """An article that goes to no worker in this run."""
        self.fail(name, reason)
        self.progress.advance(articles=1, sentences=self.sentences[name])


def _read_inputs(
    inputs: Sequence[BatchInput], lang: str, check: str | None
) -> tuple[list[PlannedArticle], dict[str, tuple[str, str]]]:
    """Digest and sentence count of each readable input; the reason for each unreadable one."""
    from transpipe.segment import segment_text

    planned: list[PlannedArticle] = []
    unreadable: dict[str, tuple[str, str]] = {}
    for item in inputs:
        try:
            data = read_bytes(item.path, max_bytes=MAX_TEXT_BYTES, expected="a text file")
            text = decode_text(data, item.path)
            if check is not None:
                check_language(text, check, item.path)
        except InputError as error:
            unreadable[item.name] = (str(item.path), str(error))
            continue
        sentences = len(segment_text(text, lang, item.name).segments)
        planned.append(
            PlannedArticle(item.name, str(item.path), hashlib.sha256(data).hexdigest(), sentences)
        )
    return planned, unreadable


def _chunks(
    todo: Sequence[ArticleState],
    paths: dict[str, Path],
    store: JobStore,
    fail: Callable[[str, str], None],
) -> Iterator[Chunk]:
    """The pending articles grouped by chunk, each text read (and checked) when its chunk is
    sent; an input that changed since planning fails until the next run."""
    for number, group in itertools.groupby(todo, key=lambda s: s.chunk):
        articles: list[ArticleText] = []
        for state in group:
            try:
                data = read_bytes(paths[state.name], max_bytes=MAX_TEXT_BYTES)
                if hashlib.sha256(data).hexdigest() != state.sha256:
                    raise InputError("changed while the job ran", path=paths[state.name])
                articles.append(ArticleText(state.name, decode_text(data, paths[state.name])))
            except InputError as error:
                store.record(number or 0, [Outcome(state.name, error=str(error))])
                fail(state.name, f"{error} (the next run retries it)")
        if articles:
            yield Chunk(number or 0, tuple(articles))

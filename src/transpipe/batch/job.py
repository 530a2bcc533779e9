"""The coordinator of ``transpipe batch``: plan, dispatch, record, commit, report.

Owns one run of a batch job over its inputs, in this order:

1. read every input (size cap, one decoder: :mod:`transpipe.inputs`), hash it and count its
   sentences; an unreadable input is a failed article, the others go on;
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
from transpipe.inputs import MAX_TEXT_BYTES, decode_text, read_bytes
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
    quiet: bool = False,
    stream: TextIO | None = None,
) -> Summary:
    """Run the job over ``inputs`` (see the module docstring); returns what it did."""
    from transpipe.pipeline.writing import article_file_names

    started = time.perf_counter()
    pair = spec.config.pair
    planned, unreadable = _read_inputs(inputs, pair.source)
    store.plan(planned, unreadable, chunk_sentences)
    states = store.articles([i.name for i in inputs])
    paths = {i.name: i.path for i in inputs}
    outputs = {s.name: OutputSet(out_dir, s.name, article_file_names(s.name, pair)) for s in states}
    summary = Summary(articles=len(states))
    sentences_of = {s.name: s.sentences for s in states}
    progress = Progress(
        articles=len(states),
        sentences=sum(s.sentences for s in states),
        done_articles=sum(s.state == DONE for s in states),
        done_sentences=sum(s.sentences for s in states if s.state == DONE),
        quiet=quiet,
        stream=stream,
    )

    def fail(name: str, reason: str) -> None:
        summary.failed.append((str(paths[name]), reason))
        progress.note(f"transpipe: error: {paths[name]}: {reason}")

    def fail_unsent(name: str, reason: str) -> None:
        fail(name, reason)
        progress.advance(articles=1, sentences=sentences_of[name])

    def commit(name: str) -> bool:
        from transpipe.pipeline.writing import commit_rendered

        try:
            commit_rendered(store.outputs(name), outputs[name], force=force)
        except OutputError as error:
            store.mark_unwritten(name, str(error))
            fail(name, f"translated, not written: {error}")
            return False
        store.mark_done(name)
        return True

    try:
        summary.done_before = sum(s.state == DONE for s in states)
        todo: list[ArticleState] = []
        for state in states:
            if state.state == PENDING:
                try:
                    outputs[state.name].prepare(force=force)
                except OutputError as error:
                    store.record(state.chunk or 0, [Outcome(state.name, error=str(error))])
                    fail_unsent(state.name, str(error))
                    continue
                todo.append(state)
            elif state.state == TRANSLATED:
                summary.written += commit(state.name)
                progress.advance(articles=1, sentences=state.sentences)
            elif state.state != DONE:
                fail_unsent(state.name, state.error)
        chunks = _chunks(todo, paths, store, fail_unsent)
        for number, outcomes in executor(spec, chunks, len({s.chunk for s in todo})):
            store.record(number, outcomes)
            for outcome in outcomes:
                if outcome.error:
                    fail(outcome.name, outcome.error)
                else:
                    summary.translated += commit(outcome.name)
            progress.advance(
                articles=len(outcomes), sentences=sum(sentences_of[o.name] for o in outcomes)
            )
    finally:
        progress.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _read_inputs(
    inputs: Sequence[BatchInput], lang: str
) -> tuple[list[PlannedArticle], dict[str, tuple[str, str]]]:
    """Digest and sentence count of each readable input; the reason for each unreadable one."""
    from transpipe.segment import segment_text

    planned: list[PlannedArticle] = []
    unreadable: dict[str, tuple[str, str]] = {}
    for item in inputs:
        try:
            data = read_bytes(item.path, max_bytes=MAX_TEXT_BYTES, expected="a text file")
            text = decode_text(data, item.path)
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

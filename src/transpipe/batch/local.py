"""Running a batch job's chunks on this machine: in this process, or in worker processes.

Owns the local executors. Each yields ``(chunk number, outcomes)`` as chunks finish, in any
order. ``in_processes`` starts ``workers`` processes with the ``spawn`` method (no state
inherited from the coordinator) and keeps at most two chunks per worker in flight, so texts
are read only shortly before they are translated. Each worker process builds its
:class:`~transpipe.batch.worker.ChunkTranslator` on its first chunk (a failure to build it,
such as a model that does not load, comes back as that chunk's exception) and runs its math
libraries single-threaded: the workers are the parallelism (``in_this_process`` too, when
they are not loaded yet). A worker process that dies takes
the job down with an ``EngineError``; what was recorded stays recorded. A worker whose
coordinator is gone (``SIGKILL``) ends itself within a second.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from transpipe.batch.jobs import Outcome
from transpipe.batch.worker import Chunk, ChunkTranslator, WorkerSpec
from transpipe.errors import EngineError

Results = Iterator[tuple[int, list[Outcome]]]
# An executor runs ``count`` chunks (given lazily) and yields each one's results.
Executor = Callable[[WorkerSpec, Iterable[Chunk], int], Results]

# One thread per worker process in the numerical libraries (the workers are the parallelism).
_SINGLE_THREADED = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

_WATCH_SECONDS = 0.5
_spec: WorkerSpec | None = None  # what the worker process builds its translator from
_translator: ChunkTranslator | None = None  # built on the worker process's first chunk


def in_this_process(spec: WorkerSpec, chunks: Iterable[Chunk], count: int) -> Results:
    """Translate the chunks one after another in this process (``count``: how many)."""
    translator: ChunkTranslator | None = None
    for chunk in chunks:
        if translator is None:
            _single_threaded_math()
            translator = ChunkTranslator(spec)
        yield chunk.number, translator(chunk)


def in_processes(spec: WorkerSpec, chunks: Iterable[Chunk], count: int, *, workers: int) -> Results:
    """Translate the ``count`` chunks in up to ``workers`` spawned processes, yielding
    results as they finish."""
    workers = max(1, min(workers, count))
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_receive,
        initargs=(spec.to_bytes(),),
    )
    todo = iter(chunks)
    running: set[Future[tuple[int, list[Outcome]]]] = set()
    try:
        while True:
            for chunk in todo:
                running.add(pool.submit(_translate, chunk))
                if len(running) >= 2 * workers:
                    break
            if not running:
                return
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                try:
                    yield future.result()
                except BrokenProcessPool as exc:
                    raise EngineError(
                        "a worker process died (out of memory, or killed?); "
                        "rerun the same command to resume",
                    ) from exc
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _receive(spec: bytes) -> None:
    """Run in a new worker process: keep the spec (sent once per process, not per chunk) and
    watch the coordinator."""
    global _spec
    _single_threaded_math()
    _spec = WorkerSpec.from_bytes(spec)
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()


def _single_threaded_math() -> None:
    """One thread in the numerical libraries of this process, if they are not loaded yet (the
    environment is read when they load). A thread pool of OpenBLAS spins while it waits: on a
    busy machine, ten times the CPU for the encoder's small matrices."""
    if "numpy" not in sys.modules:
        os.environ.update(_SINGLE_THREADED)


def _exit_with(coordinator: int) -> None:
    """End this worker when the coordinator is gone (killed: nobody reads its results; the
    pool's queues would keep it waiting forever)."""
    while os.getppid() == coordinator:
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


def _translate(chunk: Chunk) -> tuple[int, list[Outcome]]:
    """Run in a worker process: build the translator once, then translate ``chunk``."""
    global _translator
    if _translator is None:
        if _spec is None:
            raise RuntimeError("worker process started without its spec")
        _translator = ChunkTranslator(_spec)
    return chunk.number, _translator(chunk)

"""Running a batch job's chunks on a Ray cluster (``transpipe batch --ray [ADDRESS]``).

Owns the Ray executor: the chunks become a Ray Data dataset (one row per chunk, one block per
row), ``map_batches`` sends them through a fixed pool of actors (:class:`RayChunkTranslator`,
one :class:`~transpipe.batch.worker.ChunkTranslator` per actor: one CPU each, or one GPU each
with ``--device cuda``), and the coordinator reads the results as they stream back. Only
bytes cross the cluster (the pickled chunk: article names and texts; the rendered files), so
the inputs and ``OUT`` live on the coordinator alone; every node needs transpipe and the model
at the same path (see ``docs/batch.md``).

Without an address a private local instance is started (``ray.init(address="local")``, no
dashboard) and stopped at the end; with one, the cluster at that address is joined
(``auto``, ``HOST:PORT`` or ``ray://HOST:10001``). An instance already initialised in this
process is used as it is.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterable
from typing import Any

from transpipe.batch.local import Results
from transpipe.batch.worker import Chunk, ChunkTranslator, WorkerSpec
from transpipe.errors import ConfigError, EngineError


class RayChunkTranslator:
    """The actor class of ``map_batches``: a batch holds pickled chunks, one per row."""

    def __init__(self, spec: bytes) -> None:
        self.translator = ChunkTranslator(WorkerSpec.from_bytes(spec))

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        results = [
            pickle.dumps(self.translator(pickle.loads(bytes(work)))) for work in batch["work"]
        ]
        return {"chunk": batch["chunk"], "result": np.array(results, dtype=object)}


def on_ray(
    spec: WorkerSpec,
    chunks: Iterable[Chunk],
    count: int,
    *,
    address: str | None,
    actors: int | None,
) -> Results:
    """Translate the ``count`` chunks on Ray with a pool of ``actors`` (default, and at most:
    one per CPU of the cluster, or per GPU with ``--device cuda``)."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ConfigError(
            "--ray needs Ray", hint="install it with `pip install 'transpipe[ray]'`"
        ) from exc
    gpu = spec.config.decoding.device.startswith("cuda")
    work = [{"chunk": c.number, "work": pickle.dumps(c)} for c in chunks]
    if not work:
        return  # nothing to translate: no cluster to start
    started = not ray.is_initialized()
    if started:
        if address is None:
            ray.init(
                address="local",
                num_cpus=actors,
                include_dashboard=False,
                logging_level=logging.ERROR,
                log_to_driver=False,
            )
        else:
            try:
                ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
            except (ConnectionError, ValueError, RuntimeError) as exc:
                raise ConfigError(f"cannot join the Ray cluster at {address}: {exc}") from exc
    try:
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # the coordinator reports
        ray.data.DataContext.get_current().enable_progress_bars = False
        available = _cluster_count(ray, "GPU" if gpu else "CPU")
        size = min(actors or available, available, len(work))
        dataset = ray.data.from_items(work, override_num_blocks=len(work))
        results = dataset.map_batches(
            RayChunkTranslator,
            fn_constructor_kwargs={"spec": spec.to_bytes()},
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=size),
            num_cpus=1,
            num_gpus=1 if gpu else None,
        )
        try:
            for row in results.iter_rows():
                yield int(row["chunk"]), pickle.loads(row["result"])
        except ray.exceptions.RayError as exc:
            raise EngineError(f"the Ray job failed: {_first_line(exc)}") from exc
    finally:
        if started:
            ray.shutdown()


def _cluster_count(ray: Any, resource: str) -> int:
    """How many CPUs (or GPUs) the cluster has: the default number of actors."""
    return max(1, int(ray.cluster_resources().get(resource, 1)))


def _first_line(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__

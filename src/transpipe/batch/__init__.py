"""``transpipe batch``: many articles, translated once each, resumably, in parallel.

Public API::

    with JobStore(out_dir) as store:                       # OUT/.transpipe-batch.db
        store.start(settings)                              # refuses other settings
        summary = run_job(inputs, store, spec, in_this_process, out_dir=out_dir)

:mod:`.jobs` owns the job store and the rules of a safe rerun; :mod:`.job` the coordinator
(plan, dispatch, record, commit); :mod:`.worker` what a worker builds once and does per chunk;
:mod:`.local` and :mod:`.ray_runner` the executors (this process, worker processes, Ray
actors); :mod:`.progress` what the user sees. ``docs/batch.md`` says how to run it on a
cluster and on GPUs.
"""

from __future__ import annotations

from transpipe.batch.job import BatchInput, Summary, run_job
from transpipe.batch.jobs import JOB_FILE, JobStore
from transpipe.batch.local import Executor, in_processes, in_this_process
from transpipe.batch.ray_runner import on_ray
from transpipe.batch.worker import WorkerSpec

__all__ = [
    "JOB_FILE",
    "BatchInput",
    "Executor",
    "JobStore",
    "Summary",
    "WorkerSpec",
    "in_processes",
    "in_this_process",
    "on_ray",
    "run_job",
]

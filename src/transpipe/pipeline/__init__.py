"""The ``translate`` pipeline: one record per segment, filled by stages in turn.

Public API::

    pipeline = Pipeline(config, engine=engine, encoder=encoder, glossary=glossary, memory=tm)
    run = pipeline.run(document, reference=None)    # -> TranslationRun(records, bitext, report)

:mod:`transpipe.pipeline.runner` owns what is built once per run and the stage order;
:mod:`transpipe.pipeline.stages` owns what each stage adds to a
:class:`~transpipe.model.SegmentRecord`. ``docs/architecture.md`` draws the data flow.
"""

from __future__ import annotations

from transpipe.pipeline.runner import Pipeline, StageTimer, TranslationRun
from transpipe.pipeline.stages import Stage

__all__ = ["Pipeline", "Stage", "StageTimer", "TranslationRun"]

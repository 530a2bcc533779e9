"""Sentence alignment of two existing language versions of an article.

Public API::

    from transpipe.align import align_documents, align_segments, Link

``align_segments`` aligns two sentence lists into ``Link`` values (1-1, 1-2, 2-1, 2-2, 1-0,
0-1, each with a confidence in [0, 1]); ``align_documents`` does the same for two segmented
``model.Document`` values and also returns a ``model.Bitext`` for the TMX/PO writers.
Modules: ``signals`` (length, anchors, paragraphs), ``cost`` (bead prices and confidence),
``search`` (corridor DP), ``aligner`` (orchestration, Bitext), ``link`` (the Link value).
"""

from transpipe.align.aligner import align_documents, align_segments, links_to_bitext
from transpipe.align.cost import AlignWeights
from transpipe.align.link import Link

__all__ = ["AlignWeights", "Link", "align_documents", "align_segments", "links_to_bitext"]

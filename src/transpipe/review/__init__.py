"""The review workstation: a local web application for reviewing a run's translations.

``transpipe review DIR`` serves it. Modules: ``project`` (the directory under review: store
creation, PO reconciliation, edits, memory), ``store`` (the SQLite project store),
``records`` (report records back into domain values), ``terms`` (inflected term suggestions,
glossary entries), ``stats`` (post-editing statistics), ``exports`` (reviewed PO/XLIFF/TMX,
report, publishing), ``app`` (Starlette routes and access control), ``server`` (uvicorn),
``templates/`` and ``static/`` (the page). The API is documented in ``docs/review.md``.
"""

from __future__ import annotations

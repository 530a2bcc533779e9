"""The run report: what happened to every segment of a run, as JSON and as an HTML page.

Public API::

    report = Report(bitext, source_name="article.ru.txt", provenance=..., timings=..., metrics=...)
    report.to_json()                    # plain JSON values, deterministic
    write_report_json(report, stream)   # UTF-8, sorted keys, deterministic
    write_report_html(report, stream)   # one self-contained page, works offline
"""

from __future__ import annotations

from transpipe.report.build import Report
from transpipe.report.html_writer import render_report_html, write_report_html
from transpipe.report.json_writer import render_report_json, write_report_json

__all__ = [
    "Report",
    "render_report_html",
    "render_report_json",
    "write_report_html",
    "write_report_json",
]

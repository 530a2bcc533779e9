"""The run report: what happened to every segment of a run, as JSON and as an HTML page.

Public API::

    report = build_report(bitext, source_name="article.ru.txt", run={...}, metrics=None)
    write_report_json(report, stream)   # UTF-8, sorted keys, deterministic
    write_report_html(report, stream)   # one self-contained page, works offline
"""

from __future__ import annotations

from transpipe.report.build import build_report
from transpipe.report.html_writer import render_report_html, write_report_html
from transpipe.report.json_writer import render_report_json, write_report_json

__all__ = [
    "build_report",
    "render_report_html",
    "render_report_json",
    "write_report_html",
    "write_report_json",
]

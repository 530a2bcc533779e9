"""The run report as JSON: UTF-8, sorted keys, two-space indent, one final newline.

Owns the byte format only, so the same report always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from transpipe.report.build import Report


def render_report_json(report: Mapping[str, Any]) -> bytes:
    """The bytes of a report's JSON form (``Report.to_json()``)."""
    return (json.dumps(report, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def write_report_json(report: Report, stream: BinaryIO) -> None:
    """Write ``report`` to a binary stream."""
    stream.write(render_report_json(report.to_json()))

"""The run report as JSON: UTF-8, sorted keys, two-space indent, one final newline.

Owns the byte format only, so the same report always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, BinaryIO


def render_report_json(report: Mapping[str, Any]) -> bytes:
    return (json.dumps(report, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def write_report_json(report: Mapping[str, Any], stream: BinaryIO) -> None:
    """Write ``report`` (from ``build_report``) to a binary stream."""
    stream.write(render_report_json(report))

"""The glossary audit as one self-contained HTML page, grouped by concept.

Owns the presentation of an ``AuditReport``: a summary line, then one section per concept
with its violations (file:line:column, segment, surface, context) and the distribution of
renderings. Inline CSS, no scripts, no external resources; every piece of text from the
corpus or the glossary goes through ``html.escape``.
"""

from __future__ import annotations

from html import escape

from transpipe.workbench.audit import AuditReport

CSS = """
body{font-family:system-ui,sans-serif;margin:0 24px 40px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:26px}
table{border-collapse:collapse;width:100%;font-size:14px;margin:6px 0}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eee}.num{text-align:right}
.forbidden{color:#c62828;font-weight:bold}.missing{color:#ef6c00;font-weight:bold}
.status-forbidden{color:#c62828}.ok{color:#2e7d32}
"""


def _cell(text: object, css: str = "") -> str:
    attr = f' class="{css}"' if css else ""
    return f"<td{attr}>{escape(str(text))}</td>"


def render_audit_html(report: AuditReport, *, title: str) -> bytes:
    """The page for ``report``; ``title`` names the glossary and corpus."""
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{report.files} files, {report.segments} segments, {report.violations} violations.</p>",
    ]
    findings = report.by_concept()
    concepts = sorted(set(findings) | {concept for concept, _ in report.renderings})
    for concept in concepts:
        parts.append(f'<h2 id="{escape(concept)}">{escape(concept)}</h2>')
        rows = findings.get(concept, [])
        if rows:
            parts.append(
                "<table><tr><th>kind</th><th>where</th><th>segment</th><th>surface</th>"
                "<th>expected</th><th>context</th></tr>"
            )
            for f in rows:
                where = f"{f.file}:{f.line}:{f.column}" if f.line else f.file
                parts.append(
                    "<tr>"
                    + _cell(f.kind, f.kind)
                    + _cell(where)
                    + _cell(f.segment)
                    + _cell(f.surface)
                    + _cell(f.expected)
                    + _cell(f.context)
                    + "</tr>"
                )
            parts.append("</table>")
        else:
            parts.append('<p class="ok">no violations</p>')
        for (rendered, lang), entries in report.renderings.items():
            if rendered != concept:
                continue
            parts.append(
                f"<table><tr><th>{escape(lang)} rendering</th><th>status</th>"
                "<th>count</th><th>forms seen</th></tr>"
            )
            for entry in entries:
                status = entry.status.value if entry.status else ""
                forms = ", ".join(f"{form} ({n})" for form, n in entry.forms.most_common())
                parts.append(
                    "<tr>"
                    + _cell(entry.term or "(no glossary form)")
                    + _cell(status, f"status-{status}" if status else "")
                    + f'<td class="num">{entry.count}</td>'
                    + _cell(forms)
                    + "</tr>"
                )
            parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts).encode("utf-8")

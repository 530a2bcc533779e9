"""The run report as one self-contained HTML page (inline CSS, SVG and JS; works offline).

Owns the presentation: a summary (segments, statuses, mean score, top findings, corpus
metrics with signatures, run information), two inline-SVG charts (score distribution and
findings by check) and a side-by-side table of source and translation with term matches and
findings highlighted, sortable by score and filterable by status. Every piece of text from
the report is HTML-escaped: segments may contain markup. The script marks
``<body data-ready="yes">`` once the table is wired, which tests use to see that it ran; a URL
ending in ``#sort=score`` (or ``#sort=score-desc``) opens the page sorted, worst first.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from transpipe.report.build import Report

STATUS_COLOURS = {"good": "#2e7d32", "review": "#ef8f00", "bad": "#c62828", "unscored": "#777"}
SEVERITY_COLOURS = {
    "critical": "#8e0000",
    "major": "#c62828",
    "minor": "#ef8f00",
    "info": "#90a4ae",
}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;
padding:0 24px 40px;color:#222;background:#fafafa}
h1{font-size:22px;margin:18px 0 4px}h2{font-size:17px;margin:22px 0 8px}
.meta{color:#555;font-size:13px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:110px}
.card b{display:block;font-size:22px}.card span{font-size:12px;color:#555}
.charts{display:flex;gap:24px;flex-wrap:wrap}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{border:1px solid #ddd;padding:6px 8px;vertical-align:top;text-align:left}
th{background:#eee;position:sticky;top:0}
th.sortable{cursor:pointer;text-decoration:underline dotted}
td.num{text-align:right;white-space:nowrap}
.status{color:#fff;border-radius:4px;padding:1px 6px;font-size:12px}
.st-good{background:#2e7d32}.st-review{background:#ef8f00}.st-bad{background:#c62828}
.st-unscored{background:#777}
.term{background:#d7ecff;border-bottom:2px solid #1e88e5}
.term-forbidden{background:#ffd7d7;border-bottom:2px solid #c62828}
.f-critical,.f-major{background:#ffcdd2;text-decoration:underline wavy #c62828}
.f-minor,.f-info{text-decoration:underline wavy #ef8f00}
ul.issues{margin:0;padding-left:16px;font-size:12px}
.sev{font-weight:bold}.sev-critical,.sev-major{color:#c62828}.sev-minor{color:#ef8f00}
.sev-info{color:#607d8b}
.small{font-size:12px;color:#555}
.metrics td{font-size:13px}.sig{font-family:monospace;font-size:11px;color:#555}
tr.hidden{display:none}
"""

JS = """
(function(){
  var table=document.getElementById('segments');
  var body=table.tBodies[0];
  var dir={};
  function key(row,k){var v=row.getAttribute('data-'+k);return v===''?-1:parseFloat(v);}
  function sortBy(k){
    dir[k]=dir[k]==='asc'?'desc':'asc';
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var d=key(a,k)-key(b,k);if(d===0){d=key(a,'n')-key(b,'n');}
      return dir[k]==='asc'?d:-d;});
    rows.forEach(function(r){body.appendChild(r);});
    document.body.setAttribute('data-sorted',k+'-'+dir[k]);
  }
  Array.prototype.forEach.call(table.querySelectorAll('th[data-sort]'),function(th){
    th.addEventListener('click',function(){sortBy(th.getAttribute('data-sort'));});
  });
  var filter=document.getElementById('status-filter');
  filter.addEventListener('change',function(){
    Array.prototype.forEach.call(body.rows,function(r){
      var show=filter.value==='all'||r.getAttribute('data-status')===filter.value;
      r.className=show?'':'hidden';
    });
  });
  var wanted=/^#sort=(score|n)(-desc)?$/.exec(location.hash);
  if(wanted){if(wanted[2]){dir[wanted[1]]='asc';}sortBy(wanted[1]);}
  document.body.setAttribute('data-rows',String(body.rows.length));
  document.body.setAttribute('data-ready','yes');
})();
"""


def e(value: object) -> str:
    """Escape any value for HTML text and attribute context."""
    return html.escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    css: str
    title: str


def highlight(text: str, marks: Sequence[Mark]) -> str:
    """``text`` escaped, with overlapping marks rendered as nested-free ``<span>`` pieces."""
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    if not valid:
        return e(text)
    bounds = sorted({0, len(text)} | {m.start for m in valid} | {m.end for m in valid})
    out = []
    for a, b in itertools.pairwise(bounds):
        piece = text[a:b]
        covering = [m for m in valid if m.start <= a and b <= m.end]
        if not covering:
            out.append(e(piece))
            continue
        classes = " ".join(sorted({m.css for m in covering}))
        title = "; ".join(dict.fromkeys(m.title for m in covering))
        out.append(f'<span class="{e(classes)}" title="{e(title)}">{e(piece)}</span>')
    return "".join(out)


def _marks(segment: Mapping[str, Any], side: str, lang: str) -> list[Mark]:
    marks = []
    for match in segment.get("term_matches", []):
        if match.get("lang", lang) != lang:
            continue
        forbidden = match.get("status") == "forbidden"
        preferred = ", ".join(f"{k}: {v}" for k, v in sorted(match.get("preferred", {}).items()))
        title = f"term {match.get('concept')} ({match.get('status')}) {preferred}".strip()
        marks.append(
            Mark(
                int(match["start"]),
                int(match["end"]),
                "term-forbidden" if forbidden else "term",
                title,
            )
        )
    for issue in segment.get("issues", []):
        if issue.get("side") != side or "start" not in issue:
            continue
        marks.append(
            Mark(
                int(issue["start"]),
                int(issue["end"]),
                f"f-{issue['severity']}",
                f"{issue['check']} ({issue['severity']}): {issue['message']}",
            )
        )
    return marks


def _histogram_svg(counts: Sequence[int], good: float, review: float) -> str:
    width, height, pad = 360, 170, 28
    peak = max(counts) if counts and max(counts) > 0 else 1
    bar_w = (width - 2 * pad) / max(1, len(counts))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="score distribution" id="chart-scores">',
        f'<text x="{pad}" y="14" font-size="12">Score distribution (segments per 10 points)</text>',
    ]
    for i, count in enumerate(counts):
        low = i * 100 / len(counts)
        colour = "#2e7d32" if low >= good else "#ef8f00" if low >= review else "#c62828"
        h = (height - 2 * pad - 10) * count / peak
        x = pad + i * bar_w
        y = height - pad - h
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
            f'fill="{colour}"><title>{int(low)}-{int(low + 100 / len(counts))}: '
            f"{count}</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 2:.1f}" font-size="10" '
            f'text-anchor="middle">{count}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - pad + 12}" font-size="10" '
            f'text-anchor="middle">{int(low)}</text>'
        )
    parts.append(
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#444"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _findings_svg(findings: Sequence[Mapping[str, Any]]) -> str:
    rows = list(findings)[:12]
    width, row_h, label_w = 420, 20, 120
    height = 30 + row_h * max(1, len(rows))
    peak = max((int(f["count"]) for f in rows), default=1) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="findings by check" id="chart-findings">',
        '<text x="4" y="14" font-size="12">Findings by check (stacked by severity)</text>',
    ]
    if not rows:
        parts.append('<text x="4" y="40" font-size="12">no findings</text>')
    for i, finding in enumerate(rows):
        y = 24 + i * row_h
        parts.append(f'<text x="4" y="{y + 13}" font-size="11">{e(finding["check"])}</text>')
        x = float(label_w)
        for severity in ("critical", "major", "minor", "info"):
            count = int(finding.get(severity, 0))
            if not count:
                continue
            w = (width - label_w - 40) * count / peak
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{SEVERITY_COLOURS[severity]}"><title>{e(finding["check"])} {severity}: '
                f"{count}</title></rect>"
            )
            x += w
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="11">{int(finding["count"])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _metrics_table(metrics: Mapping[str, Any] | None) -> str:
    if not metrics or not isinstance(metrics.get("corpus"), Mapping):
        return '<p class="small">No references given: no corpus metrics.</p>'
    rows = "".join(
        f'<tr><td>{e(name)}</td><td class="num">{float(v["score"]):.2f}</td>'
        f'<td class="sig">{e(v.get("signature", ""))}</td></tr>'
        for name, v in metrics["corpus"].items()
    )
    return (
        '<table class="metrics" id="metrics"><thead><tr><th>metric</th><th>score</th>'
        f"<th>sacrebleu signature</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _run_table(run: Mapping[str, Any]) -> str:
    if not run:
        return ""
    rows = "".join(
        f"<tr><td>{e(k)}</td><td>{e(_compact(v) if isinstance(v, dict | list) else v)}</td></tr>"
        for k, v in sorted(run.items())
    )
    return f'<table class="metrics" id="run"><tbody>{rows}</tbody></table>'


def _compact(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _segment_row(segment: Mapping[str, Any], source_lang: str, target_lang: str) -> str:
    status = str(segment.get("status", "unscored"))
    score = segment.get("score")
    issues = "".join(
        f'<li><span class="sev sev-{e(i["severity"])}">{e(i["severity"])}</span> '
        f"<b>{e(i['check'])}</b>: {e(i['message'])}</li>"
        for i in segment.get("issues", [])
    )
    audit = "".join(
        f"<li>term {e(a['source'])} → {e(a['expected'])}: {e(a['outcome'])}</li>"
        for a in segment.get("term_audit", [])
    )
    memory = segment.get("memory_match")
    if memory:
        said = "used" if memory["used"] else "offered"
        audit += (
            f"<li>memory {int(memory['percent'])}% ({e(memory['origin'])}, {said}): "
            f"{e(memory['source'])} → {e(memory['target'])}</li>"
        )
    details = f'<ul class="issues">{issues}{audit}</ul>' if issues or audit else ""
    components = ", ".join(f"{k} {v}" for k, v in segment.get("components", {}).items())
    score_text = "" if score is None else f"{float(score):.1f}"
    source_html = highlight(str(segment.get("source", "")), _marks(segment, "source", source_lang))
    target_html = highlight(str(segment.get("target", "")), _marks(segment, "target", target_lang))
    return (
        f'<tr data-n="{int(segment["n"])}" data-score="{e(score_text)}" data-status="{e(status)}" '
        f'id="seg-{int(segment["n"])}">'
        f'<td class="num">{int(segment["n"])}'
        f'<div class="small">{e(segment.get("id", ""))}</div></td>'
        f'<td class="num" title="{e(components)}">{e(score_text)}<br>'
        f'<span class="status st-{e(status)}">{e(status)}</span></td>'
        f'<td lang="{e(source_lang)}">{source_html}</td>'
        f'<td lang="{e(target_lang)}">{target_html}</td>'
        f"<td>{details}</td></tr>"
    )


def render_report_html(
    report: Mapping[str, Any], *, good: float = 70.0, review: float = 45.0
) -> str:
    summary = report.get("summary", {})
    statuses = summary.get("statuses", {})
    source_lang = str(report.get("source_lang", ""))
    target_lang = str(report.get("target_lang", ""))
    title = f"transpipe report: {report.get('source_name', report.get('name', ''))}"
    cards = [
        ("segments", summary.get("segments", 0)),
        ("mean score", summary.get("mean_score")),
        *((status, statuses.get(status, 0)) for status in ("good", "review", "bad")),
        ("with findings", summary.get("segments_with_findings", 0)),
        ("term matches", summary.get("terms", {}).get("matches", 0)),
    ]
    card_html = "".join(
        f'<div class="card" id="card-{e(label.replace(" ", "-"))}">'
        f"<b>{e('–' if v is None else v)}</b>"
        f"<span>{e(label)}</span></div>"
        for label, v in cards
    )
    top = "".join(
        f"<li><b>{e(f['check'])}</b>: {int(f['count'])}</li>"
        for f in summary.get("findings", [])[:8]
    )
    rows = "".join(_segment_row(s, source_lang, target_lang) for s in report.get("segments", []))
    audit = summary.get("terms", {}).get("audit", {})
    audit_text = ", ".join(f"{k}: {v}" for k, v in audit.items()) or "no term audit"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{e(title)}</h1>"
        f'<div class="meta">{e(report.get("pair", ""))} · created {e(report.get("created", ""))}'
        f" · report v{e(report.get('report_version', ''))}</div>"
        f'<div class="cards">{card_html}</div>'
        f'<div class="charts"><div class="chart">'
        f"{_histogram_svg(summary.get('score_histogram', []), good, review)}</div>"
        f'<div class="chart">{_findings_svg(summary.get("findings", []))}</div></div>'
        f'<h2>Top findings</h2><ul id="top-findings">{top or "<li>none</li>"}</ul>'
        f'<p class="small">Terms: {e(audit_text)}</p>'
        f"<h2>Corpus metrics</h2>{_metrics_table(summary.get('metrics'))}"
        f"<h2>Run</h2>{_run_table(report.get('run', {}))}"
        f'<h2>Segments</h2><p class="small">Click “Score” or “#” to sort. Show: '
        f'<select id="status-filter"><option value="all">all</option>'
        f'<option value="bad">bad</option><option value="review">review</option>'
        f'<option value="good">good</option></select></p>'
        f'<table id="segments"><thead><tr><th class="sortable" data-sort="n">#</th>'
        f'<th class="sortable" data-sort="score">Score</th><th>Source ({e(source_lang)})</th>'
        f"<th>Translation ({e(target_lang)})</th><th>Findings</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f"<script>{JS}</script></body></html>\n"
    )


def write_report_html(report: Report, stream: BinaryIO) -> None:
    """Write ``report`` as one self-contained HTML page."""
    stream.write(render_report_html(report.to_json()).encode("utf-8"))

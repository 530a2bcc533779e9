"""Run report: contents, deterministic JSON, escaped self-contained HTML."""

from __future__ import annotations

import io
import json
import re

from transpipe.model import (
    Bitext,
    Issue,
    LanguagePair,
    Provenance,
    Score,
    SegmentStatus,
    Severity,
    Span,
    TermAudit,
    TermMatch,
    TermOutcome,
    TermStatus,
    Unit,
)
from transpipe.quality import reference_metrics
from transpipe.report import Report, render_report_html, write_report_html, write_report_json

PAIR = LanguagePair("ru", "en")


def sample_bitext() -> Bitext:
    csto = TermMatch("csto", Span(7, 11), "ОДКБ", "ru", TermStatus.ADMITTED, (("en", "CSTO"),))
    units = (
        Unit(
            "doc:p1:s1",
            "Саммит ОДКБ пройдёт 10 марта.",
            "The CSTO summit will be held on March 11.",
            paragraph=1,
            term_matches=(csto,),
            term_audit=(TermAudit("csto", "ОДКБ", "CSTO", TermOutcome.HONOURED, "CSTO"),),
            issues=(
                Issue(
                    "numbers", Severity.MAJOR, "number '10' missing", Span(20, 22), side="source"
                ),
                Issue("numbers", Severity.MINOR, "number '11' extra", Span(38, 40)),
            ),
            score=Score(67.0, SegmentStatus.REVIEW, (("similarity", 0.81), ("penalty", 33.0))),
        ),
        Unit(
            "doc:p1:s2",
            "Тег <script>alert('x')</script> & «кавычки».",
            "Tag <script>alert('x')</script> & <b>quotes</b>.",
            paragraph=1,
            score=Score(92.5, SegmentStatus.GOOD, (("similarity", 0.9),)),
        ),
        Unit(
            "doc:p2:s1",
            "Пусто.",
            "",
            paragraph=2,
            issues=(Issue("empty", Severity.CRITICAL, "the translation is empty"),),
            score=Score(0.0, SegmentStatus.BAD, ()),
        ),
    )
    return Bitext("doc", PAIR, units, created="2026-01-01T00:00:00Z")


RUN = Provenance(
    engine="ct2",
    model="opus-mt-ru-en",
    model_revision="abc123",
    decoding="beam=4",
    term_pinning=True,
)


def test_build_report_summary_and_segments() -> None:
    bitext = sample_bitext()
    metrics = reference_metrics(
        [u.target for u in bitext], [u.target for u in bitext], target_lang="en"
    )
    timings = {"translate": 1.5}
    report = Report(
        bitext, source_name="doc.ru.txt", provenance=RUN, timings=timings, metrics=metrics
    ).to_json()
    summary = report["summary"]
    assert summary["segments"] == 3
    assert summary["statuses"] == {"good": 1, "review": 1, "bad": 1, "unscored": 0}
    assert summary["findings"][0] == {
        "check": "numbers",
        "count": 2,
        "critical": 0,
        "major": 1,
        "minor": 1,
        "info": 0,
    }
    assert (
        summary["score_histogram"][6] == 1
        and summary["score_histogram"][9] == 1
        and summary["score_histogram"][0] == 1
    )
    assert summary["terms"] == {"matches": 1, "concepts": {"csto": 1}, "audit": {"honoured": 1}}
    assert summary["metrics"]["corpus"]["chrf"]["signature"].startswith("nrefs:1")
    first = report["segments"][0]
    assert first["id"] == "doc:p1:s1" and first["status"] == "review"
    assert first["term_matches"][0]["preferred"] == {"en": "CSTO"}
    assert first["issues"][0]["side"] == "source"
    assert "metrics" in first and first["metrics"]["bleu"] >= 0
    assert report["run"]["decoding"] == "beam=4"
    assert report["run"]["timings_s"] == {"translate": 1.5}
    # the provenance is kept once and rendered twice: file header props and the run record
    assert report["props"] == {
        "x-engine": "ct2",
        "x-model": "opus-mt-ru-en",
        "x-model-revision": "abc123",
        "x-decoding": "beam=4",
        "x-term-pinning": "on",
    }
    assert report["run"]["model_revision"] == "abc123" and report["run"]["term_pinning"] is True


def test_json_is_deterministic_sorted_utf8() -> None:
    report = Report(sample_bitext(), source_name="doc.ru.txt", provenance=RUN)
    one, two = io.BytesIO(), io.BytesIO()
    write_report_json(report, one)
    write_report_json(Report(sample_bitext(), source_name="doc.ru.txt", provenance=RUN), two)
    assert one.getvalue() == two.getvalue()
    text = one.getvalue().decode("utf-8")
    assert "«кавычки»" in text  # not \u-escaped
    assert json.loads(text) == report.to_json()
    keys = list(json.loads(text))
    assert keys == sorted(keys)


def test_html_is_self_contained_and_escaped() -> None:
    report = Report(sample_bitext(), source_name="doc<1>.ru.txt", provenance=RUN)
    stream = io.BytesIO()
    write_report_html(report, stream)
    page = stream.getvalue().decode("utf-8")
    assert page == render_report_html(report.to_json())
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    )
    assert "&lt;b&gt;quotes&lt;/b&gt;" in page and "doc&lt;1&gt;.ru.txt" in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)  # no external assets
    assert page.count("<script>") == 1
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'id="chart-findings"' in page
    assert page.count("<tr data-n=") == 3
    assert '<span class="term" title="term csto (admitted) en: CSTO">ОДКБ</span>' in page
    assert 'class="f-major"' in page and ">10</span>" in page
    assert 'data-status="bad"' in page

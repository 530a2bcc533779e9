"""The review project below the HTTP layer: store, checks on edits, term help, statistics.

Runs on a real ``translate`` output directory (identity engine) and a real SQLite store.
"""

from __future__ import annotations

import json
import math
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from review_support import translate_identity
from transpipe.model import TermAudit, TermOutcome
from transpipe.publish.readiness import reverify
from transpipe.review.project import ProjectSettings, ReviewProject, segment_json
from transpipe.review.stats import word_edit_distance
from transpipe.review.store import Stale
from transpipe.review.terms import inflect_for_context

REPO = Path(__file__).resolve().parents[1]
NAME = "csc-session-minsk"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return translate_identity([REPO / "corpora" / f"{NAME}.en.txt"], tmp_path_factory.mktemp("r"))


@pytest.fixture
def project(run_dir: Path, tmp_path: Path) -> Iterator[ReviewProject]:
    directory = tmp_path / "out"
    shutil.copytree(run_dir, directory)
    opened = ReviewProject(ProjectSettings(directory, clock=lambda: "2026-03-01T10:00:00Z"))
    opened.open()
    yield opened
    opened.close()


def same(a: object, b: object) -> bool:
    """Equal JSON values, floats compared to 1e-9 (SQLite and Python print floats apart)."""
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return math.isclose(a, b, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_the_segment_list_built_in_sql_has_the_shape_of_segment_json(
    project: ReviewProject,
) -> None:
    rows = project.store.segments(NAME)
    first = project.update(rows[0].id, target="Новый текст", status="approved", version=1)
    assert first is not None and not isinstance(first, Stale)
    project.update(rows[1].id, target=rows[1].target, status="review", version=1, seconds=7.26)
    listed = json.loads(project.segments_json(NAME) or "[]")
    expected = [segment_json(row) for row in project.store.segments(NAME)]
    assert same(listed, expected)
    assert listed[0]["stats"]["edited"] is True and listed[1]["stats"]["edited"] is False
    assert listed[1]["stats"]["seconds"] == 7.3


def test_stale_versions_change_nothing(project: ReviewProject) -> None:
    row = project.store.segments(NAME)[3]
    assert not isinstance(project.update(row.id, target="A", status="review", version=1), Stale)
    stale = project.update(row.id, target="B", status="approved", version=1)
    assert isinstance(stale, Stale) and stale.current.target == "A"
    current = project.store.segment(row.id)
    assert current is not None and current.target == "A"
    history = project.store.history(row.id)
    assert [h["target"] for h in history] == ["A"]
    with closing(sqlite3.connect(project.directory / "review.db")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reverify_accepts_any_inflection_and_the_matched_terms_own_counterpart() -> None:
    record = TermAudit(
        "csc", "Collective Security Council", "Совет коллективной безопасности", TermOutcome.FAILED
    )
    now = reverify(record, "заседание Совета коллективной безопасности", "ru", None)
    assert now.outcome is TermOutcome.HONOURED
    assert now.target_surface == "Совета коллективной безопасности"
    gone = reverify(now, "заседание совета", "ru", None)
    assert gone.outcome is TermOutcome.FAILED and gone.target_surface == ""
    full = TermAudit("csto", "Collective Security Treaty Organization", "ОДКБ", TermOutcome.FAILED)
    text = "сессия Организации Договора о коллективной безопасности"
    assert reverify(full, text, "ru", None).outcome is TermOutcome.FAILED
    also = ("Организация Договора о коллективной безопасности",)
    assert reverify(full, text, "ru", None, also).outcome is TermOutcome.HONOURED


@pytest.mark.parametrize(
    ("before", "replaced", "default", "expected"),
    [
        ("Сессия прошла при ", "", "Совет коллективной безопасности",
         "Совете коллективной безопасности"),
        ("Решение ", "Совету безопасности", "Совет коллективной безопасности",
         "Совету коллективной безопасности"),
        ("", "", "сессия", "Сессия"),
        ("Открылась ", "", "сессии", "сессии"),  # no clue in the context: the sentence's form
    ],
)  # fmt: skip
def test_term_inflected_for_the_place_it_goes(
    before: str, replaced: str, default: str, expected: str
) -> None:
    term = default if default != "сессии" else "сессия"
    term = "Совет коллективной безопасности" if "Совет" in default else term
    assert inflect_for_context(term, "ru", before=before, replaced=replaced, default=default) == (
        expected
    )


def test_word_edit_distance() -> None:
    assert word_edit_distance("a b c", "a b c") == 0
    assert word_edit_distance("a b c", "a x c") == 1
    assert word_edit_distance("a b c", "") == 3
    assert word_edit_distance("a b c d", "b c d e") == 2
    long_a, long_b = " ".join(["w"] * 1000), " ".join(["w"] * 999 + ["z"])
    assert word_edit_distance(long_a, long_b) == 1  # beyond the exact limit: difflib estimate


def test_a_po_unreadable_mid_save_is_skipped_then_imported(project: ReviewProject) -> None:
    po = project.directory / f"{NAME}.po"
    good = po.read_text("utf-8")
    cut = good.index('msgstr "', len(good) // 2) + 12
    po.write_text(good[:cut], encoding="utf-8")  # a save caught half-written: string unclosed
    article = project.store.article(NAME)
    assert article is not None
    assert project.reconcile(article) == 0 and project.warnings
    first = project.store.segments(NAME)[0]
    po.write_text(good.replace(f'msgstr "{first.target}"', 'msgstr "Исправлено"', 1), "utf-8")
    article = project.store.article(NAME)
    assert article is not None and project.reconcile(article) == 1
    fixed = project.store.segment(first.id)
    assert fixed is not None and fixed.target == "Исправлено"


def test_an_aligned_pair_output_is_reviewed_and_published(tmp_path: Path) -> None:
    """``align --out X.po`` leaves a PO alone (no report): it is reviewable as it is."""
    from review_support import transpipe
    from transpipe.review import exports

    directory = tmp_path / "aligned"
    corpora = REPO / "corpora"
    transpipe("align", corpora / f"{NAME}.en.txt", corpora / f"{NAME}.ru.txt", "--from", "en",
              "--to", "ru", "--out", directory / f"{NAME}.po")  # fmt: skip
    opened = ReviewProject(ProjectSettings(directory, clock=lambda: "2026-03-01T10:00:00Z"))
    try:
        opened.open()
        rows = opened.store.segments(NAME)
        assert len(rows) == 13 and {row.status for row in rows} == {"review"}
        for row in rows:
            opened.update(row.id, target=row.target, status="approved", version=row.version)
        article = opened.store.article(NAME)
        assert article is not None and article.report_file == ""
        result = exports.publish(
            directory, article, opened.store.segments(NAME), fmt="txt",
            allow_unreviewed=False, force=False, terms=None, created="2026-03-01T10:00:00Z",
        )  # fmt: skip
        assert result.path is not None, result.refused
        assert result.path.read_text("utf-8") == (corpora / f"{NAME}.ru.txt").read_text("utf-8")
    finally:
        opened.close()

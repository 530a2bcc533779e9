"""Journey: translate the 13 sample articles, review one fully through the API, publish it.

The reviewer's edits are the human translation of the article (its sentences, aligned with
``transpipe align`` from the corpus pair), so the published article must be exactly the
corpus's Russian article: every edit in it, every paragraph in its place.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from review_support import ReviewServer, paragraph_shape, translate_identity, transpipe
from transpipe.formats.po import read_po

REPO = Path(__file__).resolve().parents[1]
NAME = "csc-session-minsk"


@pytest.mark.slow
def test_translate_thirteen_review_one_through_the_api_and_publish(tmp_path: Path) -> None:
    articles = sorted((REPO / "corpora").glob("*.en.txt"))
    assert len(articles) == 13
    out = translate_identity(articles, tmp_path / "out")
    aligned = tmp_path / "aligned.po"
    transpipe(
        "align", REPO / "corpora" / f"{NAME}.en.txt", REPO / "corpora" / f"{NAME}.ru.txt",
        "--from", "en", "--to", "ru", "--out", aligned,
    )  # fmt: skip
    human = {unit.id: unit.target for unit in read_po(aligned).units}

    with ReviewServer(out) as server:
        listed = server.request("GET", "/api/articles").data
        assert len(listed) == 13 and {a["name"] for a in listed} >= {NAME}
        segments = server.segments(NAME)
        assert set(human) == {s["id"] for s in segments}
        for segment in segments:
            reply = server.put(segment, human[segment["id"]])
            assert reply.status == 200, reply.data
            assert reply.data["status"] == "approved" and reply.data["version"] == 2
        counts = {a["name"]: a["counts"] for a in server.request("GET", "/api/articles").data}
        assert counts[NAME]["approved"] == 13 and counts[NAME]["review"] == 0
        assert all(c["approved"] == 0 for name, c in counts.items() if name != NAME)

        published = server.request("POST", f"/api/articles/{NAME}/publish", {"format": "txt"})
        assert published.status == 200, published.data
        assert published.data["readiness"]["line"] == (
            "13 approved (13 reviewed, 0 machine), 0 fuzzy, 0 untranslated, 0 term failures"
        )
    text = (out / published.data["path"]).read_text("utf-8")
    reference = (REPO / "corpora" / f"{NAME}.ru.txt").read_text("utf-8")
    assert text == reference
    assert paragraph_shape(text) == paragraph_shape(
        (REPO / "corpora" / f"{NAME}.en.txt").read_text("utf-8")
    )
    assert all(edit in text for edit in human.values())

"""``transpipe review``: the JSON API of the real server process, its access rules and its
durability. Every test starts ``transpipe review DIR`` as a separate process on a copy of a
real ``translate`` output directory and talks HTTP to it.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from review_support import ReviewServer, translate_identity
from transpipe.formats.po import read_po
from transpipe.formats.review import ReviewState, review_state
from transpipe.formats.tmx import read_tmx
from transpipe.formats.xliff import read_xliff

REPO = Path(__file__).resolve().parents[1]
MINSK = REPO / "corpora" / "csc-session-minsk.en.txt"
NAME = "csc-session-minsk"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return translate_identity([MINSK], tmp_path_factory.mktemp("run"))


@pytest.fixture
def project(run_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(run_dir, copy)
    return copy


def test_url_line_and_access_rules(project: Path) -> None:
    with ReviewServer(project) as server:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{20,}", server.url)
        assert server.request("GET", "/", token=None).status == 401
        assert server.request("GET", "/?token=wrong", token=None).status == 403
        assert server.request("GET", f"/articles/{NAME}", token=None).status == 401
        page = server.request("GET", f"/?token={server.token}", token=None)
        assert page.status == 200 and NAME in page.data
        assert "httponly" in page.headers["set-cookie"].lower()
        assert "samesite=strict" in page.headers["set-cookie"].lower()
        for header in ("content-security-policy", "x-content-type-options", "referrer-policy"):
            assert header in page.headers
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["referrer-policy"] == "no-referrer"

        assert server.request("GET", "/api/articles", token=None).status == 401
        assert server.request("GET", "/api/articles", token="wrong").status == 403
        query_only = server.request("GET", f"/api/articles?token={server.token}", token=None)
        assert query_only.status == 401  # the API takes the token from the header only
        segment = server.segments(NAME)[0]
        cookie = {"Cookie": f"transpipe_token={server.token}"}
        body = {"target": "x", "status": "approved", "version": segment["version"]}
        by_cookie = server.request(
            "PUT", "/api/segments/" + segment["id"], body, token=None, headers=cookie
        )
        assert by_cookie.status == 401  # a cookie (what a cross-site form sends) is not enough
        form = server.request(
            "POST",
            f"/api/articles/{NAME}/publish",
            token=None,
            headers={**cookie, "Content-Type": "application/x-www-form-urlencoded"},
            raw=b"format=txt&allow_unreviewed=true",
        )
        assert form.status == 401
        assert server.segments(NAME)[0]["version"] == segment["version"]
        assert not (project / "published").exists()
        articles = server.request("GET", "/api/articles")
        assert articles.status == 200
        assert articles.data[0]["name"] == NAME and articles.data[0]["counts"]["segments"] == 13


def test_update_runs_the_checks_and_a_stale_version_is_a_conflict(project: Path) -> None:
    with ReviewServer(project) as server:
        headline = server.segments(NAME)[0]
        assert headline["status"] == "review" and headline["version"] == 1
        assert headline["term_failures"] >= 1
        failed = [a for a in headline["audit"] if a["outcome"] == "failed"]
        assert failed and all(a["suggestion"] for a in failed)

        fixed = "В Минске состоялась сессия Совета коллективной безопасности ОДКБ"
        reply = server.put(headline, fixed)
        assert reply.status == 200, reply.data
        assert reply.data["version"] == 2 and reply.data["status"] == "approved"
        assert reply.data["target"] == fixed and reply.data["term_failures"] == 0
        assert not [f for f in reply.data["findings"] if f["check"] == "glossary"]
        assert reply.data["memory"] == "stored"
        assert reply.data["stats"]["edited"] and reply.data["stats"]["words_changed"] > 0

        stale = server.put(headline, "a second tab's text")  # still version 1
        assert stale.status == 409
        assert stale.data["current"]["target"] == fixed and stale.data["current"]["version"] == 2
        assert server.segments(NAME)[0]["target"] == fixed

        broken = server.put(reply.data, "Сессия в Минске", status="review")
        assert broken.status == 200 and broken.data["term_failures"] >= 1
        assert broken.data["status"] == "review"

        for bad in (
            {"target": "x", "status": "done", "version": 3},
            {"target": "x", "status": "approved", "version": "3"},
            {"target": 5, "status": "approved", "version": 3},
            {"target": "x", "status": "approved", "version": 3, "seconds": "long"},
        ):
            assert server.request("PUT", "/api/segments/" + headline["id"], bad).status == 400
        assert server.request("PUT", "/api/segments/" + headline["id"], raw=b"{").status == 400
        missing = {"target": "x", "status": "approved", "version": 1}
        assert server.request("PUT", "/api/segments/nope:p1:s1", missing).status == 404
        assert server.segments(NAME)[0]["version"] == 3


def test_sigkill_right_after_an_update_loses_nothing(project: Path) -> None:
    server = ReviewServer(project)
    try:
        segment = server.segments(NAME)[2]
        text = "Отредактировано до SIGKILL: " + segment["target"]
        reply = server.request(
            "PUT",
            "/api/segments/" + segment["id"],
            {"target": text, "status": "approved", "version": 1, "seconds": 12.5},
        )
        assert reply.status == 200
        server.kill()
    finally:
        server.stop()
    with ReviewServer(project) as again:
        after = again.segments(NAME)[2]
        assert after["target"] == text and after["status"] == "approved"
        assert after["version"] == 2 and after["stats"]["seconds"] == 12.5
    with closing(sqlite3.connect(project / "memory.db")) as memory:
        stored = memory.execute("SELECT target, reviewed FROM units").fetchall()
    assert (text, 1) in stored


def test_po_edited_outside_is_imported_and_never_written(project: Path) -> None:
    po = project / f"{NAME}.po"
    fuzzy = [u.id for u in read_po(po).units[1:] if u.fuzzy]
    with ReviewServer(project) as server:
        segments = server.segments(NAME)
        first, second = segments[0], next(s for s in segments if s["id"] == fuzzy[0])
        assert server.put(first, "Правка на странице", status="review").status == 200

    text = po.read_text("utf-8")
    edited = text.replace(
        f'#, fuzzy\nmsgctxt "{first["id"]}"\nmsgid "{first["source"]}"\nmsgstr "{first["target"]}"',
        f'msgctxt "{first["id"]}"\nmsgid "{first["source"]}"\nmsgstr "Правка в Poedit"',
    )  # the translator rewrote the headline and cleared its fuzzy flag
    edited = edited.replace(
        f'#, fuzzy\nmsgctxt "{second["id"]}"', f'msgctxt "{second["id"]}"'
    )  # the translator approved that entry as it was
    assert edited.count("Правка в Poedit") == 1 and edited != text
    po.write_text(edited, encoding="utf-8")

    with ReviewServer(project) as server:
        now = server.segments(NAME)
        assert now[0]["target"] == "Правка в Poedit" and now[0]["status"] == "approved"
        now_second = next(s for s in now if s["id"] == second["id"])
        assert now_second["status"] == "approved" and now_second["target"] == second["target"]
        assert sum(s["status"] == "approved" for s in now) == 2
        history = server.request("GET", f"/api/segments/{first['id']}/context").data["history"]
        assert [h["target"] for h in history] == ["Правка на странице", "Правка в Poedit"]
        assert [h["origin"] for h in history] == ["review", "po"]
        # a later edit in the PO while the server runs is picked up too
        po.write_text(edited.replace("Правка в Poedit", "Вторая правка"), encoding="utf-8")
        assert server.segments(NAME)[0]["target"] == "Вторая правка"
        assert server.put(server.segments(NAME)[0], "Со страницы").status == 200
    assert po.read_text("utf-8") == edited.replace("Правка в Poedit", "Вторая правка")


def test_nothing_outside_the_directory_is_served_or_written(project: Path) -> None:
    before = sorted(p.name for p in project.parent.iterdir())
    secret = project.parent / "secret.txt"
    secret.write_text("not for the page", encoding="utf-8")
    with ReviewServer(project) as server:
        for path in (
            "/static/../../secret.txt",
            "/static/..%2f..%2fsecret.txt",
            "/static/%2e%2e%2fsecret.txt",
            "/static/review.db",
            f"/articles/..%2F{NAME}",
            "/articles/..%2Fsecret.txt",
        ):
            reply = server.request("GET", path + f"?token={server.token}", token=None)
            assert reply.status == 404, path
            assert "not for the page" not in str(reply.data)
        for path in (
            "/api/articles/..%2Fsecret/segments",
            "/api/articles/../secret/segments",
            f"/api/articles/{NAME}/export?format=..%2F..%2Fsecret",
        ):
            reply = server.request("GET", path)
            assert reply.status in (404, 422), path
            assert "not for the page" not in str(reply.data)
        publish = server.request(
            "POST",
            f"/api/articles/{NAME}/publish",
            {"format": "../../secret", "allow_unreviewed": True},
        )
        assert publish.status == 422
        fine = server.request(
            "POST", f"/api/articles/{NAME}/publish", {"format": "md", "allow_unreviewed": True}
        )
        assert fine.status == 200 and fine.data["path"] == f"published/{NAME}.ru.md"
    assert sorted(p.name for p in project.parent.iterdir()) == sorted([*before, "secret.txt"])
    assert secret.read_text("utf-8") == "not for the page"


def test_exports_statistics_and_publishing_through_the_gate(project: Path) -> None:
    with ReviewServer(project) as server:
        refused = server.request("POST", f"/api/articles/{NAME}/publish", {"format": "txt"})
        assert refused.status == 409 and refused.data["readiness"]["fuzzy"] == 13
        for segment in server.segments(NAME):
            reply = server.request(
                "PUT",
                "/api/segments/" + segment["id"],
                {
                    "target": f"Перевод {segment['n']}.",
                    "status": "approved",
                    "version": segment["version"],
                    "seconds": 3,
                },
            )
            assert reply.status == 200
        # identity MT kept every English term: the glossary still fails on the edited texts
        blocked = server.request("POST", f"/api/articles/{NAME}/publish", {"format": "txt"})
        assert blocked.status == 409 and blocked.data["readiness"]["fuzzy"] == 0
        assert blocked.data["readiness"]["term_failures"] > 0
        draft = server.request(
            "POST",
            f"/api/articles/{NAME}/publish",
            {"format": "html", "allow_unreviewed": True},
        )
        assert draft.status == 200
        page = (project / draft.data["path"]).read_text("utf-8")
        assert 'data-draft="yes"' in page and "term-failure" in page
        again = server.request(
            "POST",
            f"/api/articles/{NAME}/publish",
            {"format": "html", "allow_unreviewed": True},
        )
        assert again.status == 422 and "already exists" in again.data["error"]

        stats = server.request("GET", f"/api/articles/{NAME}/stats").data["post_editing"]
        assert stats["segments"] == 13 and stats["edited"] == 13 and stats["seconds"] == 39
        for fmt, reader in (("po", read_po), ("xliff", read_xliff), ("tmx", read_tmx)):
            reply = server.request("GET", f"/api/articles/{NAME}/export?format={fmt}")
            assert reply.status == 200
            assert f'filename="{NAME}.reviewed.' in reply.headers["content-disposition"]
            path = project.parent / f"export.{'xlf' if fmt == 'xliff' else fmt}"
            path.write_bytes(reply.data if isinstance(reply.data, bytes) else reply.data.encode())
            units = reader(path).units
            assert [u.target for u in units] == [f"Перевод {n}." for n in range(1, 14)]
            assert {review_state(u) for u in units} == {ReviewState.REVIEWED}, fmt
        report = server.request("GET", f"/api/articles/{NAME}/export?format=report-json").data
        assert report["run"]["review_edited"] == "13" and report["run"]["engine"] == "identity"
        assert "post-edit:" in report["segments"][0]["notes"][0]

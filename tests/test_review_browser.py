"""The review page driven in the system Chromium with Playwright, against the real server.

Open, sort, edit with the keyboard, insert the suggested term (inflected for the sentence),
approve, reload -> persisted; SIGKILL the server after an update, restart -> the update is
there; two tabs on one segment -> the second gets a conflict; markup in segments and article
names stays text; requests without the token are refused.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from review_support import CHROMIUM, CHROMIUM_FLAGS, GLOSSARY, ReviewServer, translate_identity

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

playwright_api = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parents[1]
MINSK = REPO / "corpora" / "csc-session-minsk.en.txt"
NAME = "csc-session-minsk"
HOSTILE_NAME = "<img src=x onerror=window.__xss=9>"
HOSTILE_TEXT = (
    "Headline <script>window.__xss = 1</script>\n\n"
    'Text with <img src=x onerror="window.__xss=2"> and '
    '<b onmouseover="window.__xss=3">bold</b> markup inside.\n'
)

pytestmark = pytest.mark.interop


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("browser")
    hostile = work / f"{HOSTILE_NAME}.en.txt"
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    return translate_identity([MINSK, hostile], work / "out")


@pytest.fixture
def project(run_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(run_dir, copy)
    return copy


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.skip("system Chromium is not installed (Debian package chromium)")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


def open_article(page: Page, server: ReviewServer) -> None:
    page.goto(server.url)
    page.click(f"a[href='/articles/{NAME}']")
    page.wait_for_selector("body[data-ready=yes]")


def row(n: int) -> str:
    return f"#segments tr[data-n='{n}']"


def approve_with_keyboard(page: Page) -> None:
    """Ctrl+Enter; if the checks still find something, the page asks for a second one."""
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("body[data-saved], body[data-confirm]")
    if page.get_attribute("body", "data-saved") is None:
        page.keyboard.press("Control+Enter")
        page.wait_for_selector("body[data-saved]")


def test_open_sort_edit_insert_term_approve_reload_and_survive_sigkill(
    browser: Browser, project: Path
) -> None:
    server = ReviewServer(project, "--glossary", str(GLOSSARY))
    try:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        open_article(page, server)
        assert page.get_attribute("body", "data-rows") == "13"
        assert page.inner_text("#count-review") == "13"

        page.click("th[data-sort=score]")
        ascending = page.eval_on_selector_all(
            "#segments tbody tr", "rows => rows.map(r => parseFloat(r.dataset.score))"
        )
        assert page.get_attribute("body", "data-sorted") == "score-asc"
        assert ascending == sorted(ascending) and len(set(ascending)) > 1
        page.click("th[data-sort=score]")
        descending = page.eval_on_selector_all(
            "#segments tbody tr", "rows => rows.map(r => parseFloat(r.dataset.score))"
        )
        assert descending == sorted(ascending, reverse=True)
        page.click("th[data-sort=n]")

        # keyboard first: j selects the first row (the headline), Enter opens the editor
        page.keyboard.press("j")
        assert page.get_attribute(row(1), "class") == "current"
        page.keyboard.press("Enter")
        editor = page.locator(f"{row(1)} textarea")
        editor.wait_for()
        page.keyboard.press("Control+a")
        page.keyboard.type("Сессия ОДКБ прошла в Минске при ")
        chip = page.locator(f"{row(1)} button.term-insert[data-concept=csc]")
        assert chip.inner_text() == "Совет коллективной безопасности"  # failed in the MT
        chip.click()
        page.wait_for_selector("body[data-inserted]")
        inflected = "Совете коллективной безопасности"  # prepositional after «при»
        assert page.get_attribute("body", "data-inserted") == inflected
        assert editor.input_value() == "Сессия ОДКБ прошла в Минске при " + inflected
        approve_with_keyboard(page)
        saved_text = "Сессия ОДКБ прошла в Минске при " + inflected
        assert page.get_attribute(row(1), "data-status") == "approved"
        assert page.inner_text("#count-approved") == "1"
        assert page.get_attribute(row(1), "data-failures") == "0"
        assert page.get_attribute("body", "data-current") != f"{NAME}:p1:s1"  # moved on

        page.reload()
        page.wait_for_selector("body[data-ready=yes]")
        assert page.inner_text(f"{row(1)} td.target") == saved_text
        assert page.get_attribute(row(1), "data-status") == "approved"
        assert "edited" in page.inner_text(f"{row(1)} .stats")
        assert errors == []
        server.kill()
    finally:
        server.stop()
    with ReviewServer(project) as again:
        page = browser.new_page()
        open_article(page, again)
        assert page.inner_text(f"{row(1)} td.target") == saved_text
        assert page.get_attribute(row(1), "data-status") == "approved"


def test_two_tabs_on_one_segment_the_second_gets_a_conflict(
    browser: Browser, project: Path
) -> None:
    with ReviewServer(project) as server:
        context = browser.new_context()
        first, second = context.new_page(), context.new_page()
        open_article(first, server)
        open_article(second, server)
        for page, text in ((first, "Текст первой вкладки"), (second, "Текст второй вкладки")):
            page.click(f"{row(2)} td.target")
            editor = page.locator(f"{row(2)} textarea")
            editor.fill(text)
            page.keyboard.press("Control+s")
        first.wait_for_selector("body[data-saved]")
        second.wait_for_selector("body[data-conflict]")
        assert second.inner_text(f"{row(2)} .warn .theirs") == "Текст первой вкладки"
        assert server.segments(NAME)[1]["target"] == "Текст первой вкладки"
        second.click(f"{row(2)} button.keep-mine")  # an explicit choice, never silent
        second.wait_for_selector("body[data-saved]")
        now = server.segments(NAME)[1]
        assert now["target"] == "Текст второй вкладки" and now["version"] == 3


def test_markup_in_segments_and_names_is_inert(browser: Browser, project: Path) -> None:
    with ReviewServer(project) as server:
        context = browser.new_context(bypass_csp=True)  # escaping alone must hold
        page = context.new_page()
        dialogs: list[str] = []

        def dismiss(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        page.goto(server.url)
        listed = page.locator("#articles a").all_inner_texts()
        assert HOSTILE_NAME in listed and page.locator("#articles img").count() == 0
        page.locator("#articles a", has_text="onerror").click()
        page.wait_for_selector("body[data-ready=yes]")
        assert page.inner_text("#article-name") == HOSTILE_NAME
        sources = page.locator("#segments td.source").all_inner_texts()
        assert "Headline <script>window.__xss = 1</script>" in sources
        assert page.locator("[onerror], [onmouseover], img").count() == 0
        assert page.locator("script").count() == 1  # the page's own
        assert page.locator("td.source b, td.target b").count() == 0
        page.hover("#segments td.source >> nth=1")
        page.click(f"{row(2)} td.target")
        page.locator(f"{row(2)} textarea").fill('<img src=y onerror="window.__xss=4">')
        page.keyboard.press("Control+s")
        page.wait_for_selector("body[data-saved]")
        assert page.inner_text(f"{row(2)} td.target") == '<img src=y onerror="window.__xss=4">'
        assert page.evaluate("() => window.__xss") is None
        assert page.locator("img").count() == 0 and dialogs == []


def test_requests_without_the_token_are_refused(browser: Browser, project: Path) -> None:
    with ReviewServer(project) as server:
        page = browser.new_page()
        for url, status in (
            (server.base + "/", 401),
            (server.base + "/?token=guess", 403),
            (server.base + f"/articles/{NAME}", 401),
            (server.base + "/api/articles", 401),
        ):
            response = page.goto(url)
            assert response is not None and response.status == status, url
            assert NAME not in page.content()  # no article data leaks into a refusal
        assert "X-Transpipe-Token" in page.content()
        response = page.goto(server.base + f"/articles/{NAME}")
        assert response is not None and response.status == 401

"""The editor's page in a real Chromium (Debian's chromium + chromium-driver, driven by Selenium) against a real
uvicorn on 127.0.0.1, with the fake model at the seam (a delay, so figures show before the prose).

Skipped, with the reason, where Chromium or ChromeDriver is not installed (``make test`` installs them as root).
``WIREBRIEF_SCREENSHOT=docs/page-seed-004.png`` saves the page with seed 004 from the first test.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
from tests.conftest import SEEDS, seed_text
from tests.servers import running

from wirebrief.api import create_app
from wirebrief.llm.fake import FakeBackend
from wirebrief.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
RECONCILE = Path(__file__).resolve().parents[1] / "evals" / "articles" / "reconcile"
XSS = ("Zorblax council report. <script>window.__xss = 1</script>\n\n"
       'The council approved 12 <img src=x onerror="window.__xss=2"> new buses for **<b>Springfield</b>**, said '
       "[the mayor](javascript:window.__xss=3).\n\n"
       'It spent $4 million on <a href="javascript:window.__xss=4" onclick="window.__xss=5">the depot</a>.\n')
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
         "--window-size=1280,1000")


def _reply(request: dict[str, Any]) -> dict[str, str]:
    """The fake model's prose; the XSS article gets markup in its headline and summary too."""
    if "Zorblax" in json.dumps(request.get("messages")):
        return {"headline": '<img src=x onerror="window.__xss=6">Zorblax <b>buses</b>',
                "summary": "<script>window.__xss=7</script> [more](javascript:window.__xss=8)"}
    return {"headline": "A headline", "summary": "A short summary."}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("page")
    settings = Settings(cache_dir=tmp / "cache", backoff=False, model_dir=tmp / "m",
                        _env_file=None)  # type: ignore[call-arg]
    with running(create_app(settings, FakeBackend([_reply], delay=1.0))) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        pytest.skip("Debian's chromium and chromium-driver are not installed (make test installs them as root)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (the dev extra)")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager never downloads a browser or a driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    driver.set_script_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(check: Callable[[], Any], timeout: float = 15.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.03)
    raise AssertionError(f"timed out waiting for {what or check}")


def js(driver: Any, script: str, *args: Any) -> Any:
    return driver.execute_script(script, *args)


def open_page(driver: Any, url: str) -> None:
    driver.get(url + "/")
    wait_for(lambda: js(driver, "return document.readyState") == "complete", what="the page")


def paste(driver: Any, text: str, name: str) -> None:
    """Put an article in the textarea (as a paste does) and press Brief it."""
    from selenium.webdriver.common.by import By

    js(driver, "document.getElementById('article').value = arguments[0];"
               "document.getElementById('article-name').value = arguments[1];", text, name)
    driver.find_element(By.ID, "brief-btn").click()


def view_of(driver: Any, name: str) -> Any:
    return wait_for(lambda: js(driver, "return [...document.querySelectorAll('.view')].find("
                                       "v => v.querySelector('.view-title').textContent === arguments[0])", name),
                    what=f"the view of {name}")


def done(driver: Any, view: Any) -> str:
    return str(wait_for(lambda: js(driver, "const w = arguments[0].querySelector('.waiting').textContent;"
                                           "return w.startsWith('Figures after') && w", view), what="the brief"))


def csp_violations(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]
            or "Refused to" in e["message"]]


def test_seed_figures_highlighted_hover_and_row_click(browser: Any, server: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    paste(browser, seed_text("004"), "seed-004")
    view = view_of(browser, "seed-004")
    done(browser, view)
    figures = httpx.post(f"{server}/v1/briefs", json={"text": seed_text("004")}, timeout=30).json()["brief"]["figures"]
    marks = view.find_elements(By.CSS_SELECTOR, ".text mark")
    rows = view.find_elements(By.CSS_SELECTOR, ".figures tbody tr")
    assert len(marks) == len(rows) == len(figures) > 5
    assert [m.text for m in marks] == [f["raw"] for f in figures]
    assert js(browser, "return arguments[0].querySelector('.text').textContent", view) == \
        js(browser, "return arguments[0]", _normalized(seed_text("004")))
    ActionChains(browser).move_to_element(marks[3]).perform()
    assert "hover" in rows[3].get_attribute("class")
    last = len(rows) - 1
    rows[last].find_element(By.TAG_NAME, "button").click()
    sentence = wait_for(lambda: js(browser, "return arguments[0].querySelector('.sent.flash')", view),
                        what="a flashing sentence")
    assert figures[last]["raw"] in sentence.text
    assert js(browser, "const s = arguments[0].getBoundingClientRect(), b = arguments[1].getBoundingClientRect();"
                       "return s.top >= b.top - 1 && s.bottom <= b.bottom + 1 && s.top >= 0 && "
                       "s.top < window.innerHeight", sentence, view.find_element(By.CLASS_NAME, "text"))
    if shot := os.environ.get("WIREBRIEF_SCREENSHOT"):
        browser.set_window_size(1440, 1500)
        js(browser, "arguments[0].scrollIntoView(); arguments[1].scrollIntoView({block: 'nearest'});", view, marks[5])
        browser.save_screenshot(shot)
        browser.set_window_size(1280, 1000)
    assert not csp_violations(browser)


def test_stream_shows_figures_before_the_headline(browser: Any, server: str) -> None:
    open_page(browser, server)
    paste(browser, seed_text("002"), "seed-002")
    view = view_of(browser, "seed-002")
    state = wait_for(lambda: js(browser, "const v = arguments[0];"
                                         "return v.querySelectorAll('.text mark').length > 0 && "
                                         "{marks: v.querySelectorAll('.text mark').length,"
                                         " headline: v.querySelector('.headline').textContent}", view),
                     what="the first figures")
    assert state["marks"] > 0 and state["headline"] == "", state
    wait_for(lambda: js(browser, "return arguments[0].querySelector('.headline').textContent", view),
             what="the headline")
    assert "Figures after" in done(browser, view)


def test_an_xss_article_runs_nothing(browser: Any, server: str) -> None:
    open_page(browser, server)
    paste(browser, XSS, "xss <img src=x onerror=window.__xss=9>")
    view = view_of(browser, "xss <img src=x onerror=window.__xss=9>")
    done(browser, view)
    assert js(browser, "return window.__xss") is None
    assert js(browser, "return document.querySelectorAll('#articles img, #articles script, #articles b,"
                       " #articles a[href^=javascript], [onerror], [onclick]').length") == 0
    headline = js(browser, "return arguments[0].querySelector('.headline').textContent", view)
    assert "<img" in headline or "Zorblax" in headline
    assert not csp_violations(browser)


def test_a_correction_exported_passes_check_gold(browser: Any, server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from wirebrief.cli.eval import eval_check_gold

    open_page(browser, server)
    seed = next(SEEDS.glob("004*"))
    paste(browser, seed_text("004"), "seed-004")
    view = view_of(browser, "seed-004")
    done(browser, view)
    rows = view.find_elements(By.CSS_SELECTOR, ".figures tbody tr")
    rows[0].find_element(By.TAG_NAME, "button").click()
    form = view.find_element(By.CLASS_NAME, "edit")
    what = form.find_element(By.NAME, "what")
    what.clear()
    what.send_keys("Defeat ISIS missions carried out")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    view.find_elements(By.CSS_SELECTOR, ".figures tbody tr")[1].find_element(By.TAG_NAME, "button").click()
    form.find_element(By.NAME, "ignore").click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    js(browser, "const box = arguments[0].querySelector('.text');"  # select the first '2024' (a year: no figure)
                "const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT); let node;"
                "while ((node = walk.nextNode()) && node.data.indexOf('2024') < 0) {}"
                "const r = document.createRange(), at = node.data.indexOf('2024');"
                "r.setStart(node, at); r.setEnd(node, at + 4);"
                "const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);", view)
    view.find_element(By.CLASS_NAME, "add-btn").click()
    wait_for(lambda: len(view.find_elements(By.CSS_SELECTOR, ".figures tbody tr.added")) == 1, what="the added row")
    form.find_element(By.NAME, "what").send_keys("year of the report")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    view.find_element(By.CSS_SELECTOR, ".gold summary").click()
    path = view.find_element(By.CLASS_NAME, "gold-path")
    path.clear()
    path.send_keys(f"seeds/{seed.name}")
    view.find_element(By.CLASS_NAME, "gold-btn").click()
    record = json.loads(view.find_element(By.CLASS_NAME, "gold-json").get_attribute("value"))
    assert record["figures"][0]["what"] == "Defeat ISIS missions carried out"
    assert record["figures"][1]["status"] == "ignore" and record["figures"][-1]["raw"] == "2024"
    assert record["figures"][-1]["value"] == 2024 and record["figures"][-1]["what"] == "year of the report"
    gold = tmp_path / "seed-004.json"
    gold.write_text(json.dumps(record), encoding="utf-8")
    try:
        eval_check_gold([gold], write=False)  # the code of `wirebrief eval check-gold`
    except typer.Exit as exc:
        raise AssertionError(f"check-gold refused the export: {record}") from exc


def test_two_articles_give_the_reconciliation_table(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    files = [RECONCILE / "toll-day1.txt", RECONCILE / "toll-day3.txt"]
    browser.find_element(By.ID, "files").send_keys("\n".join(str(f) for f in files))
    table = wait_for(lambda: js(browser, "const r = document.getElementById('reconcile');"
                                         "return !r.hidden && r.querySelectorAll('tbody tr').length > 0 && r"),
                     timeout=20, what="the reconciliation table")
    statuses = {row.get_attribute("data-status") for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert statuses <= {"agreed", "differs", "revised", "single"} and statuses & {"differs", "revised", "agreed"}
    link = table.find_elements(By.CSS_SELECTOR, "tbody a")[-1]
    assert link.get_attribute("href").split("#")[1].startswith("v")
    link.click()
    sentence = wait_for(lambda: js(browser, "const v = [...document.querySelectorAll('.view')].find(v => !v.hidden);"
                                            "return v && v.querySelector('.sent.flash')"), what="the linked sentence")
    assert sentence.get_attribute("id") == link.get_attribute("href").split("#")[1]


def _normalized(text: str) -> str:
    from wirebrief.text.normalize import normalize

    return normalize(text).text

"""The web interface in a real browser: Debian's Chromium driven by Selenium through Debian's chromium-driver.

Nothing is downloaded: the driver and the browser are the system's (Selenium
Manager is kept offline and never consulted). The browser resolves no host
name and sends everything but 127.0.0.1 to a dead proxy; its performance log
lists every request, and the tests assert that all of them went to the
server on 127.0.0.1. Screenshots are kept in test-artifacts/web/ (ignored by git; CI keeps them).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from .servers import free_port, wait_until_up

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "web"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
)


@pytest.fixture(scope="module")
def server():
    """The web app on a free 127.0.0.1 port, in a thread of this process; yields its base URL."""
    import uvicorn

    from peacegraph.web.app import create_app

    port = free_port()
    config = uvicorn.Config(create_app(timeout=10.0), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/health")
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser(tmp_path):
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a driver or a browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-domain-reliability",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=127.0.0.1",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.downloads = downloads
    driver.requested = []
    yield driver
    driver.quit()


def requests_of(driver) -> list[str]:
    """URLs the page asked for since the last call (from Chromium's performance log)."""
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            driver.requested.append(message["params"]["request"]["url"])
    return driver.requested


#: Schemes that never reach the network: the page's own data, and the browser's built-in pages (its new-tab page).
LOCAL_SCHEMES = ("data:", "blob:", "about:", "chrome:", "chrome-untrusted:")


def assert_local(driver, base: str) -> None:
    urls = requests_of(driver)
    ours = [u for u in urls if u.startswith(base + "/")]
    assert ours, "the performance log recorded no request to the server"
    strays = [u for u in urls if not u.startswith((base + "/", *LOCAL_SCHEMES))]
    assert strays == [], f"requests that left 127.0.0.1: {strays}"


def shot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def wait(driver, script: str, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for: {script}")


def test_search_entity_quote_document(server, browser):
    """Search "Karabakh" with the keyboard, open the entity, click a quote, land on it highlighted in the document."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/")
    box = browser.find_element(By.ID, "home-search")
    box.send_keys("Karabakh")
    wait(browser, "return document.querySelectorAll('#home-search-list [role=option]').length > 0")
    assert box.get_attribute("aria-expanded") == "true"
    first = browser.find_element(By.CSS_SELECTOR, "#home-search-list [role=option]")
    assert first.get_attribute("data-entity") == "nagorno-karabakh"
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.send_keys(Keys.ENTER)
    wait(browser, "return location.pathname === '/entity/nagorno-karabakh'")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Nagorno-Karabakh"
    shot(browser, "entity-nagorno-karabakh")

    quote = browser.find_element(By.CSS_SELECTOR, "#statements a.quote")
    statement = quote.get_attribute("data-statement")
    expected = quote.text.strip("“”")
    quote.click()
    wait(browser, "return location.pathname.startsWith('/document/')")
    assert browser.execute_script("return location.hash") == f"#q-{statement}"
    runs = wait(
        browser,
        "var r = document.querySelectorAll('section.text a.quote.current'); return r.length ? Array.from(r, x => x.textContent) : null",
    )
    assert " ".join("".join(runs).split()) == " ".join(expected.split()) or "".join(runs).replace(" ", "") == expected.replace(" ", "")
    background = browser.execute_script("return getComputedStyle(document.querySelector('a.quote.current')).backgroundColor")
    plain = browser.execute_script("return getComputedStyle(document.querySelector('a.quote:not(.current)')).backgroundColor")
    assert background != plain
    assert browser.execute_script(f"return document.getElementById('f-{statement}').classList.contains('current')")
    shot(browser, "document-quote-highlighted")
    assert_local(browser, server)


def test_question_form_table_and_csv_download(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from peacegraph.query.canned import run
    from peacegraph.query.results import render

    browser.get(server + "/questions/leaders")
    field = browser.find_element(By.ID, "p-org")
    field.send_keys("Armen")
    wait(browser, "return document.querySelectorAll('#p-org-list [role=option]').length > 0")
    field.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    assert field.get_attribute("value") == "ent:armenia"
    browser.find_element(By.CSS_SELECTOR, "form.question button[type=submit]").click()
    wait(browser, "return document.querySelector('table.answer') !== null")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.answer tbody tr")
    expected = run("leaders", {"org": "ent:armenia"})
    assert len(rows) == len(expected.rows) > 0
    shot(browser, "question-leaders")

    browser.find_element(By.CSS_SELECTOR, "a[data-format=csv]").click()
    target = browser.downloads / "leaders.csv"
    deadline = time.monotonic() + 15
    while not target.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    # Chromium saves the text with its own line ends; the rows are what count.
    assert list(csv.reader(io.StringIO(target.read_text(encoding="utf-8")))) == list(csv.reader(io.StringIO(render(expected, "csv"))))
    assert_local(browser, server)


def test_sparql_query_page_runs_a_query(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/query")
    wait(browser, "return window.peacegraphQuery && document.querySelector('.CodeMirror') !== null")
    query = "PREFIX pg: <https://w3id.org/peacegraph/ontology#>\nSELECT ?state WHERE { ?state a pg:State } ORDER BY ?state"
    browser.execute_script("window.peacegraphQuery.yasgui.getTab().setQuery(arguments[0])", query)
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    count = wait(browser, "var rows = document.querySelectorAll('.yasr table tbody tr'); return rows.length > 1 ? rows.length : 0", 20)
    from peacegraph.query.engines import EmbeddedEngine

    assert count == len(EmbeddedEngine().run(query).rows)
    shot(browser, "sparql-query")
    assert_local(browser, server)


def test_pages_fit_a_400_pixel_screen(server, browser):
    browser.set_window_size(400, 860)
    for path in ("/", "/entity/nagorno-karabakh", "/document/d001", "/questions/leaders?org=Armenia"):
        browser.get(server + path)
        width = browser.execute_script("return document.documentElement.clientWidth")
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"{path} is {scroll}px wide in a {width}px window"
    browser.get(server + "/entity/nagorno-karabakh")
    shot(browser, "entity-400px")
    assert_local(browser, server)


def test_keyboard_reaches_the_search_results_and_escape_closes_them(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/entity/armenia")
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("pashinian")  # misspelt
    wait(browser, "return document.querySelectorAll('#site-search-list [role=option]').length > 0")
    options = browser.find_elements(By.CSS_SELECTOR, "#site-search-list [role=option]")
    assert options[0].get_attribute("data-entity") == "nikol-pashinyan"
    box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_UP)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    assert browser.find_element(By.ID, "site-search-list").get_attribute("hidden") is not None


def test_static_site_opened_from_disk_searches_and_links(browser, tmp_path):
    """The static site works from file:// (no server): search as you type, then the entity page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from peacegraph.web.site import write_site

    site = tmp_path / "site"
    write_site(site, graphs=False)
    browser.get((site / "index.html").as_uri())
    box = browser.find_element(By.ID, "home-search")
    box.send_keys("Artsa")
    wait(browser, "return document.querySelectorAll('#home-search-list [role=option]').length > 0")
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    wait(browser, "return location.pathname.endsWith('/entity/nagorno-karabakh.html')")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Nagorno-Karabakh"
    browser.find_element(By.CSS_SELECTOR, "#statements a.quote").click()
    wait(browser, "return document.querySelectorAll('section.text a.quote.current').length > 0")
    urls = requests_of(browser)
    assert [u for u in urls if not u.startswith(("file://", *LOCAL_SCHEMES))] == []

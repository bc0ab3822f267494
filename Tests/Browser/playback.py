"""Signs in to Cascade in Debian's chromium (driven by Playwright), finds a meeting from the home
page, plays it in Cascade's player and signs out. Reports, as JSON on standard output, what the
<video> element did (whether currentTime passed a part boundary and a gap without stalling, where a
click on an agenda chapter landed) and what became of the session cookie.

Usage: playback.py BASE_URL USER PASSWORD MEETING_ID BOUNDARY_SECONDS GAP_START GAP_END SCREENSHOT_DIR SEARCH_WORDS
"""
import json
import sys

from playwright.sync_api import sync_playwright

from browser_support import status_with_cookie, wait_until

base, user, password, meeting = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
boundary, gap_start, gap_end = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
screenshots, search = sys.argv[8], sys.argv[9]
report = {}


def play_through(page, at, past, timeout=60):
    """Seeks to `at`, plays, and waits until the playhead is past `past`; records the furthest point."""
    page.evaluate(f"(() => {{ const v = document.getElementById('player'); v.currentTime = {at}; v.play(); }})()")
    passed = wait_until(page, f"document.getElementById('player').currentTime > {past}", timeout)
    return passed, page.evaluate("document.getElementById('player').currentTime")


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    # Sign in on the home page: the session is a cookie scripts cannot read.
    page.goto(f"{base}/")
    page.fill("#name", user)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#search-form", timeout=30000)
    session = [c for c in context.cookies() if c["name"] == "cascade_session"]
    report["cookie"] = {"httpOnly": session[0]["httpOnly"], "sameSite": session[0]["sameSite"], "expires": session[0]["expires"]} if session else None
    report["scriptSeesCookie"] = "cascade_session" in page.evaluate("document.cookie")
    # Search without diacritics, then follow the result's play link.
    page.fill("#search-words", search)
    page.click("#search-form button[type=submit]")
    page.wait_for_selector(f"#search-results li[data-meeting={meeting}] a", timeout=30000)
    page.screenshot(path=f"{screenshots}/home-search.png", full_page=True)
    # The result opens the meeting page; its "player alone" link opens /watch.
    page.click(f"#search-results li[data-meeting={meeting}] a")
    page.wait_for_selector(f"a[href='/watch?meeting={meeting}']", timeout=30000)
    page.click(f"a[href='/watch?meeting={meeting}']")
    page.wait_for_selector("body[data-ready=true]", timeout=30000)
    report["url"] = page.url
    page.evaluate("document.getElementById('player').muted = true")
    report["title"] = page.text_content("#title")
    report["boundary"] = play_through(page, boundary - 1.5, boundary + 1.0)
    page.screenshot(path=f"{screenshots}/watch-playing.png", full_page=True)
    report["gap"] = play_through(page, gap_start - 1.0, gap_end + 0.5)
    # A click on the second chapter: where does the playhead land, and does it play on from there?
    page.click("#chapters li:nth-child(2) button")
    page.wait_for_timeout(300)
    wait_until(page, "!document.getElementById('player').seeking", 20)
    landed = page.evaluate("document.getElementById('player').currentTime")
    moving = wait_until(page, f"document.getElementById('player').currentTime > {landed + 0.5}", 30)
    report["chapter"] = {"landed": landed, "plays": moving}
    report["chapters"] = page.eval_on_selector_all("#chapters button", "buttons => buttons.map(b => b.textContent)")
    report["errors"] = errors + ([] if page.evaluate("document.getElementById('player').error === null") else ["media error"])
    page.screenshot(path=f"{screenshots}/watch-chapter.png", full_page=True)
    # Sign out on the home page: the cookie's session must be dead on the server, not only forgotten.
    value = session[0]["value"] if session else ""
    report["beforeSignOut"] = status_with_cookie(base, value)
    page.goto(f"{base}/")
    page.wait_for_selector("#sign-out:not([hidden])", timeout=30000)
    page.click("#sign-out")
    page.wait_for_selector("#login-form", timeout=30000)
    report["afterSignOut"] = status_with_cookie(base, value)
    report["cookieLeft"] = any(c["name"] == "cascade_session" for c in context.cookies())
    browser.close()

print(json.dumps(report))

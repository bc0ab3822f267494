"""Cascade's web application in Debian's chromium (driven by Playwright), as its three kinds of
users and an administrator use it, against a real server with real media. Reports what happened as
JSON on standard output; the Swift test that runs it checks the report and the server's state.

Usage: webapp.py BASE_URL PASSWORD SCREENSHOT_DIR SETTINGS_JSON
SETTINGS_JSON: {"takenDate": "2031-03-03", "recordedMeeting": "m1", "boundarySeconds": 6.0,
                "relayHalls": ["hall-…", …]}
Users (all with PASSWORD): vp (secretariat), kt (technician), cb (staff), qt (administrator).
"""
import json
import subprocess
import sys

from playwright.sync_api import sync_playwright

from browser_support import status_with_cookie, wait_until

base, password, shots = sys.argv[1], sys.argv[2], sys.argv[3]
settings = json.loads(sys.argv[4])
report = {"errors": [], "screens": [], "unlabelled": {}, "focusMovedToTitle": {}, "lowContrast": {}}
counter = [0]


def shot(page, name):
    """A full-page screenshot of the screen as it is now, numbered in visiting order."""
    counter[0] += 1
    page.screenshot(path=f"{shots}/{counter[0]:02d}-{name}.png", full_page=True)
    report["screens"].append(name)
    check_labels(page, name)
    check_contrast(page, name)


def check_labels(page, name):
    """Every visible form control has an accessible name (a label, aria-label or aria-labelledby)."""
    missing = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(c => c.type !== 'hidden' && c.offsetParent !== null)
        .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby'))
        .map(c => c.name || c.id || c.outerHTML.slice(0, 60))""")
    if missing:
        report["unlabelled"][name] = missing


CONTRAST = """() => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => { const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const value = rgb(getComputedStyle(e).backgroundColor);
      if (value.length === 3 || (value.length === 4 && value[3] > 0.9)) return value.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const element of document.querySelectorAll('body *')) {
    if (!element.offsetParent || element.closest('video, [disabled], .skip')) continue;
    if (![...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || Number(style.opacity) < 1) continue;
    const [l1, l2] = [luminance(rgb(style.color).slice(0, 3)), luminance(background(element))];
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${element.tagName.toLowerCase()}.${element.className} "${element.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return failures.slice(0, 10);
}"""


def check_contrast(page, name):
    """Every visible piece of text meets WCAG AA contrast against the background it sits on."""
    failures = page.evaluate(CONTRAST)
    if failures:
        report["lowContrast"][name] = failures


pages = []


def describe_failure():
    """On a failure: where each page was and what it showed, and a screenshot of each, on standard error."""
    for index, page in enumerate(pages):
        try:
            page.screenshot(path=f"{shots}/failure-{index}.png", full_page=True)
            view = page.evaluate("(document.getElementById('view') || document.body).innerText.slice(0, 600)")
            print(f"page {index} at {page.url}: {view!r}", file=sys.stderr)
        except Exception as error:  # a closed page has nothing to show
            print(f"page {index}: {error}", file=sys.stderr)
    print(f"browser errors: {report['errors']}", file=sys.stderr)


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", timezone_id="Europe/Paris")
    page = context.new_page()
    pages.append(page)
    page.set_default_timeout(60000)
    page.on("pageerror", lambda error: report["errors"].append(f"{page.url}: {error}"))
    page.on("console", lambda message: report["errors"].append(f"{page.url}: {message.text}") if message.type == "error" and "401" not in message.text and "409" not in message.text and "404" not in message.text else None)
    return context, page


def sign_in(page, user):
    page.goto(f"{base}/")
    page.fill("#name", user)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_selector("#screen-title")
    report["focusMovedToTitle"][user] = page.evaluate("document.activeElement && document.activeElement.id")


def sign_out(page, context):
    value = next((c["value"] for c in context.cookies() if c["name"] == "cascade_session"), "")
    before = status_with_cookie(base, value)
    page.click("#sign-out")
    page.wait_for_selector("#login-form")
    return {"before": before, "after": status_with_cookie(base, value), "cookieLeft": any(c["name"] == "cascade_session" for c in context.cookies())}


def confirm(page):
    page.wait_for_selector("dialog[open] #confirm-yes")
    page.click("dialog[open] #confirm-yes")


def run(browser):

    # ---- Sign-in page: labels, keyboard order, the accessibility tree. ----
    context, page = new_page(browser)
    page.goto(f"{base}/")
    page.wait_for_selector("#login-form")
    shot(page, "sign-in")
    page.focus(".skip")
    order = ["skip"]
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(page.evaluate("(() => { const e = document.activeElement; return e.id || e.className || e.tagName; })()"))
    report["signInFocusOrder"] = order
    report["signInTree"] = page.locator("body").aria_snapshot()
    page.fill("#name", "vp")
    page.fill("#password", "not the password")
    page.click("#login-submit")
    page.wait_for_selector("#login-error:not(:empty)")
    report["refusedSignIn"] = page.text_content("#login-error")

    # ---- Secretariat: calendar, a refused slot, a suggested one, the meeting, roll call, minutes. ----
    sign_in(page, "vp")
    report["secretariatHome"] = page.url.split("#")[1]
    page.goto(f"{base}/#/calendar?date={settings['takenDate']}")
    page.wait_for_selector("#calendar-grid[aria-busy=false] .meeting-card")
    shot(page, "calendar-week")
    page.get_by_role("button", name="Tháng", exact=True).click()
    page.wait_for_selector(".month-table")
    shot(page, "calendar-month")
    report["calendarTree"] = page.locator("main").aria_snapshot()
    page.click("#book-link")
    page.wait_for_selector("#booking-form")
    page.fill("[name=title]", "Họp Ban Thường vụ về chuyển đổi số")
    page.select_option("[name=organiserUnitId]", "dak-nong")
    y, m, d = settings['takenDate'].split("-")
    page.fill("[name=start]", f"{d}/{m}/{y} 08:00")
    page.fill("[name=end]", f"{d}/{m}/{y} 09:30")
    page.check("input[name=halls][value=hall-cu-jut]")
    page.wait_for_selector("#conflicts li[data-kind=hall-busy]")
    report["conflictShown"] = page.text_content("#conflicts")
    shot(page, "booking-conflict")
    suggestion = page.text_content("button.suggestion")
    page.click("button.suggestion")
    page.wait_for_selector("#booking-check [data-free=true]")
    report["suggestion"] = {"chosen": suggestion, "start": page.input_value("[name=start]"), "end": page.input_value("[name=end]")}
    shot(page, "booking-free")
    page.click("#booking-submit")
    page.wait_for_url("**/#/meetings/*")
    booked = page.url.split("#/meetings/")[1]
    report["booked"] = booked
    page.wait_for_selector("#attendance")
    shot(page, "meeting-booked")
    # The roll call of a meeting whose rehearsal has begun (nobody can be present before).
    page.goto(f"{base}/#/meetings/{settings['rollCallMeeting']}")
    # Only the address's hash changes: wait for this meeting's page, not the one still on screen.
    page.wait_for_selector("#screen-title:has-text('Giao ban trực tuyến Tỉnh ủy')")
    page.wait_for_selector("#attendance")
    page.click("#roll-call-link")
    page.wait_for_selector("#add-delegate")
    page.fill("#add-delegate [name=name]", "Nguyễn Văn A")
    page.fill("#add-delegate [name=position]", "Phó Chủ tịch UBND huyện")
    page.click("#add-delegate button[type=submit]")
    page.wait_for_selector(".delegate button[data-choice=present-in-hall]")
    # An absence with its reason, asked in a dialog; then the delegate arrives after all.
    page.click(".delegate button[data-choice=absent-with-reason]")
    page.wait_for_selector("dialog[open] input[name=answer]")
    report["reasonDialogLabelled"] = page.evaluate("document.querySelector('dialog[open] input[name=answer]').labels.length") == 1
    page.fill("dialog[open] input[name=answer]", "Đi công tác tại Hà Nội")
    page.click("dialog[open] #ask-ok")
    page.wait_for_selector(".delegate button[data-choice=absent-with-reason][aria-pressed=true]")
    report["reasonShown"] = page.text_content(".delegate")
    page.click(".delegate button[data-choice=present-in-hall]")
    page.wait_for_selector(".delegate button[data-choice=present-in-hall][aria-pressed=true]")
    report["tally"] = page.text_content("#tally")
    page.set_viewport_size({"width": 820, "height": 1180})
    shot(page, "roll-call-tablet")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/#/meetings/{booked}/minutes")
    page.wait_for_selector("#minutes-form")
    page.click("#add-item")
    page.fill(".agenda-item [name=item-title]", "Báo cáo tiến độ chuyển đổi số")
    page.fill(".agenda-item [name=item-presenter]", "Sở Thông tin và Truyền thông")
    page.click("#save-minutes")
    page.wait_for_selector("#minutes-state:has-text('1')")
    report["minutesState"] = page.text_content("#minutes-state")
    shot(page, "minutes-editor")
    page.click("#language")
    page.wait_for_selector("#nav >> text=Calendar")
    page.wait_for_selector("#screen-title:has-text('Minutes')")
    report["englishNav"] = page.text_content("#nav")
    report["englishTitle"] = page.text_content("#screen-title")
    shot(page, "minutes-editor-english")
    page.click("#language")
    page.wait_for_selector("#nav >> text=Lịch họp")
    report["secretariatSignOut"] = sign_out(page, context)
    context.close()

    # ---- Technician: console, a relay by hand to three halls, real receivers call in. ----
    context, page = new_page(browser)
    sign_in(page, "kt")
    report["technicianHome"] = page.url.split("#")[1]
    page.wait_for_selector("#run-sheet-table")
    shot(page, "console")
    for hall in settings["relayHalls"]:
        page.check(f"input[name=relay-halls][value={hall}]")
    page.click("#start-relay button[type=submit]")
    confirm(page)
    page.wait_for_url("**/#/console/relays/*")
    relay = page.url.split("#/console/relays/")[1]
    report["relay"] = relay
    page.wait_for_selector("#relay-halls code.address")
    addresses = page.eval_on_selector_all("#relay-halls code.address", "codes => codes.map(c => c.dataset.url)")
    receivers = [subprocess.Popen(["gst-launch-1.0", "-q", "srtsrc", f"uri={address}", "!", "fakesink", "sync=false"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for address in addresses]
    try:
        report["hallsConnected"] = wait_until(page, f"document.querySelectorAll('#relay-halls tr[data-state=connected]').length === {len(settings['relayHalls'])}", 120)
        report["connectedRows"] = page.eval_on_selector_all("#relay-halls tr[data-state=connected]", "rows => rows.map(r => r.dataset.hall)")
        shot(page, "relay-three-halls-connected")
        page.goto(f"{base}/#/console")
        report["treeLit"] = wait_until(page, f"document.querySelectorAll('#cascade-tree .tree-hall[data-state=connected]').length === {len(settings['relayHalls'])}", 30)
        wait_until(page, "document.querySelectorAll('#event-log li').length > 0", 10)
        shot(page, "console-relay-running")
        page.goto(f"{base}/#/console/meetings/{settings['recordedMeeting']}")
        page.wait_for_selector("#readiness table")
        shot(page, "readiness-board")
        page.goto(f"{base}/#/console/relays/{relay}")
        page.wait_for_selector("#stop-relay")
        page.click("#stop-relay")
        confirm(page)
        report["relayStopped"] = wait_until(page, "document.querySelectorAll('#relay-halls tr').length > 0 && !document.getElementById('stop-relay')", 60)
    finally:
        for receiver in receivers:
            receiver.kill()
    report["technicianSignOut"] = sign_out(page, context)
    context.close()

    # ---- Staff: search without diacritics, open the meeting, play across a part boundary. ----
    context, page = new_page(browser)
    sign_in(page, "cb")
    report["staffHome"] = page.url.split("#")[1]
    page.fill("#search-words", "dak nong")
    page.click("#search-form button[type=submit]")
    page.wait_for_selector(f"#search-results li[data-meeting={settings['recordedMeeting']}]")
    report["searchSummary"] = page.text_content("#search-summary")
    shot(page, "archive-search")
    page.click(f"#search-results li[data-meeting={settings['recordedMeeting']}] a")
    page.wait_for_selector("video#player[data-ready=true]")
    page.evaluate("document.getElementById('player').muted = true")
    boundary = settings["boundarySeconds"]
    page.evaluate(f"(() => {{ const v = document.getElementById('player'); v.currentTime = {boundary - 1.5}; v.play(); }})()")
    report["playedPastBoundary"] = wait_until(page, f"document.getElementById('player').currentTime > {boundary + 1.0}", 60)
    report["playhead"] = page.evaluate("document.getElementById('player').currentTime")
    report["chapters"] = page.eval_on_selector_all("#chapters button", "buttons => buttons.map(b => b.textContent)")
    report["downloads"] = page.eval_on_selector_all("#recording a[download]", "links => links.map(l => l.getAttribute('href'))")
    shot(page, "meeting-recorded-playing")
    report["staffSignOut"] = sign_out(page, context)
    context.close()

    # ---- Administrator: users, audit log, server health, units and halls with a reload. ----
    context, page = new_page(browser)
    sign_in(page, "qt")
    page.goto(f"{base}/#/admin/users")
    page.wait_for_selector("#users")
    shot(page, "admin-users")
    page.goto(f"{base}/#/admin/audit?action=meeting")
    page.wait_for_selector("#audit tbody tr")
    report["auditActions"] = sorted(set(page.eval_on_selector_all("#audit tbody tr td:nth-child(3)", "cells => cells.map(c => c.textContent)")))
    shot(page, "admin-audit")
    page.goto(f"{base}/#/admin/health")
    page.wait_for_selector("#health")
    shot(page, "admin-health")
    page.goto(f"{base}/#/admin/topology")
    page.wait_for_selector("#units")
    page.click("#reload-topology")
    confirm(page)
    page.wait_for_selector("#notice:not(:empty)")
    report["reloadNotice"] = page.text_content("#notice")
    shot(page, "admin-topology")
    page.goto(f"{base}/#/account")
    page.wait_for_selector("#change-password")
    shot(page, "account")
    context.close()


with sync_playwright() as playwright:
    chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                          args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
    try:
        run(chromium)
    except Exception:
        describe_failure()
        raise
    finally:
        chromium.close()

print(json.dumps(report, ensure_ascii=False))

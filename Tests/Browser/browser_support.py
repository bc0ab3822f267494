"""What the browser tests share: waiting for the page to reach a state, and asking the server from
outside the browser what a session cookie is still worth."""
import time
import urllib.error
import urllib.request


def wait_until(page, expression, timeout):
    """Polls a JavaScript expression until it is true; returns whether it became true in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(expression):
            return True
        page.wait_for_timeout(100)
    return False


def status_with_cookie(base, value):
    """What the server at `base` answers GET /api/v1/me with this session cookie."""
    request = urllib.request.Request(f"{base}/api/v1/me", headers={"Cookie": f"cascade_session={value}"})
    try:
        return urllib.request.urlopen(request).status
    except urllib.error.HTTPError as error:
        return error.code

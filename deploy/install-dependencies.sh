#!/usr/bin/env bash
# Installs the Debian 12 packages Cascade needs to build, run and test; with --test-tools also
# Playwright for Python (from PyPI, into .test-tools/venv) for the browser tests.
# Swift 6.3 itself must already be on PATH (it is not packaged for Debian 12).
set -euo pipefail

packages=(
  pkg-config libsqlite3-dev sqlite3 libcrypt-dev
  libgstreamer1.0-0 libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libsrt-gnutls-dev gstreamer1.0-tools
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x
  ffmpeg fonts-dejavu-core chromium python3 python3-venv python3-icalendar python3-gi gir1.2-gst-rtsp-server-1.0 iproute2 srt-tools curl procps gstreamer1.0-plugins-base-apps nginx-light
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo_command=()
  [ "$(id -u)" -eq 0 ] || sudo_command=(sudo)
  echo "Installing: ${missing[*]}"
  "${sudo_command[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_command[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "cascade: Swift 6.3 is not on PATH; install the Swift toolchain first" >&2
  exit 1
fi

[ "${1:-}" = "--test-tools" ] || exit 0

# The browser tests drive Debian's chromium with Playwright for Python, kept in a virtual
# environment inside the checkout (never in the system's Python).
test_tools="$(cd "$(dirname "$0")/.." && pwd)/.test-tools"
if ! "$test_tools/venv/bin/python" -c "import playwright" >/dev/null 2>&1; then
  echo "Installing Playwright for Python into $test_tools/venv"
  rm -rf "$test_tools/venv"
  /usr/bin/python3 -m venv "$test_tools/venv"
  "$test_tools/venv/bin/pip" install --quiet --disable-pip-version-check "playwright==1.65.2"
fi

#!/usr/bin/env bash
# Responsiveness benchmark: /healthz latency while 20 people download a recording part at once, and
# while 20 people sign in at once (bcrypt, cost 12), beside the idle server. The downloads are also
# compared with Python's http.server serving the same file to the same 20 clients.
# Usage: bench/responsiveness.sh [seconds per phase, default 15]
# Needs a built binary (swift build -c release --product cascade). Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
cascade=.build/release/cascade
[ -x "$cascade" ] || cascade=.build/debug/cascade
work=$(mktemp -d /tmp/cascade-bench-XXXX)
trap 'pkill -P $$ 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

data="$work/data"
"$cascade" user add bench --role technician --data-dir "$data" >/dev/null
token=$("$cascade" token issue bench --data-dir "$data")
password=$("$cascade" user add signer --role viewer --data-dir "$data" | sed 's/.*: //')
"$cascade" serve --data-dir "$data" --http 127.0.0.1:0 > "$work/serve.log" 2>&1 &
for _ in $(seq 50); do grep -q "listening on" "$work/serve.log" && break; sleep 0.2; done
server=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)

# A real recording of the demo feed, whose part file is then replaced by a 20 Mbit/s encode of the
# same picture (about 60 MB) so that twenty downloads overlap for the whole phase.
feed_port=$(( 20000 + RANDOM % 20000 ))
"$cascade" demo-feed --output "srt://:$feed_port?mode=listener" > /dev/null 2>&1 &
sleep 1
CASCADE_TOKEN=$token "$cascade" recordings start --source "srt://127.0.0.1:$feed_port?mode=caller" --server "$server" > /dev/null
sleep 6
CASCADE_TOKEN=$token "$cascade" recordings stop r1 --server "$server" > /dev/null
part="$data/recordings/r1/part-00000.mp4"
gst-launch-1.0 -q videotestsrc num-buffers=625 pattern=smpte ! video/x-raw,width=1280,height=720,framerate=25/1 \
  ! x264enc speed-preset=ultrafast bitrate=20000 key-int-max=25 ! h264parse ! mp4mux ! filesink location="$work/big.mp4"
cp "$work/big.mp4" "$part"
size=$(stat -c %s "$part")

python3 - "$server" "$token" "$password" "$seconds" "$size" "$work/big.mp4" <<'PY'
import http.client, json, os, subprocess, sys, threading, time, urllib.parse
server, token, password, seconds, size, big = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
host, port = urllib.parse.urlparse(server).hostname, urllib.parse.urlparse(server).port

def healthz_latencies(duration):
    """/healthz five times a second on one kept-alive connection; latencies in ms."""
    connection = http.client.HTTPConnection(host, port, timeout=10)
    samples, end = [], time.monotonic() + duration
    while time.monotonic() < end:
        start = time.monotonic()
        connection.request("GET", "/healthz")
        connection.getresponse().read()
        samples.append((time.monotonic() - start) * 1000)
        time.sleep(0.2)
    return sorted(samples)

def percentile(samples, p):
    return samples[min(len(samples) - 1, int(len(samples) * p / 100))]

def load(target, duration, workers=20):
    """Runs `target` in a loop on `workers` threads for `duration` seconds; returns the bytes moved."""
    stop, moved = time.monotonic() + duration, [0] * workers
    def loop(index):
        while time.monotonic() < stop:
            moved[index] += target()
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(workers)]
    for thread in threads: thread.start()
    latencies = healthz_latencies(duration - 1)
    for thread in threads: thread.join()
    return latencies, sum(moved)

def download(h=host, p=port, path="/api/v1/recordings/r1/parts/0", headers=None, rate=None):
    """One download with curl (as a browser would fetch it); bytes received."""
    command = ["curl", "-s", "-o", "/dev/null", "-w", "%{size_download}", f"http://{h}:{p}{path}"]
    for name, value in (headers if headers is not None else {"Authorization": "Bearer " + token}).items():
        command += ["-H", f"{name}: {value}"]
    if rate:
        command += ["--limit-rate", rate]
    return int(subprocess.run(command, capture_output=True, text=True).stdout or 0)

def sign_in():
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.request("POST", "/auth/token", body=json.dumps({"name": "signer", "password": password}), headers={"Content-Type": "application/json"})
    connection.getresponse().read()
    connection.close()
    return 0

idle = healthz_latencies(seconds)
paced, paced_moved = load(lambda: download(rate="5M"), seconds)
downloading, moved = load(download, seconds)
signing, _ = load(sign_in, seconds)
peer = subprocess.Popen([sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", os.path.dirname(big)],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
peer_port = int(peer.stdout.readline().split("port ")[1].split(" ")[0])
_, peer_moved = load(lambda: download(p=peer_port, path="/" + os.path.basename(big), headers={}), seconds)
peer.terminate()

print(f"| server state (20 clients, {seconds:.0f} s each) | /healthz p50 (ms) | /healthz p99 (ms) | downloads, MB/s |")
print("| --- | --- | --- | --- |")
print(f"| idle | {percentile(idle, 50):.2f} | {percentile(idle, 99):.2f} | |")
print(f"| 20 downloads of a {size / 1e6:.0f} MB part at 5 MB/s each (an office LAN) | {percentile(paced, 50):.2f} | {percentile(paced, 99):.2f} | {paced_moved / 1e6 / seconds:.0f} |")
print(f"| 20 downloads as fast as loopback goes (both cores saturated) | {percentile(downloading, 50):.2f} | {percentile(downloading, 99):.2f} | {moved / 1e6 / seconds:.0f} |")
print(f"| 20 concurrent sign-ins (bcrypt cost 12) | {percentile(signing, 50):.2f} | {percentile(signing, 99):.2f} | |")
print(f"| peer: python3 -m http.server, same file, same 20 unpaced clients | | | {peer_moved / 1e6 / seconds:.0f} (Cascade / peer: {moved / max(peer_moved, 1):.2f}) |")
PY

#!/usr/bin/env bash
# Schedule precision: N meetings booked to start at the same moment, each with its own hall and its own
# pass-through feed (the level above's stream: a pre-encoded 640×360 H.264 + AAC transport stream
# played out in real time over SRT, so no encoder competes with Cascade for the CPU), every hall a
# receiver listening for the relay's call. Nobody touches anything after booking. Measured per meeting,
# from the event stream and the recordings folder as they happen (timestamped by the observer):
#   rehearsal due → run in rehearsal → the hall's first connection; start → live → first recording part.
# Beside it, the peer: the same pass-through pipeline in raw gst-launch-1.0 started by a script at the
# due time (what a technician's cron job would do) and the time until its hall connects.
# Usage: bench/schedule-lag.sh [N meetings, default 10]
# Needs a built binary (swift build -c release --product cascade). Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}
cascade=.build/release/cascade
[ -x "$cascade" ] || cascade=.build/debug/cascade
work=$(mktemp -d /tmp/cascade-lag-bench-XXXX)
cleanup() { pkill -KILL -f "$work" 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
exec 3>&2 2>/dev/null  # background playouts and receivers are killed at the end: no job notices

# The feed, encoded once; N real-time playouts, one SRT listener each.
gst-launch-1.0 -q videotestsrc num-buffers=$(( 240 * 25 )) pattern=ball ! video/x-raw,width=640,height=360,framerate=25/1 \
  ! x264enc speed-preset=superfast bitrate=800 key-int-max=25 ! h264parse config-interval=-1 ! queue ! mux. \
  audiotestsrc num-buffers=$(( 240 * 48000 / 1024 )) samplesperbuffer=1024 ! audio/x-raw,rate=48000,channels=2 ! audioconvert \
  ! avenc_aac bitrate=96000 ! aacparse ! queue ! mux. mpegtsmux name=mux alignment=7 ! filesink location="$work/feed.ts"
base=$(( 20000 + RANDOM % 10000 ))
for i in $(seq "$n"); do
  gst-launch-1.0 -q filesrc location="$work/feed.ts" ! tsparse set-timestamps=true alignment=7 \
    ! srtsink uri="srt://:$(( base + i ))?mode=listener&latency=120" wait-for-connection=false sync=true > /dev/null 2>&1 &
done

# N districts, each with a hall whose receiver listens for the relay's call, and a feed per meeting.
{
  echo "server: {zone: Asia/Ho_Chi_Minh}"
  echo "relay: {ports: 9000-9099, width: 640, height: 360, videoKbps: 800}"
  echo "scheduler: {graceMinutes: 0}"
  echo "feeds:"
  for i in $(seq "$n"); do echo "  - {id: f$i, name: \"Feed $i\", uri: \"srt://127.0.0.1:$(( base + i ))?mode=caller&latency=120\", passThrough: true}"; done
  echo "levels: [central, province, district]"
  echo "units:"
  echo "  - {id: tw, name: TW, level: central}"
  echo "  - {id: tinh, name: Tinh, level: province, parent: tw}"
  for i in $(seq "$n"); do echo "  - {id: d$i, name: \"Huyen $i\", level: district, parent: tinh}"; done
  echo "halls:"
  for i in $(seq "$n"); do
    echo "  - {id: h$i, name: \"Hoi truong $i\", unit: d$i, capacityKbps: 4000, latencyMs: 120, srtPassphrase: bench-hall-key-$i, endpoint: {mode: srt-listener, host: 127.0.0.1, port: $(( base + 100 + i ))}}"
  done
} > "$work/cascade.yaml"
for i in $(seq "$n"); do
  gst-launch-1.0 -q srtsrc uri="srt://127.0.0.1:$(( base + 100 + i ))?mode=listener&latency=120&passphrase=bench-hall-key-$i&pbkeylen=32" \
    ! filesink location="$work/hall-$i.ts" > /dev/null 2>&1 &
done

data="$work/data"
"$cascade" user add bench --role admin --config "$work/cascade.yaml" --data-dir "$data" > /dev/null
token=$("$cascade" token issue bench --config "$work/cascade.yaml" --data-dir "$data")
"$cascade" serve --config "$work/cascade.yaml" --data-dir "$data" --http 127.0.0.1:0 > "$work/serve.log" 2>&1 &
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.2; done
server=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)

python3 - "$server" "$token" "$n" "$data" "$work" "$base" <<'PY'
import json, os, statistics, subprocess, sys, threading, time, urllib.request
from datetime import datetime, timezone, timedelta
server, token, n, data, work, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
def call(method, path, body=None):
    request = urllib.request.Request(server + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")

seen = {}            # (kind, key) -> first time observed
lock = threading.Lock()
def note(kind, key):
    with lock: seen.setdefault((kind, key), time.time())
def follow_events():
    request = urllib.request.Request(server + "/api/v1/events", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request) as stream:
        kind = None
        for raw in stream:
            line = raw.decode().strip()
            if line.startswith("event: "): kind = line[7:]
            elif line.startswith("data: "):
                event = json.loads(line[6:])
                if kind == "meeting-state": note(event["state"], event["meetingId"])
                elif kind == "hall-connected": note("hall", event["relayId"])
threading.Thread(target=follow_events, daemon=True).start()
def watch_recordings():
    while True:
        folder = os.path.join(data, "recordings")
        if os.path.isdir(folder):
            for recording in os.listdir(folder):
                if os.path.exists(os.path.join(folder, recording, "part-00000.mp4")): note("part", recording)
        time.sleep(0.02)
threading.Thread(target=watch_recordings, daemon=True).start()

# Book N meetings starting together in 70 s, rehearsal 1 minute before: due in 10 s.
start = (datetime.now(timezone.utc) + timedelta(seconds=70)).replace(microsecond=0)
end = start + timedelta(seconds=40)
ids = []
for i in range(1, n + 1):
    booked = call("POST", "/api/v1/meetings", {"title": f"Hop {i}", "organiserUnitId": f"d{i}", "start": start.isoformat(), "end": end.isoformat(),
                                               "halls": [f"h{i}"], "rehearsalMinutes": 1, "origin": f"f{i}"})
    ids.append(booked["id"])
rehearsal_due, start_due = start.timestamp() - 60, start.timestamp()

# The peer: at the rehearsal's due time a script starts the same pass-through relay per hall in raw gst-launch.
peer_ports = [base + 200 + i for i in range(1, n + 1)]
peer_files = [os.path.join(work, f"peer-{i}.ts") for i in range(1, n + 1)]
peer_receivers = [subprocess.Popen(["gst-launch-1.0", "-q", "srtsrc", f"uri=srt://127.0.0.1:{port}?mode=listener&latency=120", "!", "filesink", f"location={path}"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for port, path in zip(peer_ports, peer_files)]
hall_files = [os.path.join(work, f"hall-{i}.ts") for i in range(1, n + 1)]
def watch_files():
    while True:
        for path in hall_files + peer_files:
            if os.path.exists(path) and os.path.getsize(path) > 0: note("bytes", path)
        time.sleep(0.02)
threading.Thread(target=watch_files, daemon=True).start()
time.sleep(max(0, rehearsal_due - time.time()))
peers = [subprocess.Popen(["gst-launch-1.0", "-q", "srtsrc", f"uri=srt://127.0.0.1:{base + i}?mode=caller&latency=120", "!", "tsparse", "alignment=7",
                           "!", "srtsink", f"uri=srt://127.0.0.1:{port}?mode=caller&latency=120", "sync=false"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i, port in enumerate(peer_ports, start=1)]

time.sleep(max(0, end.timestamp() + 8 - time.time()))
runs = {meeting: call("GET", f"/api/v1/meetings/{meeting}/run") for meeting in ids}
relay_for = {r.get("meetingId"): int(r["id"][2:]) for r in call("GET", "/api/v1/relays") if r.get("meetingId")}
for p in peers + peer_receivers: p.kill()

def lags(kind, keys, due):
    return [(seen[(kind, key)] - due) * 1000 for key in keys if key is not None and (kind, key) in seen]
recordings = [runs[m]["recordingIds"][0][1:] if runs[m].get("recordingIds") else None for m in ids]
rows = [
    ("run in rehearsal (event received)", lags("rehearsal", ids, rehearsal_due), None),
    ("hall connected (relay event received)", lags("hall", [relay_for.get(m) for m in ids], rehearsal_due), None),
    ("first bytes at the hall's receiver", lags("bytes", hall_files, rehearsal_due), lags("bytes", peer_files, rehearsal_due)),
    ("live (event received)", lags("live", ids, start_due), None),
    ("first recording part on disk", lags("part", ["r" + r for r in recordings if r], start_due), None),
    ("held at the end (event received)", lags("held", ids, end.timestamp()), None),
]
def fmt(values):
    if values is None: return ""
    if not values: return "– (none)"
    values = sorted(values)
    return f"{statistics.median(values):.0f} / {values[-1]:.0f} ({len(values)}/{n})"
print(f"{n} meetings at once, pass-through relays, one hall each; lag after the due time in ms, median / max (how many)\n")
print("| step | Cascade's scheduler | peer: raw gst-launch-1.0 started by a script at the due time |")
print("| --- | --- | --- |")
for name, values, peer in rows:
    print(f"| {name} | {fmt(values)} | {fmt(peer)} |")
print(f"\nRun states at the end: {sorted(set(run['state'] for run in runs.values()))}")
PY

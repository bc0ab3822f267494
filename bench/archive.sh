#!/usr/bin/env bash
# Archive benchmark: search over N meetings with minutes (p50/p99, beside a LIKE scan in sqlite3), then a
# meeting of H hours (18 real 10-minute 640×360 parts for 3 h) served by a real `cascade serve`:
#   seek: time to the first byte of the player's map and of the segment 2 h in (curl), beside ffmpeg
#         seeking 2 h into one file of the same parts and decoding the first picture there;
#   download: the whole meeting as one MP4 (curl), as a multiple of real time, beside
#         `ffmpeg -f concat -c copy` of the same parts; both files checked with ffprobe.
# Usage: bench/archive.sh [MEETINGS, default 20000] [HOURS, default 3]. Prints markdown rows.
set -euo pipefail
cd "$(dirname "$0")/.."
meetings=${1:-20000}
hours=${2:-3}
if [ -x .build/release/cascade-archive-benchmark ] && [ -x .build/release/cascade ]; then bin=.build/release; else bin=.build/debug; fi
[ -x "$bin/cascade-archive-benchmark" ] || swift build --product cascade-archive-benchmark >/dev/null
work=$(mktemp -d /tmp/cascade-archive-bench-XXXX)
cleanup() { kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
data="$work/data"

echo "binaries: $bin"
"$bin/cascade-archive-benchmark" "$data" "$meetings" "$hours" | tee "$work/setup.txt"
read -r _ meeting recording folder < <(grep '^MEDIA ' "$work/setup.txt")

"$bin/cascade" user add bench --role admin --data-dir "$data" >/dev/null
token=$("$bin/cascade" token issue bench --data-dir "$data")
"$bin/cascade" serve --data-dir "$data" --http 127.0.0.1:0 > "$work/serve.log" 2>&1 &
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.2; done
server=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
auth=(-H "Authorization: Bearer $token")

# Seek: the map (first time: every part indexed; then from memory), then the segment holding 2 h.
first_map=$(curl -s -o "$work/map.json" -w '%{time_starttransfer}' "${auth[@]}" "$server/api/v1/meetings/$meeting/media")
warm=()
for _ in $(seq 20); do warm+=("$(curl -s -o /dev/null -w '%{time_starttransfer}' "${auth[@]}" "$server/api/v1/meetings/$meeting/media")"); done
read -r url first last < <(python3 - "$work/map.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for part in m["parts"]:
    for s in part["segments"]:
        if s["startSeconds"] <= 7200 < s["startSeconds"] + s["durationSeconds"]:
            print(part["url"], s["firstByte"], s["lastByte"]); sys.exit()
PY
)
seeks=()
for _ in $(seq 20); do seeks+=("$(curl -s -o /dev/null -w '%{time_starttransfer}' "${auth[@]}" -H "Range: bytes=$first-$last" "$server$url")"); done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] * 1000}'; }

# The peer for seeking: ffmpeg on one file of the same parts, 2 h in, to the first decoded picture.
ls "$folder"/part-*.mp4 | sed "s/.*/file '&'/" > "$work/parts.txt"
ffmpeg -v error -f concat -safe 0 -i "$work/parts.txt" -c copy -y "$work/joined-by-ffmpeg.mp4"
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.3f", b - a}'; }
start=$(date +%s.%N)
ffmpeg -v error -ss 7200 -i "$work/joined-by-ffmpeg.mp4" -frames:v 1 -f null -
peer_seek=$(elapsed "$start")

# Download: Cascade's one file against ffmpeg's concat of the same parts.
start=$(date +%s.%N)
curl -s -o "$work/cascade.mp4" "${auth[@]}" "$server/api/v1/meetings/$meeting/media.mp4"
cascade_seconds=$(elapsed "$start")
start=$(date +%s.%N)
ffmpeg -v error -f concat -safe 0 -i "$work/parts.txt" -c copy -y "$work/ffmpeg.mp4"
ffmpeg_seconds=$(elapsed "$start")
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/cascade.mp4")
peer_duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/ffmpeg.mp4")
size=$(stat -c %s "$work/cascade.mp4")

echo
echo "| measure | Cascade | peer | ratio |"
echo "| --- | --- | --- | --- |"
echo "| player's map of a ${hours} h meeting, first request (ms) | $(awk -v t="$first_map" 'BEGIN {printf "%.1f", t * 1000}') | – | – |"
echo "| player's map, later requests, median of 20 (ms) | $(median "${warm[@]}") | – | – |"
echo "| seek to 2 h: first byte of the segment, median of 20 (ms) | $(median "${seeks[@]}") | ffmpeg -ss 7200 to the first picture: $(awk -v t="$peer_seek" 'BEGIN {printf "%.0f", t * 1000}') | $(awk -v a="$(median "${seeks[@]}")" -v b="$peer_seek" 'BEGIN {printf "%.3f", a / (b * 1000)}') |"
echo "| whole ${hours} h meeting as one MP4 (s; ×real time) | $(printf '%.2f' "$cascade_seconds") (×$(awk -v d="$duration" -v t="$cascade_seconds" 'BEGIN {printf "%.0f", d / t}')) | ffmpeg -f concat -c copy: $(printf '%.2f' "$ffmpeg_seconds") (×$(awk -v d="$peer_duration" -v t="$ffmpeg_seconds" 'BEGIN {printf "%.0f", d / t}')) | $(awk -v a="$cascade_seconds" -v b="$ffmpeg_seconds" 'BEGIN {printf "%.2f", a / b}') |"
echo "| ffprobe duration of the file (s) | $duration ($size bytes) | $peer_duration | – |"

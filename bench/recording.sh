#!/usr/bin/env bash
# Recording benchmark: N concurrent recordings of a ~3.5 Mbit/s 720p stream, Cascade's recording workers
# beside the same pipeline in raw gst-launch-1.0, plus the media lost on SIGKILL for each muxer.
# Usage: bench/recording.sh [seconds per run, default 60] [N values, default "1 10 20"]
# Needs a built binary (swift build -c release --product cascade). Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
counts=${2:-"1 10 20"}
cascade=.build/release/cascade
[ -x "$cascade" ] || cascade=.build/debug/cascade
work=$(mktemp -d /tmp/cascade-bench-XXXX)
trap 'pkill -P $$ 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# A 720p 3.5 Mbit/s H.264 + AAC transport stream, encoded once, then played out in real time over SRT.
gst-launch-1.0 -q videotestsrc num-buffers=$(( (seconds + 30) * 25 )) pattern=smpte horizontal-speed=2 ! video/x-raw,width=1280,height=720,framerate=25/1 \
  ! x264enc speed-preset=superfast bitrate=3300 key-int-max=25 ! h264parse config-interval=-1 ! queue ! mux. \
  audiotestsrc num-buffers=$(( (seconds + 30) * 48000 / 1024 )) samplesperbuffer=1024 ! audio/x-raw,rate=48000,channels=2 ! audioconvert ! avenc_aac bitrate=128000 ! aacparse ! queue ! mux. \
  mpegtsmux name=mux alignment=7 ! filesink location="$work/source.ts"
port=$(( 20000 + RANDOM % 20000 ))
source_url="srt://127.0.0.1:$port?mode=caller&latency=200"
source_pid=""
# (Re)starts the real-time playout, so that every run gets the stream from its start.
play_source() {
  [ -z "$source_pid" ] || { kill "$source_pid" 2>/dev/null || true; wait "$source_pid" 2>/dev/null || true; }
  gst-launch-1.0 -q filesrc location="$work/source.ts" ! tsparse set-timestamps=true alignment=7 \
    ! srtsink uri="srt://:$port?mode=listener&latency=200" wait-for-connection=false sync=true >/dev/null 2>&1 &
  source_pid=$!
  sleep 1
}

# CPU seconds (utime+stime) and peak RSS (KiB) summed over processes whose command line matches $1.
measure() {
  local pattern=$1 cpu=0 rss=0 ticks
  ticks=$(getconf CLK_TCK)
  for pid in $(pgrep -f -- "$pattern"); do
    [ -r /proc/$pid/stat ] || continue
    read -r utime stime < <(awk '{print $14, $15}' /proc/$pid/stat)
    cpu=$(( cpu + utime + stime ))
    rss=$(( rss + $(awk '/VmHWM/ {print $2}' /proc/$pid/status) ))
  done
  echo "$(awk -v c=$cpu -v t=$ticks 'BEGIN {printf "%.2f", c / t}') $(( rss / 1024 ))"
}

raw_pipeline() {
  echo "srtsrc uri=$source_url auto-reconnect=false ! tsdemux name=demux demux. ! video/x-h264 ! queue ! h264parse ! parts.video \
    demux. ! audio/mpeg ! queue ! aacparse ! parts.audio_0 splitmuxsink name=parts async-finalize=true muxer-factory=mp4mux \
    muxer-properties=properties,fragment-duration=500 max-size-time=600000000000 location=$1/part-%05d.mp4"
}

data="$work/data"
"$cascade" user add bench --role technician --data-dir "$data" >/dev/null
token=$("$cascade" token issue bench --data-dir "$data")
"$cascade" serve --data-dir "$data" --http 127.0.0.1:0 > "$work/serve.log" 2>&1 &
for _ in $(seq 50); do grep -q "listening on" "$work/serve.log" && break; sleep 0.2; done
server=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)

echo "| N | Cascade workers CPU-s | raw gst-launch CPU-s | ratio | Cascade peak RSS (MiB) | raw peak RSS (MiB) | media kept, Cascade / raw (s) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for n in $counts; do
  play_source
  ids=()
  for _ in $(seq "$n"); do
    ids+=("$(CASCADE_TOKEN=$token "$cascade" recordings start --server "$server" --source "$source_url" | awk '{print $2}')")
  done
  sleep "$seconds"
  read -r cascade_cpu cascade_rss < <(measure "cascade worker --socket")
  cascade_media=0
  for id in "${ids[@]}"; do
    out=$(CASCADE_TOKEN=$token "$cascade" recordings stop "$id" --server "$server")
    cascade_media=$(awk -v a="$cascade_media" -v b="$(echo "$out" | awk '{print $5}')" 'BEGIN {printf "%.1f", a + b}')
  done
  play_source
  mkdir -p "$work/raw-$n"
  for i in $(seq "$n"); do
    mkdir -p "$work/raw-$n/$i"
    # shellcheck disable=SC2046
    gst-launch-1.0 -q -e $(raw_pipeline "$work/raw-$n/$i") >/dev/null 2>&1 &
  done
  sleep "$seconds"
  read -r raw_cpu raw_rss < <(measure "gst-launch-1.0 -q -e srtsrc")
  pkill -INT -f "gst-launch-1.0 -q -e srtsrc" || true
  sleep 3
  raw_media=0
  for f in "$work/raw-$n"/*/part-*.mp4; do
    d=$(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$f" || echo 0)
    raw_media=$(awk -v a="$raw_media" -v b="${d:-0}" 'BEGIN {printf "%.1f", a + b / 25}')
  done
  ratio=$(awk -v a="$cascade_cpu" -v b="$raw_cpu" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')
  echo "| $n | $cascade_cpu | $raw_cpu | $ratio | $cascade_rss | $raw_rss | $cascade_media / $raw_media of $(( n * seconds )) |"
done

echo
echo "| muxer (killed with SIGKILL after 10 s) | media decodable (s) |"
echo "| --- | --- |"
for muxer in "mp4mux" "mp4mux fragment-duration=500" "matroskamux" "mpegtsmux"; do
  extension=mp4; case $muxer in matroskamux) extension=mkv;; mpegtsmux) extension=ts;; esac
  file="$work/kill.$extension"; rm -f "$file"
  play_source
  # shellcheck disable=SC2086
  gst-launch-1.0 -q srtsrc uri="$source_url" ! tsdemux name=demux demux. ! video/x-h264 ! queue ! h264parse ! m. \
    demux. ! audio/mpeg ! queue ! aacparse ! m. $muxer name=m ! filesink location="$file" >/dev/null 2>&1 &
  pid=$!
  sleep 10
  kill -9 $pid; wait $pid 2>/dev/null || true
  frames=$(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$file" 2>/dev/null || true)
  echo "| $muxer | $(awk -v f="${frames:-0}" 'BEGIN {printf "%.1f", f / 25}') |"
done

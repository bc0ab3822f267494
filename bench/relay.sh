#!/usr/bin/env bash
# Relay benchmark: fan-out of a ~3.5 Mbit/s 720p stream to N halls over SRT and over UDP.
# Cascade's relay worker (the root hop: decode once, normalise to H.264 + AAC, fan out) runs beside, in
# the same script, the same pipeline in raw gst-launch-1.0 and the usual peers, which only copy the
# stream (one srt-live-transmit per hall for SRT; ffmpeg's tee muxer for UDP). Every receiver is a
# gst-launch process writing to a file, and the bytes each got are checked.
# With "pass-through" as the third argument the hop measured is one below the root: it forwards the
# stream without decoding (keeping an encoded slate ready), beside raw gst-launch's srtsrc ! tsparse fan-out.
# Usage: bench/relay.sh [seconds per run, default 60] [N values, default "10 50"] [root|pass-through]
# Needs a release binary (swift build -c release --product cascade). Prints markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
counts=${2:-"10 50"}
hop=${3:-root}
cascade=.build/release/cascade
[ -x "$cascade" ] || cascade=.build/debug/cascade
work=$(mktemp -d /tmp/cascade-relay-bench-XXXX)
cleanup() { pkill -KILL -f "$work" 2>/dev/null || true; pkill -KILL -f "srt-live-transmit" 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ticks=$(getconf CLK_TCK)
base=$(( 20000 + RANDOM % 10000 ))
passphrase="relay-benchmark-passphrase"

# The central feed: 720p, 3.3 Mbit/s H.264 + AAC, encoded once to a file, played out in real time over SRT.
frames=$(( (seconds + 40) * 25 ))
gst-launch-1.0 -q videotestsrc num-buffers=$frames pattern=smpte horizontal-speed=2 ! video/x-raw,width=1280,height=720,framerate=25/1 \
  ! x264enc speed-preset=superfast bitrate=3300 key-int-max=25 ! h264parse config-interval=-1 ! queue ! mux. \
  audiotestsrc num-buffers=$(( (seconds + 40) * 48000 / 1024 )) samplesperbuffer=1024 ! audio/x-raw,rate=48000,channels=2 ! audioconvert \
  ! avenc_aac bitrate=128000 ! aacparse ! queue ! mux. mpegtsmux name=mux alignment=7 ! filesink location="$work/source.ts"
feed_port=$base
feed_url="srt://127.0.0.1:$feed_port?mode=caller&latency=200"
feed_pid=""
play_feed() {
  [ -z "$feed_pid" ] || { kill "$feed_pid" 2>/dev/null || true; wait "$feed_pid" 2>/dev/null || true; }
  gst-launch-1.0 -q filesrc location="$work/source.ts" ! tsparse set-timestamps=true alignment=7 \
    ! srtsink uri="srt://:$feed_port?mode=listener&latency=200" wait-for-connection=false sync=true >/dev/null 2>&1 &
  feed_pid=$!
  sleep 1
}

# CPU ticks (user + system) of a process.
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU seconds used by the given pids between two samples taken $seconds apart.
cpu_seconds() {
  local before=0 after=0
  for pid in "$@"; do before=$(( before + $(ticks_of "$pid") )); done
  sleep "$seconds"
  for pid in "$@"; do after=$(( after + $(ticks_of "$pid") )); done
  awk -v c=$(( after - before )) -v t="$ticks" 'BEGIN {printf "%.2f", c / t}'
}

# Receivers: n gst-launch processes writing what they get to $work/rx-<i>.ts.
receivers=()
start_srt_receivers() {  # $1 n, $2 url prefix (…&streamid= is appended unless $3 = "ports")
  receivers=()
  for i in $(seq "$1"); do
    local url
    if [ "${3:-}" = ports ]; then url="srt://127.0.0.1:$(( base + 1000 + i ))?mode=caller&latency=200"; else url="$2&streamid=hall-$i"; fi
    rm -f "$work/rx-$i.ts"
    gst-launch-1.0 -q srtsrc uri="$url" ! filesink location="$work/rx-$i.ts" sync=false >/dev/null 2>&1 &
    receivers+=($!)
  done
}
start_udp_receivers() {
  receivers=()
  for i in $(seq "$1"); do
    rm -f "$work/rx-$i.ts"
    gst-launch-1.0 -q udpsrc port=$(( base + 2000 + i )) buffer-size=4194304 ! filesink location="$work/rx-$i.ts" sync=false >/dev/null 2>&1 &
    receivers+=($!)
  done
}
stop_receivers() {
  kill -KILL "${receivers[@]}" 2>/dev/null || true
  wait "${receivers[@]}" 2>/dev/null || true
}
# "min–max MB" received across the receivers.
received() {
  local sizes
  sizes=$(for i in $(seq "$1"); do stat -c %s "$work/rx-$i.ts" 2>/dev/null || echo 0; done | sort -n)
  echo "$(echo "$sizes" | head -1 | awk '{printf "%.1f", $1 / 1e6}')–$(echo "$sizes" | tail -1 | awk '{printf "%.1f", $1 / 1e6}') MB"
}

# Cascade: a server whose configuration has the halls, a relay started through the API.
run_cascade() {  # $1 n, $2 srt|udp
  local n=$1 transport=$2 data="$work/data-$1-$2" config="$work/cascade-$1-$2.yaml"
  {
    echo "relay: {ports: $(( base + 10 ))-$(( base + 20 )), width: 1280, height: 720, framerate: 25, videoKbps: 3300}"
    echo "media: {srtPassphrase: $passphrase}"
    echo "levels: [central, district]"
    echo "units:"
    echo "  - {id: tw, name: Trung ương, level: central}"
    for i in $(seq "$n"); do echo "  - {id: u$i, name: Đơn vị $i, level: district, parent: tw}"; done
    echo "halls:"
    for i in $(seq "$n"); do
      if [ "$transport" = srt ]; then endpoint="{mode: srt-caller, streamId: hall-$i}"; else endpoint="{mode: udp-multicast, group: 127.0.0.1, port: $(( base + 2000 + i ))}"; fi
      echo "  - {id: hall-$i, name: Hội trường $i, unit: u$i, capacityKbps: 10000, endpoint: $endpoint}"
    done
  } > "$config"
  "$cascade" user add bench --role technician --config "$config" --data-dir "$data" >/dev/null
  local token server relay halls
  token=$("$cascade" token issue bench --config "$config" --data-dir "$data")
  "$cascade" serve --config "$config" --data-dir "$data" --http 127.0.0.1:0 > "$work/serve.log" 2>&1 &
  local serve_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
  server=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
  halls=$(for i in $(seq "$n"); do printf '"hall-%d",' "$i"; done)
  local started
  started=$(date +%s.%N)
  relay=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"source\":\"$feed_url\",\"halls\":[${halls%,}],\"passThrough\":$([ "$hop" = pass-through ] && echo true || echo false)}" "$server/api/v1/relays")
  local listener url first
  listener=$(echo "$relay" | python3 -c 'import json,sys; print(json.load(sys.stdin)["listenerPort"])')
  url="srt://127.0.0.1:$listener?mode=caller&latency=200&passphrase=$passphrase&pbkeylen=32"
  if [ "$transport" = srt ]; then
    # Time from the API call to the first decoded picture at a hall that calls in at once.
    first=$( (until gst-launch-1.0 -q srtsrc uri="$url&streamid=hall-1" ! tsdemux ! h264parse ! avdec_h264 ! fakesink num-buffers=1 >/dev/null 2>&1; do sleep 0.05; done; date +%s.%N) )
    first_frame=$(awk -v a="$started" -v b="$first" 'BEGIN {printf "%.2f s", b - a}')
    start_srt_receivers "$n" "$url"
  else
    start_udp_receivers "$n"
  fi
  sleep 4
  local worker
  worker=$(curl -sf -H "Authorization: Bearer $token" "$server/api/v1/relays/rl1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
  cascade_cpu=$(cpu_seconds "$worker")
  cascade_bytes=$(received "$n")
  stop_receivers
  curl -sf -X DELETE -H "Authorization: Bearer $token" "$server/api/v1/relays/rl1" >/dev/null
  kill -TERM "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
}

# The same root hop in one gst-launch-1.0: decode, encode once, fan out.
run_raw() {  # $1 n, $2 srt|udp
  local n=$1 transport=$2 sink
  if [ "$transport" = srt ]; then
    sink="srtsink uri=srt://:$(( base + 30 ))?mode=listener&latency=200&passphrase=$passphrase&pbkeylen=32 wait-for-connection=false sync=false"
  else
    sink="multiudpsink clients=$(for i in $(seq "$n"); do printf '127.0.0.1:%d,' $(( base + 2000 + i )); done | sed 's/,$//') sync=false"
  fi
  if [ "$hop" = pass-through ]; then
    # shellcheck disable=SC2086
    gst-launch-1.0 -q srtsrc uri="$feed_url" ! queue ! tsparse alignment=7 ! queue leaky=downstream ! $sink >/dev/null 2>&1 &
  else
  # shellcheck disable=SC2086
  gst-launch-1.0 -q srtsrc uri="$feed_url" ! queue ! decodebin name=d d. ! video/x-raw ! queue ! videoconvert ! videoscale ! videorate \
    ! video/x-raw,format=I420,width=1280,height=720,framerate=25/1 ! x264enc tune=zerolatency speed-preset=superfast bitrate=3300 key-int-max=25 \
    ! h264parse config-interval=-1 ! queue ! mux. d. ! audio/x-raw ! queue ! audioconvert ! audioresample ! avenc_aac bitrate=128000 ! aacparse ! queue ! mux. \
    mpegtsmux name=mux alignment=7 ! queue leaky=downstream ! $sink >/dev/null 2>&1 &
  fi
  local raw=$!
  sleep 1
  if [ "$transport" = srt ]; then
    start_srt_receivers "$n" "srt://127.0.0.1:$(( base + 30 ))?mode=caller&latency=200&passphrase=$passphrase&pbkeylen=32"
  else
    start_udp_receivers "$n"
  fi
  sleep 4
  raw_cpu=$(cpu_seconds "$raw")
  raw_bytes=$(received "$n")
  stop_receivers
  kill -KILL "$raw"; wait "$raw" 2>/dev/null || true
}

# The peers copy the feed without decoding: one srt-live-transmit per hall, or ffmpeg's tee muxer.
run_peer() {  # $1 n, $2 srt|udp
  local n=$1 transport=$2 pids=()
  if [ "$transport" = srt ]; then
    # One caller takes the feed and spreads it over local UDP; one srt-live-transmit listener per hall.
    local fan
    fan=$(for i in $(seq "$n"); do printf '127.0.0.1:%d,' $(( base + 3000 + i )); done | sed 's/,$//')
    gst-launch-1.0 -q srtsrc uri="$feed_url" ! multiudpsink clients="$fan" sync=false >/dev/null 2>&1 &
    pids+=($!)
    for i in $(seq "$n"); do
      srt-live-transmit -q "udp://:$(( base + 3000 + i ))" "srt://:$(( base + 1000 + i ))?mode=listener&latency=200" >/dev/null 2>&1 &
      pids+=($!)
    done
    sleep 1
    start_srt_receivers "$n" "" ports
  else
    local outputs
    outputs=$(for i in $(seq "$n"); do printf '[f=mpegts]udp://127.0.0.1:%d?pkt_size=1316|' $(( base + 2000 + i )); done | sed 's/|$//')
    ffmpeg -nostdin -loglevel error -i "$feed_url" -map 0 -c copy -f tee "$outputs" >/dev/null 2>&1 &
    pids+=($!)
    start_udp_receivers "$n"
  fi
  sleep 4
  peer_cpu=$(cpu_seconds "${pids[@]}")
  peer_bytes=$(received "$n")
  stop_receivers
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}

echo "Hop: $hop"
echo "| halls | transport | Cascade relay worker CPU-s | raw gst-launch CPU-s | ratio | peer (copy only) CPU-s | bytes per hall: Cascade / raw / peer | API call → first picture |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for n in $counts; do
  for transport in srt udp; do
    first_frame="–"
    play_feed; run_cascade "$n" "$transport"
    play_feed; run_raw "$n" "$transport"
    play_feed; run_peer "$n" "$transport"
    ratio=$(awk -v a="$cascade_cpu" -v b="$raw_cpu" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')
    peer_name=$([ "$transport" = srt ] && echo "$n × srt-live-transmit" || echo "ffmpeg tee")
    echo "| $n | $transport | $cascade_cpu | $raw_cpu | $ratio | $peer_cpu ($peer_name) | $cascade_bytes / $raw_bytes / $peer_bytes | $first_frame |"
  done
done

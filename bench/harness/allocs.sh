#!/usr/bin/env bash
# Bytes allocated and CPU time per request and per streamed chunk, read from the runtime's own counters
# (dotnet-counters: dotnet.gc.heap.total_allocated, dotnet.process.cpu.time) while exactly N requests run one after
# another on one connection, after a warm-up of each lane. Allocation counts are exact and do not depend on the
# machine's load; the CPU figures do (serial load: they include the thread pool's spinning between requests).
#   bench/harness/allocs.sh [switchyard.dll]      N=1000 WARM=3000 CHUNKS=20,60 by default
# Per chunk = (streams of 60 chunks − streams of 20 chunks) / (N × 40).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dll="${1:-$here/../../src/Switchyard/bin/Release/net10.0/switchyard.dll}"
n="${N:-1000}"; warm="${WARM:-3000}"; IFS=, read -r c1 c2 <<< "${CHUNKS:-20,60}"
tools="${DOTNET_TOOLS:-$HOME/.dotnet/tools}"
d=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-allocs-XXXXXX")
up=9330; port=9331
node "$here/upstream.mjs" --port $up --chunks "$c1" --interval-ms 0 > "$d/upstream.log" 2>&1 &
upid=$!
env Switchyard__Upstream__BaseUrl=http://127.0.0.1:$up Switchyard__Upstream__ApiKey=sk-bench Switchyard__DataDirectory="$d" \
  Logging__LogLevel__Default=Warning Switchyard__Limits__Models__deepseek-v4-flash__MaxConcurrency=100000 \
  dotnet "$dll" --urls http://127.0.0.1:$port > "$d/switchyard.log" 2>&1 &
spid=$!
trap 'kill $spid $upid 2>/dev/null || true' EXIT
until curl -s -f -o /dev/null --noproxy '*' http://127.0.0.1:$port/healthz; do sleep 0.2; done
serial() { node "$here/serial.mjs" "http://127.0.0.1:$port$1" "$here/bodies/$2" "$3" > /dev/null; }
chunks() { curl -s -f -o /dev/null -X POST "http://127.0.0.1:$up/_config" -H 'content-type: application/json' -d "{\"chunks\":$1,\"intervalMs\":0}"; }
# Sums a counter's per-second increments over the seconds in which the requests ran (idle seconds are the baseline).
sum() { awk -F, -v name="$2" 'index($3, name) { v[NR] = $5; s += $5; k++; if (min == "" || $5 < min) min = $5 } END { printf "%.6f %d %.6f\n", s, k, min }' "$1"; }
measure() { # name path body chunks
  [ -n "$4" ] && chunks "$4"
  serial "$2" "$3" "$warm"
  rm -f "$d/$1.csv"
  "$tools/dotnet-counters" collect -p "$spid" --refresh-interval 1 --format csv -o "$d/$1.csv" \
    --counters 'System.Runtime[dotnet.gc.heap.total_allocated,dotnet.process.cpu.time]' > /dev/null 2>&1 &
  local cpid=$!
  sleep 3
  local t0; t0=$(date +%s.%N)
  serial "$2" "$3" "$n"
  local t1; t1=$(date +%s.%N)
  # A background job of a script ignores SIGINT: stop the collector with TERM (each line of its CSV is already written).
  sleep 3; kill -TERM $cpid; wait $cpid 2>/dev/null || true
  # Idle baseline: the smallest per-second figure of the window, times the window's seconds.
  read -r a k amin < <(sum "$d/$1.csv" total_allocated)
  local cpu; cpu=$(awk -F, 'index($3, "cpu.time") { s += $5 } END { print s }' "$d/$1.csv")
  local cpumin; cpumin=$(awk -F, 'index($3, "cpu.time") && index($3, "user") { if (m == "" || $5 < m) m = $5 } END { print m + 0 }' "$d/$1.csv")
  awk -v name="$1" -v a="$a" -v k="$k" -v amin="$amin" -v cpu="$cpu" -v cpumin="$cpumin" -v n="$n" -v t0="$t0" -v t1="$t1" \
    'BEGIN { printf "%s %.0f %.1f %.0f\n", name, (a - amin * k) / n, (cpu - cpumin * k) / n * 1e6, (t1 - t0) / n * 1e6 }'
}
echo "case bytes/request cpu-us/request wall-us/request"
{
measure messages /v1/messages anthropic-small.json ""
measure chat /v1/chat/completions openai-small.json ""
measure messages-stream-$c1 /v1/messages anthropic-stream.json "$c1"
measure messages-stream-$c2 /v1/messages anthropic-stream.json "$c2"
measure chat-stream-$c1 /v1/chat/completions openai-stream.json "$c1"
measure chat-stream-$c2 /v1/chat/completions openai-stream.json "$c2"
} | tee "$d/allocs.txt"
awk -v c1="$c1" -v c2="$c2" '{ b[$1] = $2; c[$1] = $3 }
  END { w = c2 - c1
    printf "per chunk: Messages → Chat %.0f B, %.1f µs CPU; Chat → Chat %.0f B, %.1f µs CPU\n",
      (b["messages-stream-" c2] - b["messages-stream-" c1]) / w, (c["messages-stream-" c2] - c["messages-stream-" c1]) / w,
      (b["chat-stream-" c2] - b["chat-stream-" c1]) / w, (c["chat-stream-" c2] - c["chat-stream-" c1]) / w }' "$d/allocs.txt"
echo "$d"

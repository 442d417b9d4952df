#!/usr/bin/env bash
# Instructions per request and per streamed chunk, counted by valgrind's callgrind: repeatable on a busy machine,
# where wall-clock and CPU-time figures are not. Switchyard (Release) runs under callgrind, uninstrumented;
# each lane is warmed up (uninstrumented), then instrumentation is switched on for exactly N requests (or N streams of K chunks).
#   bench/harness/callgrind.sh [switchyard.dll | native binary]       N=40 WARM=150 CHUNKS=20,60 by default
# Per chunk = (Ir of N streams of 60 chunks − Ir of N streams of 20 chunks) / (N × 40): what one more chunk costs.
# JIT builds run with DOTNET_TieredCompilation=0 (fully optimised code from the first call, no PGO), so the count
# does not depend on when tier-up happens; an AOT binary needs nothing of the sort. The thread pool does not spin
# (UnfairSemaphoreSpinLimit=0): its spinning burns instructions in proportion to idle wall time, which valgrind
# stretches unevenly. Instructions of the JIT compiler itself (a method first called inside the window) are left out
# of the counts. READY_TO_RUN=0 makes the framework's precompiled code JIT-compiled too, so that cg-methods.mjs can
# name all of it (slower start under valgrind: minutes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:-$here/../../src/Switchyard/bin/Release/net10.0/switchyard.dll}"
n="${N:-40}"; warm="${WARM:-150}"; IFS=, read -r c1 c2 <<< "${CHUNKS:-20,60}"
d=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-callgrind-XXXXXX")
up=9310; port=9311
node "$here/upstream.mjs" --port $up --chunks "$c1" --interval-ms 0 > "$d/upstream.log" 2>&1 &
upid=$!
if [[ "$target" == *.dll ]]; then cmd=(dotnet "$target"); else cmd=("$target"); fi
env DOTNET_TieredCompilation=0 DOTNET_PerfMapEnabled=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_ReadyToRun="${READY_TO_RUN:-1}" Switchyard__Upstream__BaseUrl=http://127.0.0.1:$up Switchyard__Upstream__ApiKey=sk-bench \
  Switchyard__DataDirectory="$d" Logging__LogLevel__Default=Warning Switchyard__Limits__Models__deepseek-v4-flash__MaxConcurrency=100000 \
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$d/cg.%p" "${cmd[@]}" --urls http://127.0.0.1:$port > "$d/switchyard.log" 2>&1 &
spid=$!
# Waits for both to exit: valgrind takes seconds, and a run started right after would find the old server on the port.
trap 'kill $spid $upid 2>/dev/null || true; wait $spid $upid 2>/dev/null || true' EXIT
until curl -s -f -o /dev/null --noproxy '*' http://127.0.0.1:$port/healthz; do sleep 0.5; done
vpid=$spid
serial() { node "$here/serial.mjs" "http://127.0.0.1:$port$1" "$here/bodies/$2" "$3" > /dev/null; }
chunks() { curl -s -f -o /dev/null -X POST "http://127.0.0.1:$up/_config" -H 'content-type: application/json' -d "{\"chunks\":$1,\"intervalMs\":0}"; }
measure() { # name path body chunks
  [ -n "$4" ] && chunks "$4"
  serial "$2" "$3" "$warm"
  callgrind_control -z "$vpid" > /dev/null 2>&1; callgrind_control -i on "$vpid" > /dev/null 2>&1
  serial "$2" "$3" "$n"
  callgrind_control -i off "$vpid" > /dev/null 2>&1; callgrind_control -d "$1" "$vpid" > /dev/null 2>&1
  # The dump is written asynchronously: wait for its totals line, or the count reads as 0.
  local f=""
  for _ in $(seq 1 120); do
    f=$(ls -t "$d"/cg.* | head -1)
    grep -q '^totals:' "$f" 2>/dev/null && break
    sleep 1
  done
  cp "$f" "$d/$1.callgrind"
  echo "$1 $(callgrind_annotate --threshold=100 "$d/$1.callgrind" 2>/dev/null | awk '/PROGRAM TOTALS/ { t = $1; gsub(",", "", t) }
    /^ *[0-9,]+ \(/ && /libclrjit\.so\]/ { j = $1; gsub(",", "", j); s += j } END { printf "%d %d", t - s, s }')"
}
{
measure messages /v1/messages anthropic-small.json ""
measure chat /v1/chat/completions openai-small.json ""
measure messages-stream-$c1 /v1/messages anthropic-stream.json "$c1"
measure messages-stream-$c2 /v1/messages anthropic-stream.json "$c2"
measure chat-stream-$c1 /v1/chat/completions openai-stream.json "$c1"
measure chat-stream-$c2 /v1/chat/completions openai-stream.json "$c2"
} | tee "$d/ir.txt"
awk -v n="$n" -v c1="$c1" -v c2="$c2" '
  { ir[$1] = $2 }
  END {
    printf "Ir per request: Messages → Chat %.0f, Chat → Chat %.0f\n", ir["messages"] / n, ir["chat"] / n
    m1 = ir["messages-stream-" c1]; m2 = ir["messages-stream-" c2]; h1 = ir["chat-stream-" c1]; h2 = ir["chat-stream-" c2]
    printf "Ir per stream of %d chunks: Messages → Chat %.0f, Chat → Chat %.0f\n", c1, m1 / n, h1 / n
    printf "Ir per chunk: Messages → Chat %.0f, Chat → Chat %.0f\n", (m2 - m1) / (n * (c2 - c1)), (h2 - h1) / (n * (c2 - c1))
  }' "$d/ir.txt"
# Where the instructions went, by binary (JIT-compiled code has no binary: "???"), then by method (cg-methods.mjs
# names the JIT's code from the runtime's perf map).
for f in "$d"/*.callgrind; do
  echo "$(basename "$f" .callgrind), self cost by binary:"
  callgrind_annotate --threshold=100 "$f" 2>/dev/null | awk '/^ *[0-9,]+ \(/ && !/PROGRAM TOTALS/ { c = $1; gsub(",", "", c); o = $NF; gsub(/[\[\]]/, "", o); n = split(o, p, "/"); s[p[n]] += c; t += c }
    END { for (k in s) if (s[k] / t > 0.01) printf "  %5.1f %%  %s\n", 100 * s[k] / t, k }' | sort -rn
  [ ! -f "/tmp/perf-$vpid.map" ] || node "$here/cg-methods.mjs" "$f" "/tmp/perf-$vpid.map" "${TOP:-25}" > "$d/$(basename "$f" .callgrind).methods.txt"
done
mv "/tmp/perf-$vpid.map" "$d/" 2>/dev/null || true
echo "$d"

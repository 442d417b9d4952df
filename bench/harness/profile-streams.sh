#!/usr/bin/env bash
# Profiles Switchyard holding many slow streams (scenario 3's shape: one chunk per 100 ms, h2c to the fake upstream)
# to find where chunk latency comes from: the gateway, the fake upstream or the load generator.
#
#   bench/harness/profile-streams.sh [STREAMS=10000] [UPSTREAM_WORKERS=1] [path/to/switchyard.dll or binary]
#
# After a warm-up, while every stream is open: `perf record` of the gateway, the fake upstream and the load generator
# together for 8 s (CPU samples: the split between the three processes and the gateway's top functions, through
# the JIT's perf map); dotnet-counters (runtime, Kestrel, HttpClient) for 10 s; dotnet-trace's thread-time sampling
# (dotnet-sampled-thread-time) for 8 s, for where the gateway's threads wait. The load generator reports the CPU
# of each process and the chunks read per second (so CPU per chunk), and its event-loop delay; the fake upstream
# reports its own. Prints the summary and the output directory (perf-*.txt, top-*.txt, counters.csv, load.json).
# Needs dotnet-counters and dotnet-trace (`dotnet tool install -g dotnet-counters dotnet-trace`) and perf.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
streams="${1:-10000}"
workers="${2:-1}"
target="${3:-$here/../../src/Switchyard/bin/Release/net10.0/switchyard.dll}"
tools="${DOTNET_TOOLS:-$HOME/.dotnet/tools}"
d=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-streams-XXXXXX")
ulimit -n "$(ulimit -Hn)" || true
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

node --perf-basic-prof-only-functions "$here/upstream.mjs" --port 9120 --h2c-port 9121 --workers "$workers" > "$d/upstream.log" 2>&1 &
upid=$!
pids+=("$upid")
for _ in $(seq 100); do curl -s -f -o /dev/null http://127.0.0.1:9120/_stats && break; sleep 0.1; done
sleep 0.5
hold_s=30

if [[ $target == *.dll ]]; then run=(dotnet "$target"); else run=("$target"); fi
env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 Switchyard__Upstream__BaseUrl=http://127.0.0.1:9121 Switchyard__Upstream__HttpVersion=Http2 Switchyard__Upstream__ApiKey=x \
  Switchyard__DataDirectory="$d" 'Switchyard__Limits__Models__deepseek-v4-flash__MaxConcurrency=100000' \
  Logging__LogLevel__Default=Warning "${run[@]}" --urls http://127.0.0.1:9270 > "$d/switchyard.log" 2>&1 &
spid=$!
pids+=("$spid")
for _ in $(seq 600); do curl -s -f -o /dev/null http://127.0.0.1:9270/healthz && break; kill -0 "$spid" || break; sleep 0.1; done
curl -s -f -o /dev/null http://127.0.0.1:9270/healthz || { echo "Switchyard did not start:" >&2; cat "$d/switchyard.log" >&2; exit 1; }

# Warm-up: a few thousand chunks through short streams, so the JIT build is on optimised code (tier 1) when measured.
curl -s -X POST http://127.0.0.1:9120/_config -d '{"chunks":20,"intervalMs":1}' > /dev/null
node "$here/loadgen.mjs" streams --url http://127.0.0.1:9270/v1/messages --body "$here/bodies/anthropic-stream.json" \
  --concurrency 20 --duration 5 --chunks 20 > "$d/warmup.json"
curl -s -X POST http://127.0.0.1:9120/_config -d "{\"chunks\":$((hold_s * 10)),\"intervalMs\":100}" > /dev/null
sleep 1

watch=$(tr ' ' ',' < "/proc/$upid/task/$upid/children" | sed 's/,$//')
watch="$upid${watch:+,$watch}"
curl -s http://127.0.0.1:9120/_stats > /dev/null # resets the upstream's loop-delay histogram
node "$here/loadgen.mjs" hold --url http://127.0.0.1:9270/v1/messages --body "$here/bodies/anthropic-stream.json" \
  --streams "$streams" --ramp 2000 --chunks $((hold_s * 10)) --pid "$spid" --watch "$watch" --timeout 120000 --max-conns 20000 \
  > "$d/load.json" &
lpid=$!
pids+=("$lpid")
sleep $((streams / 2000 + 3)) # every stream open
perf record -F 499 -g -p "$spid,$watch,$lpid" -o "$d/perf.data" -- sleep 8 > "$d/perf.log" 2>&1 || true
"$tools/dotnet-counters" collect -p "$spid" --refresh-interval 1 --duration 00:00:00:10 --format csv -o "$d/counters.csv" \
  --counters System.Runtime,Microsoft.AspNetCore.Server.Kestrel,System.Net.Http,System.Net.Sockets > "$d/counters.log" 2>&1 || true
"$tools/dotnet-trace" collect -p "$spid" --profile dotnet-sampled-thread-time --duration 00:00:00:08 -o "$d/trace.nettrace" > "$d/trace.log" 2>&1 || true
wait "$lpid" || true
curl -s http://127.0.0.1:9120/_stats > "$d/upstream-stats.json"

perf script -i "$d/perf.data" -F pid 2>/dev/null | sort | uniq -c | sort -rn | while read -r n p; do
  role=loadgen; [[ $p == "$spid" ]] && role=gateway; [[ ",$watch," == *",$p,"* ]] && role=upstream
  echo "$n samples  $role ($p)"
done > "$d/perf-processes.txt" || true
perf report -i "$d/perf.data" --pid "$spid" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15 > "$d/perf-gateway-dso.txt" || true
perf report -i "$d/perf.data" --pid "$spid" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -60 > "$d/perf-gateway.txt" || true
perf report -i "$d/perf.data" --pid "$watch" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40 > "$d/perf-upstream.txt" || true
"$tools/dotnet-trace" report "$d/trace.nettrace" topN -n 40 > "$d/top-exclusive.txt" 2>&1 || true
"$tools/dotnet-trace" report "$d/trace.nettrace" topN -n 60 --inclusive > "$d/top-inclusive.txt" 2>&1 || true
node -e '
const fs = require("fs");
const d = process.argv[1];
const load = JSON.parse(fs.readFileSync(d + "/load.json", "utf8").trim().split("\n").pop());
const up = JSON.parse(fs.readFileSync(d + "/upstream-stats.json", "utf8"));
// (No counters from a Native AOT binary: it has no diagnostic port unless built with EventPipe support.)
const rows = fs.existsSync(d + "/counters.csv") ? fs.readFileSync(d + "/counters.csv", "utf8").trim().split("\n").slice(1).map((l) => l.split(",")) : [];
const byName = {};
for (const r of rows) { const name = r[2]; const v = Number(r[r.length - 1]); (byName[name] ??= []).push(v); }
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const counters = Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, +mean(v).toFixed(2)]));
const perChunkUs = (cores) => (cores !== null && load.chunksPerSecond ? +((cores / load.chunksPerSecond) * 1e6).toFixed(1) : null);
console.log(JSON.stringify({ streams: load.streams, ok: load.ok, errors: load.errors, errorsByKind: load.errorsByKind, chunkLatency: load.chunkLatency,
  chunksPerSecond: load.chunksPerSecond, gatewayCpuCores: load.cpuCores, upstreamCpuCores: load.watchedCpuCores, loadgenCpuCores: load.loadgenCpuCores,
  cpuUsPerChunk: { gateway: perChunkUs(load.cpuCores), upstream: perChunkUs(load.watchedCpuCores), loadgen: perChunkUs(load.loadgenCpuCores) },
  loadgenLoopDelayMs: load.loadgenLoopDelayMs, upstreamLoopDelayMs: up.loopDelayMs, rssHoldMb: load.rssHoldMb, counters }, null, 1));
' "$d"
cat "$d/perf-processes.txt" "$d/perf-gateway-dso.txt"
echo "$d"

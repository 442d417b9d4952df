#!/usr/bin/env bash
# Profiles Switchyard holding many slow streams (scenario 3's shape: one chunk per 100 ms, h2c to the fake upstream)
# to find where chunk latency comes from: the gateway, the fake upstream or the load generator.
#
#   bench/harness/profile-streams.sh [STREAMS=10000] [UPSTREAM_WORKERS=1] [path/to/switchyard.dll or binary]
#
# While every stream is open: dotnet-counters (runtime, Kestrel, HttpClient) for 10 s, then dotnet-trace CPU sampling
# for 8 s; the load generator reports the CPU of the gateway, of the fake upstream's processes and its own, and its
# event-loop delay; the fake upstream reports its event-loop delay. Prints the summary and the output directory.
# Needs dotnet-counters and dotnet-trace (`dotnet tool install -g dotnet-counters dotnet-trace`).
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

node "$here/upstream.mjs" --port 9120 --h2c-port 9121 --workers "$workers" > "$d/upstream.log" 2>&1 &
upid=$!
pids+=("$upid")
until curl -s -f -o /dev/null http://127.0.0.1:9120/_stats; do sleep 0.1; done
sleep 0.5
hold_s=30
curl -s -X POST http://127.0.0.1:9120/_config -d "{\"chunks\":$((hold_s * 10)),\"intervalMs\":100}" > /dev/null

if [[ $target == *.dll ]]; then run=(dotnet "$target"); else run=("$target"); fi
Switchyard__Upstream__BaseUrl=http://127.0.0.1:9121 Switchyard__Upstream__HttpVersion=Http2 Switchyard__Upstream__ApiKey=x \
  Switchyard__DataDirectory="$d" 'Switchyard__Limits__Models__deepseek-v4-flash__MaxConcurrency=100000' \
  Logging__LogLevel__Default=Warning "${run[@]}" --urls http://127.0.0.1:9270 > "$d/switchyard.log" 2>&1 &
spid=$!
pids+=("$spid")
until curl -s -f -o /dev/null http://127.0.0.1:9270/healthz; do sleep 0.05; done

watch=$(tr ' ' ',' < "/proc/$upid/task/$upid/children" | sed 's/,$//')
watch="$upid${watch:+,$watch}"
curl -s http://127.0.0.1:9120/_stats > /dev/null # resets the upstream's loop-delay histogram
node "$here/loadgen.mjs" hold --url http://127.0.0.1:9270/v1/messages --body "$here/bodies/anthropic-stream.json" \
  --streams "$streams" --ramp 2000 --chunks $((hold_s * 10)) --pid "$spid" --watch "$watch" --timeout 120000 --max-conns 20000 \
  > "$d/load.json" &
lpid=$!
pids+=("$lpid")
sleep $((streams / 2000 + 3)) # every stream open
"$tools/dotnet-counters" collect -p "$spid" --refresh-interval 1 --duration 00:00:00:10 --format csv -o "$d/counters.csv" \
  --counters System.Runtime,Microsoft.AspNetCore.Server.Kestrel,System.Net.Http,System.Net.Sockets > "$d/counters.log" 2>&1
"$tools/dotnet-trace" collect -p "$spid" --profile cpu-sampling --duration 00:00:00:08 -o "$d/trace.nettrace" > "$d/trace.log" 2>&1
wait "$lpid" || true
curl -s http://127.0.0.1:9120/_stats > "$d/upstream-stats.json"

"$tools/dotnet-trace" report "$d/trace.nettrace" topN -n 40 > "$d/top-exclusive.txt" 2>&1 || true
"$tools/dotnet-trace" report "$d/trace.nettrace" topN -n 60 --inclusive > "$d/top-inclusive.txt" 2>&1 || true
node -e '
const fs = require("fs");
const d = process.argv[1];
const load = JSON.parse(fs.readFileSync(d + "/load.json", "utf8").trim().split("\n").pop());
const up = JSON.parse(fs.readFileSync(d + "/upstream-stats.json", "utf8"));
const rows = fs.readFileSync(d + "/counters.csv", "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
const byName = {};
for (const r of rows) { const name = r[2]; const v = Number(r[r.length - 1]); (byName[name] ??= []).push(v); }
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const counters = Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, +mean(v).toFixed(2)]));
console.log(JSON.stringify({ streams: load.streams, ok: load.ok, errors: load.errors, chunkLatency: load.chunkLatency,
  gatewayCpuCores: load.cpuCores, upstreamCpuCores: load.watchedCpuCores, loadgenCpuCores: load.loadgenCpuCores,
  loadgenLoopDelayMs: load.loadgenLoopDelayMs, upstreamLoopDelayMs: up.loopDelayMs, rssHoldMb: load.rssHoldMb, counters }, null, 1));
' "$d"
echo "$d"

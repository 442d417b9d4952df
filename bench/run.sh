#!/usr/bin/env bash
# Runs the whole Switchyard benchmark and rewrites docs/benchmarks.md (generated part), docs/benchmarks/*.svg and
# docs/benchmarks/results.json.
#
#   bench/run.sh                 # everything (≈ 15–20 minutes)
#   BENCH_QUICK=1 bench/run.sh   # short phases, to try the harness
#   BENCH_SCENARIOS=1,5 bench/run.sh
#   BENCH_PUBLISH=0 BENCH_AOT=0 bench/run.sh   # skip the production (trimmed, ReadyToRun) / Native AOT publishes
#                                              # (scenario 5 measures them by default, next to the plain build)
#
# Needs: .NET 10 SDK, Node ≥ 20, npm (claude-code-router 2.0.0 is installed from npm into $BENCH_CACHE, outside
# the repository; set BENCH_NO_CCR=1 to skip it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cache="${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchyard-bench}"
work="${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/switchyard-bench-XXXXXX")}"
mkdir -p "$cache" "$work"

# Many sockets: the load generator, the gateway and the upstream each hold one or two per stream.
ulimit -n "$(ulimit -Hn)" || true

echo "== building Switchyard (Release)" >&2
dotnet build "$repo/src/Switchyard" -c Release -nologo -v q >&2
# Run from a copy, so a rebuild of the tree during the run does not change the binaries under test.
cp -r "$repo/src/Switchyard/bin/Release/net10.0" "$work/switchyard-bin"
export SWITCHYARD_DLL="$work/switchyard-bin/switchyard.dll"

if [[ "${BENCH_NO_CCR:-0}" != 1 ]]; then
  ccr="$cache/ccr/node_modules/@musistudio/claude-code-router/dist/cli.js"
  if [[ ! -f "$ccr" ]]; then
    echo "== installing @musistudio/claude-code-router@2.0.0 into $cache/ccr" >&2
    mkdir -p "$cache/ccr"
    (cd "$cache/ccr" && { [[ -f package.json ]] || npm init -y >/dev/null; } && npm install --no-audit --no-fund @musistudio/claude-code-router@2.0.0 >&2)
  fi
  export CCR_CLI="$ccr"
fi

if [[ "${BENCH_PUBLISH:-1}" == 1 && ",${BENCH_SCENARIOS:-5}," == *,5,* ]]; then
  echo "== production publish (README.md: self-contained, trimmed, ReadyToRun)" >&2
  if dotnet publish "$repo/src/Switchyard" -c Release -r linux-x64 -p:PublishTrimmed=true -o "$work/published" -nologo > "$work/publish.log" 2>&1; then
    export SWITCHYARD_PUBLISHED_BIN="$work/published/switchyard"
  else
    echo "publish failed (see $work/publish.log); scenario 5 measures the plain build only" >&2
  fi
fi

if [[ "${BENCH_AOT:-1}" == 1 && ",${BENCH_SCENARIOS:-5}," == *,5,* ]]; then
  echo "== Native AOT publish" >&2
  if dotnet publish "$repo/src/Switchyard" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -nologo > "$work/aot-publish.log" 2>&1 \
     && [[ -x "$work/aot/switchyard" ]]; then
    export SWITCHYARD_AOT_BIN="$work/aot/switchyard"
    export BENCH_AOT_NOTE="published ($(du -m "$work/aot/switchyard" | cut -f1) MB binary); warnings: $(grep -c 'warning' "$work/aot-publish.log" || true)."
  else
    export BENCH_AOT_NOTE="publish failed: $(grep -E 'error' "$work/aot-publish.log" | sed -E 's/ \[.*//' | sort -u | head -3 | tr '\n' ' ')"
  fi
fi

export BENCH_WORK="$work"
echo "== running (logs and data in $work)" >&2
node "$here/harness/run.mjs"

#!/usr/bin/env bash
# Runs the whole Switchyard benchmark and rewrites docs/benchmarks.md (generated part), docs/benchmarks/*.svg and
# docs/benchmarks/results.json.
#
#   bench/run.sh                 # everything (≈ 30 minutes, with the two publishes)
#   BENCH_QUICK=1 bench/run.sh   # short phases, to try the harness
#   BENCH_SCENARIOS=6,7 bench/run.sh           # the wrk closed-loop table and the cold start only
#   BENCH_PUBLISH=0 BENCH_AOT=0 bench/run.sh   # skip the production (trimmed, ReadyToRun) / Native AOT publishes
#                                              # (scenarios 5, 6 and 7 measure them by default, next to the JIT build)
#   SWITCHYARD_AOT_BIN=path/to/switchyard bench/run.sh   # measure an existing AOT binary instead of publishing one
#                                                        # (SWITCHYARD_PUBLISHED_BIN likewise for ReadyToRun)
#
# Needs: .NET 10 SDK, Node ≥ 20, npm, wrk (installed from Debian's packages when missing and this user may).
# claude-code-router 2.0.0 and Portkey's gateway 1.15.2 are installed from npm into $BENCH_CACHE, outside the
# repository; BENCH_NO_CCR=1 / BENCH_NO_PORTKEY=1 skip them.
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

if ! command -v wrk >/dev/null; then
  echo "== installing wrk (Debian)" >&2
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  { $SUDO apt-get install -y -qq wrk || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk; }; } >&2
fi

if [[ "${BENCH_NO_PORTKEY:-0}" != 1 ]]; then
  portkey="$cache/portkey/node_modules/@portkey-ai/gateway/build/start-server.js"
  if [[ ! -f "$portkey" ]]; then
    echo "== installing @portkey-ai/gateway@1.15.2 into $cache/portkey" >&2
    mkdir -p "$cache/portkey"
    (cd "$cache/portkey" && { [[ -f package.json ]] || npm init -y >/dev/null; } && npm install --no-audit --no-fund @portkey-ai/gateway@1.15.2 >&2)
  fi
  export PORTKEY_CLI="$portkey"
fi

# The published builds are measured by scenarios 5 (start-up, memory), 6 (throughput) and 7 (cold start).
wants_builds() { [[ ",${BENCH_SCENARIOS:-5,6,7}," =~ ,(5|6|7), ]]; }
if [[ -n "${SWITCHYARD_PUBLISHED_BIN:-}" ]]; then
  echo "== ReadyToRun build: $SWITCHYARD_PUBLISHED_BIN (given)" >&2
elif [[ "${BENCH_PUBLISH:-1}" == 1 ]] && wants_builds; then
  echo "== production publish (README.md: self-contained, trimmed, ReadyToRun)" >&2
  if dotnet publish "$repo/src/Switchyard" -c Release -r linux-x64 -p:PublishTrimmed=true -o "$work/published" -nologo > "$work/publish.log" 2>&1; then
    export SWITCHYARD_PUBLISHED_BIN="$work/published/switchyard"
  else
    echo "publish failed (see $work/publish.log); scenarios 5–7 measure the other builds only" >&2
  fi
fi

if [[ -n "${SWITCHYARD_AOT_BIN:-}" ]]; then
  echo "== Native AOT build: $SWITCHYARD_AOT_BIN (given)" >&2
  export BENCH_AOT_NOTE="${BENCH_AOT_NOTE:-a given binary ($(du -m "$SWITCHYARD_AOT_BIN" | cut -f1) MB).}"
elif [[ "${BENCH_AOT:-1}" == 1 ]] && wants_builds; then
  echo "== Native AOT publish (-p:PublishProfile=aot; minutes)" >&2
  start=$SECONDS
  if dotnet publish "$repo/src/Switchyard" -p:PublishProfile=aot -o "$work/aot" -nologo > "$work/aot-publish.log" 2>&1 \
     && [[ -x "$work/aot/switchyard" ]]; then
    export SWITCHYARD_AOT_BIN="$work/aot/switchyard"
    export BENCH_AOT_NOTE="\`dotnet publish src/Switchyard -p:PublishProfile=aot\`: $(du -m "$work/aot/switchyard" | cut -f1) MB binary, published in $((SECONDS - start)) s, $(grep -cE 'warning [A-Z]+[0-9]+' "$work/aot-publish.log" || true) warnings."
  else
    export BENCH_AOT_NOTE="publish failed: $(grep -E 'error' "$work/aot-publish.log" | sed -E 's/ \[.*//' | sort -u | head -3 | tr '\n' ' ')"
  fi
fi

export BENCH_WORK="$work"
echo "== running (logs and data in $work)" >&2
node "$here/harness/run.mjs"

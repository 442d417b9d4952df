#!/usr/bin/env bash
# Runs every test: the xunit suite (unit tests; the official Anthropic and OpenAI SDKs against the real server;
# golden tokenizer tests; SQLite and PostgreSQL platform tests) and the Node end-to-end suite (Anthropic TS SDK,
# SSE grammar validator, the Claude Code CLI).
set -euo pipefail
cd "$(dirname "$0")"

# PostgreSQL for the multi-replica tests: a throwaway cluster from Debian's package (installed when missing and
# this user may install). Without one, those tests are skipped locally and fail in CI (CI=true).
if [[ -z "${SWITCHYARD_TEST_POSTGRES:-}" ]] && { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [[ $(id -u) -eq 0 ]]; }; then
  source .ci/postgres.sh start >/dev/null || echo "test.sh: could not start PostgreSQL; its tests will be skipped" >&2
  set -euo pipefail
  [[ -n "${SWITCHYARD_PG_DIR:-}" ]] && trap '.ci/postgres.sh stop "$SWITCHYARD_PG_DIR" >/dev/null' EXIT
fi

# Chromium for the dashboard's browser test (Playwright drives Debian's chromium; it cannot download browsers here).
# Skipped locally without it; in CI (CI=true) it is installed when missing, and the test fails if it is absent.
if [[ "${CI:-}" == "true" ]] && [[ ! -x /usr/bin/chromium ]]; then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

dotnet test Switchyard.sln -c Release --logger "console;verbosity=minimal"

(cd tests/e2e && npm ci --no-audit --no-fund && npm test)

# The production publish (README.md): opt-in, as the trimmed ReadyToRun publish takes minutes on two cores.
if [[ "${SWITCHYARD_TEST_PUBLISH:-0}" == 1 ]]; then
  tests/publish/smoke.sh
fi

#!/usr/bin/env bash
# CI: publishes the Native AOT binary (src/Switchyard/Properties/PublishProfiles/aot.pubxml) and runs the publish
# smoke test against it, with PostgreSQL. About 4–6 minutes on two cores, most of it the native compilation.
set -euo pipefail
cd "$(dirname "$0")/.."

# The native link needs a C toolchain (Debian's image has gcc and clang-14; a bare one gets clang).
if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang >/dev/null
fi

if [[ -z "${SWITCHYARD_TEST_POSTGRES:-}" ]]; then
  source .ci/postgres.sh start >/dev/null
  set -euo pipefail
  trap '.ci/postgres.sh stop "$SWITCHYARD_PG_DIR" >/dev/null' EXIT
fi

tests/publish/smoke.sh --aot

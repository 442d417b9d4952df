#!/usr/bin/env bash
# Publishes Switchyard as README.md's production section does and exercises the published binary against the fake
# upstream: the things trimming or Native AOT could break (JSON, configuration binding of lists and dictionaries,
# routing, SQLite's native library, PostgreSQL, embedded dashboard files, the CLI, start-up validation).
# ./test.sh runs it with SWITCHYARD_TEST_PUBLISH=1; CI runs it on the Native AOT binary (.ci/publish-aot.sh).
#
#   tests/publish/smoke.sh             # publish self-contained, trimmed, ReadyToRun into a temp directory, then test
#   tests/publish/smoke.sh --aot       # publish with the Native AOT profile (Properties/PublishProfiles/aot.pubxml)
#   tests/publish/smoke.sh <binary>    # test an existing build (a published apphost, or a .dll run with dotnet)
# With SWITCHYARD_TEST_POSTGRES set (a connection string, as ./test.sh exports it) the storage checks also run
# against PostgreSQL.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/switchyard-publish-XXXXXX")"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

if [[ ${1:-} == --aot ]]; then
  echo "== dotnet publish -p:PublishProfile=aot (Native AOT)" >&2
  start=$SECONDS
  dotnet publish "$repo/src/Switchyard" -p:PublishProfile=aot -o "$work/out" -nologo -v q >&2
  echo "== published in $((SECONDS - start)) s, binary $(du -m "$work/out/switchyard" | cut -f1) MB" >&2
  exe="$work/out/switchyard"
elif [[ $# -gt 0 ]]; then
  exe="$1"
else
  echo "== dotnet publish (self-contained, trimmed, ReadyToRun)" >&2
  start=$SECONDS
  dotnet publish "$repo/src/Switchyard" -c Release -r linux-x64 -p:PublishTrimmed=true -o "$work/out" -nologo -v q >&2
  echo "== published in $((SECONDS - start)) s, $(du -sm "$work/out" | cut -f1) MB" >&2
  exe="$work/out/switchyard"
fi
if [[ $exe == *.dll ]]; then run=(dotnet "$exe"); else run=("$exe"); fi

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
up_port=$(free_port)
port=$(free_port)
node "$repo/bench/harness/upstream.mjs" --port "$up_port" > "$work/upstream.log" 2>&1 &
export Switchyard__Upstream__BaseUrl="http://127.0.0.1:$up_port" Switchyard__Upstream__ApiKey=sk-smoke \
  Switchyard__DataDirectory="$work/data" Switchyard__Admin__Key=admin-smoke-key-0123456789abcdef Logging__LogLevel__Default=Warning

passed=0 failed=0
check() {
  if eval "$2"; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
serve() {
  "${run[@]}" --urls "http://127.0.0.1:$port" >> "$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 1000); do curl -sf -o /dev/null "127.0.0.1:$port/healthz" && return 0; sleep 0.02; done
  echo "server did not start:" >&2; cat "$work/server.log" >&2; exit 1
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; }
# The keys CLI against the configured storage: `keys create` (sets $key), then `keys list` has a row for it. The table
# has no border and no left padding, so a row starts with the key's name, then its id. Short names: the table wraps
# longer ones at 80 columns.
keys_checks() { # <label prefix> <key name>
  r=$("${run[@]}" keys create --name "$2" 2>&1) || true
  check "${1}keys create" '[[ $r == *"sk-"* ]]'
  key=$(grep -oE 'sk-[A-Za-z0-9_-]+' <<<"$r" | head -1 || true)
  id=$(sed -nE 's/^Created key ([A-Za-z0-9_-]+) .*/\1/p' <<<"$r")
  r=$("${run[@]}" keys list 2>&1) || true
  check "${1}keys list" "[[ -n \$id ]] && grep -qE \"^$2 +\$id \" <<<\"\$r\""
}
# /readyz: anyone sees the status; the checks (storage among them) only with the admin key.
readyz_checks() { # <label prefix>
  r=$(curl -s "127.0.0.1:$port/readyz")
  check "${1}GET /readyz" '[[ $r == "{\"status\":\"ready\"}" ]]'
  r=$(curl -s "${admin[@]}" "127.0.0.1:$port/readyz")
  check "${1}GET /readyz, admin" '[[ $r == *"\"status\":\"ready\""* && $r == *"\"storage\":\"ok\""* ]]'
}
H=(-H 'content-type: application/json' -H 'anthropic-version: 2023-06-01')
hello='{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hello"}]}'
admin=(-H 'authorization: Bearer admin-smoke-key-0123456789abcdef')

serve
r=$(curl -s "${H[@]}" "127.0.0.1:$port/v1/messages" -d "$hello")
check "POST /v1/messages" '[[ $r == *"\"type\":\"message\""* ]]'
r=$(curl -s -N "${H[@]}" "127.0.0.1:$port/v1/messages" -d "${hello/\"messages\"/\"stream\":true,\"messages\"}")
check "POST /v1/messages, stream" '[[ $r == *"event: message_start"* && $r == *"event: message_stop"* ]]'
r=$(curl -s "${H[@]}" "127.0.0.1:$port/v1/messages/count_tokens" -d '{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello, world"}]}')
check "count_tokens" '[[ $r == "{\"input_tokens\":"* ]]'
r=$(curl -s -H 'content-type: application/json' "127.0.0.1:$port/v1/chat/completions" -d '{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"Hello"}]}')
check "POST /v1/chat/completions" '[[ $r == *"chat.completion"* ]]'
r=$(curl -s "${H[@]}" "127.0.0.1:$port/v1/models")
check "GET /v1/models" '[[ $r == *"\"data\""* ]]'
r=$(curl -s "127.0.0.1:$port/metrics")
check "GET /metrics" '[[ $r == *"# TYPE"* ]]'
r=$(curl -s "${admin[@]}" "127.0.0.1:$port/dashboard/")
check "GET /dashboard/" '[[ $r == *"<html"* || $r == *"<!doctype"* || $r == *"<!DOCTYPE"* ]]'
r=$(curl -s "${admin[@]}" "127.0.0.1:$port/admin/stats")
check "GET /admin/stats" '[[ $r == "{"* ]]'
r=$(curl -s "${admin[@]}" "127.0.0.1:$port/admin/usage")
check "GET /admin/usage" '[[ $r == *"{"* ]]'
readyz_checks ""
stop

keys_checks "" smoke
r=$("${run[@]}" usage --since 7d --by model 2>&1) || true
check "usage" '[[ $r == *"Usage since"* && $r == *deepse* ]]'

serve
r=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -H 'x-api-key: not-a-key' "127.0.0.1:$port/v1/messages" -d "$hello")
check "unknown key: 401" '[[ $r == 401 ]]'
r=$(curl -s "${H[@]}" -H "x-api-key: $key" "127.0.0.1:$port/v1/messages" -d "$hello")
check "created key accepted" '[[ $r == *"\"type\":\"message\""* ]]'
stop

# Lists and nested objects bound from configuration (the binding generator's code), and the router using them.
route_env=(Switchyard__Providers__0__Name=second Switchyard__Providers__0__Endpoints__0__BaseUrl="http://127.0.0.1:$up_port"
  Switchyard__Providers__0__Endpoints__0__ApiKey=sk-second Switchyard__Routes__0__Name=smoke-route
  Switchyard__Routes__0__Models__0='smoke-*' Switchyard__Routes__0__Targets__0__Provider=second
  Switchyard__Routes__0__Targets__0__Model=deepseek-v4-flash)
export "${route_env[@]}"
serve
r=$(curl -s -D - "${H[@]}" -H "x-api-key: $key" "127.0.0.1:$port/v1/messages" -d "${hello/claude-sonnet-4-5/smoke-model}")
check "configured provider and route" '[[ $r == *"x-switchyard-route: smoke-route"* && $r == *"\"type\":\"message\""* ]]'
stop
unset "${route_env[@]%%=*}"

r=$(Switchyard__Upstream__BaseUrl=not-a-url timeout 20 "${run[@]}" --urls "http://127.0.0.1:$port" 2>&1) && code=0 || code=$?
check "invalid setting stops start-up, naming it" '[[ $code -ne 0 && $code -ne 124 && $r == *BaseUrl* ]]'

if [[ -n "${SWITCHYARD_TEST_POSTGRES:-}" ]]; then
  export Switchyard__Storage__PostgreSql="$SWITCHYARD_TEST_POSTGRES"
  # The key first: the database may already hold keys (a rerun on the same cluster), and then requests need one.
  keys_checks "PostgreSQL: " pg
  serve
  r=$(curl -s "${H[@]}" -H "x-api-key: $key" "127.0.0.1:$port/v1/messages" -d "$hello")
  check "PostgreSQL: POST /v1/messages" '[[ $r == *"\"type\":\"message\""* ]]'
  readyz_checks "PostgreSQL: "
  stop
  unset Switchyard__Storage__PostgreSql
fi

echo "publish-smoke: $passed passed, $failed failed"
[[ $failed -eq 0 ]]

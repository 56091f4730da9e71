#!/usr/bin/env bash
# Run the browser end-to-end tests (tests/e2e/*.mjs, node's test runner)
# against the built page: serves DIST (default dist/) on 127.0.0.1 at a free
# port, runs the tests with E2E_BASE_URL set, and stops the server afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

DIST="${DIST:-dist}"
if [ ! -f "$DIST/index.html" ]; then
  echo "error: $DIST/index.html missing; build the page first (make build)" >&2
  exit 1
fi

urlfile="$(mktemp)"
node scripts/serve-dist.mjs "$DIST" 0 >"$urlfile" &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -f "$urlfile"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  [ -s "$urlfile" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "error: static server exited" >&2; exit 1; }
  sleep 0.1
done
url="$(head -n1 "$urlfile")"
[ -n "$url" ] || { echo "error: static server did not start" >&2; exit 1; }
echo "==> serving $DIST at $url"

mkdir -p target/e2e
E2E_BASE_URL="$url" node --test --test-reporter=spec tests/e2e/*.mjs

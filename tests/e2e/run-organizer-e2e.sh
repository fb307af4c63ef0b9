#!/usr/bin/env bash
# Starts venueboard-server with the demo conference on a free loopback port,
# drives /organizer/ in headless Chromium (tests/e2e/organizer.mjs), then
# checks through the API that the server stored what the page did.
# usage: run-organizer-e2e.sh SERVER_BIN DEMO_SCHEDULE WORK_DIR
set -euo pipefail
server=$1 demo=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v chromium >/dev/null || ! command -v node >/dev/null; then
  echo "SKIP: chromium or node is missing (tests/run installs them)"; exit 77
fi
mkdir -p "$work"
# playwright-core from the npm registry, kept out of the source tree
if [ ! -d "$work/node_modules/playwright-core" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --silent)
fi
tmp=$(mktemp -d); trap 'kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
token=organizer-token-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
cat >"$tmp/server.conf" <<CONF
listen 127.0.0.1:0
database $tmp/server.db
schedule $demo
organizer alice $token
CONF
chmod 600 "$tmp/server.conf"
"$server" --config "$tmp/server.conf" --port-file "$tmp/port" 2>"$tmp/server.log" & pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
port=$(cat "$tmp/port")
# ES modules resolve packages beside the script: run a copy next to node_modules
cp "$here/organizer.mjs" "$work/"
node "$work/organizer.mjs" "http://127.0.0.1:$port" "$token" "$work/organizer.png"
curl -sf "http://127.0.0.1:$port/v1/schedule" | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = {x["id"]: x for x in d["sessions"]}
assert s["4184"]["room"] == "salle-243", s["4184"]
assert s["4216"]["status"] == "cancelled"
assert d["notices"][0]["text"].startswith("Lunch line at Le M")
assert [a["who"] for a in d["audit"]] == ["alice"] * 3
print("server stored: 4184 in salle-243, 4216 cancelled, 1 notice, 3 audit entries by alice")'
echo "screenshot: $work/organizer.png"

#!/usr/bin/env bash
# Starts venueboard-server with the demo conference on a free loopback port,
# posts one screen's heartbeat (a small PNG made here) as a kiosk would,
# drives /organizer/ in headless Chromium (tests/e2e/organizer.mjs), then
# checks through the API that the server stored what the page did. A lunch
# line's sensor posts Monday to Wednesday and Thursday morning (the
# project's conference simulator): the desk must show its forecast and the
# alert that alert-wait asks for. Two sensor sources (contracts §7): door-a
# takes one push and must read ok; cam-x polls a port nothing listens on and
# must read failing, listed first.
# usage: run-organizer-e2e.sh SERVER_BIN FEED_TOOL_BIN DEMO_SCHEDULE WORK_DIR
set -euo pipefail
server=$1 feed_tool=$2 demo=$3 work=$4
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
screen_token=screen-token-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
sensor_token=sensor-token-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
door_token=door-token-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
screen=palais-l2-east
cat >"$tmp/server.conf" <<CONF
listen 127.0.0.1:0
database $tmp/server.db
schedule $demo
organizer alice $token
screen $screen $screen_token
sensor meridien-doors $sensor_token
alert-wait meridien-lunch 15
# door-a counts into a queue of its own: a reading stamped today on
# meridien-lunch would move that queue's clock off the 2014 replay (SERVER.md,
# Samples) and with it the forecast and alert checked below
sensor door-a $door_token
source door-a json push queue:sensors-e2e
source-field door-a entry /in
# port 9 (discard) has no listener here: every poll fails
source cam-x axis-people-counter poll:http://127.0.0.1:9/live-sum.json@1 queue:meridien-lunch
CONF
chmod 600 "$tmp/server.conf"
"$server" --config "$tmp/server.conf" --port-file "$tmp/port" 2>"$tmp/server.log" & pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
[ -s "$tmp/port" ] || { echo "FAIL: the server did not start"; cat "$tmp/server.log"; exit 1; }
port=$(cat "$tmp/port")
# the kiosk's heartbeat: a 64x36 thumbnail, written as a PNG by hand
python3 - >"$tmp/heartbeat.json" <<'PY'
import base64, json, struct, zlib
w, h = 64, 36
rows = b"".join(b"\0" + bytes((18, 53, 91)) * w for _ in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
print(json.dumps({"version": "1.4.2", "uptime_s": 3600, "feed_age_s": 42, "offline": False,
                  "showing": "page 2/5", "schedule_version": 1,
                  "thumbnail": base64.b64encode(png).decode()}))
PY
curl -sf -X POST -H "Authorization: Bearer $screen_token" --data-binary @"$tmp/heartbeat.json" \
  "http://127.0.0.1:$port/v1/screens/heartbeat" >/dev/null
# the lunch line: three earlier days and Thursday up to 11:10 UTC (12:10 in Paris)
"$feed_tool" simulate --scenario conference --schedule "$demo" --seed 3 |
  python3 -c '
import json, sys
for line in sys.stdin:
    s = json.loads(line)
    if s.get("type") in ("count", "stations", "occupancy", "room") and s["t"] > "2014-11-06T11:10:00Z":
        continue
    sys.stdout.write(line)' >"$tmp/samples.jsonl"
# a counting camera: Salle 241 at its 400 seats at 12:05 (Cinder replication)
printf '{"type":"room","room":"Salle 241","sensor":"cam-241","t":"2014-11-06T11:05:00Z","people":400}\n' \
  >>"$tmp/samples.jsonl"
curl -sf -X POST -H "Authorization: Bearer $sensor_token" --data-binary @"$tmp/samples.jsonl" \
  "http://127.0.0.1:$port/v1/samples" >/dev/null
grep -q "WARN: lunch line Le M.*open more stations?" "$tmp/server.log" ||
  { echo "FAIL: the server did not log the lunch alert"; cat "$tmp/server.log"; exit 1; }
# a door counter's push, as a DIY device sends it: 200 {"accepted":1,...}
code=$(curl -s -o "$tmp/ingest.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $door_token" \
  -H "Content-Type: application/json" --data-binary '{"in":5}' "http://127.0.0.1:$port/v1/ingest/door-a")
[ "$code" = 200 ] || { echo "FAIL: POST /v1/ingest/door-a answered $code: $(cat "$tmp/ingest.json")"
  tail -n 20 "$tmp/server.log"; exit 1; }
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["accepted"] == 1, d' \
  "$tmp/ingest.json" || { echo "FAIL: the ingest answer does not accept the reading"; exit 1; }
# ES modules resolve packages beside the script: run a copy next to node_modules
cp "$here/organizer.mjs" "$work/"
node "$work/organizer.mjs" "http://127.0.0.1:$port" "$token" "$work/organizer.png" "$screen" \
  "$screen_token"
{ curl -sf "http://127.0.0.1:$port/v1/schedule"; echo; curl -sf "http://127.0.0.1:$port/v1/audit"; } |
  python3 -c '
import json, sys
d, a = (json.loads(line) for line in sys.stdin.read().splitlines())
d["audit"] = a["audit"]
assert "move session 4184 (" in a["audit"][0]["what"] and "to Salle 243" in a["audit"][0]["what"]
s = {x["id"]: x for x in d["sessions"]}
assert s["4184"]["room"] == "salle-243", s["4184"]
assert s["4216"]["status"] == "cancelled"
assert d["notices"][0]["text"].startswith("Lunch line at Le M")
assert [a["who"] for a in d["audit"]] == ["alice"] * 5
assert d["audit"][3]["kind"] == "room" and d["audit"][3]["change"]["room"] == "Salle 252A"
assert d["audit"][4]["kind"] == "alert" and d["audit"][4]["undone"]
print("server stored: 4184 in salle-243, 4216 cancelled, 1 notice, Salle 252A FULL by hand, "
      "an alert withdrawn, 5 audit entries by alice")'
echo "screenshot: $work/organizer.png"

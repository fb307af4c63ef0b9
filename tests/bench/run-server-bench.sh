#!/usr/bin/env bash
# venueboard-server under wrk on loopback, next to nginx serving the same
# schedule JSON as a static file in the same run. The server (or nginx) runs
# on core 0, wrk on core 1 (taskset). Prints requests/s and p99 latency for
# full and conditional schedule GETs at 100 connections, and durable sample
# lines ingested per second.
# usage: tests/bench/run-server-bench.sh [BUILD_DIR]   (SECONDS=10 per run)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/bench}
secs=${SECONDS_PER_RUN:-10}
for tool in wrk nginx taskset; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is missing (apt-get install wrk nginx-light)"; exit 0; }
done
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target venueboard-server venueboard-feed >/dev/null
feed=$root/../shared/feeds/fosdem_2026_schedule.xml
[ -f "$feed" ] || feed=$root/assets/demo/paris-2014.schedule.json
tmp=$(mktemp -d); pids=()
trap 'kill ${pids[*]} 2>/dev/null; rm -rf "$tmp"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cat >"$tmp/server.conf" <<CONF
listen 127.0.0.1:0
database $tmp/server.db
schedule $feed
organizer bench organizer-token-bench-0123456789
sensor door sensor-token-bench-0123456789
CONF
chmod 600 "$tmp/server.conf"
taskset -c 0 "$build/feeds/venueboard-server" --config "$tmp/server.conf" --port-file "$tmp/port" 2>"$tmp/server.log" &
pids+=($!)
for _ in $(seq 200); do [ -s "$tmp/port" ] && break; sleep 0.05; done
vb=127.0.0.1:$(cat "$tmp/port")
curl -sf -D "$tmp/vb.h" "http://$vb/v1/schedule" -o "$tmp/schedule.json"
vb_etag=$(grep -i '^etag:' "$tmp/vb.h" | cut -d' ' -f2 | tr -d '\r')

# nginx: one worker on core 0, serving the same bytes
nport=$(free_port)
mkdir -p "$tmp/www/v1" "$tmp/nginx"
chmod 755 "$tmp" "$tmp/www" "$tmp/www/v1"   # nginx workers run as www-data
cp "$tmp/schedule.json" "$tmp/www/v1/schedule"
chmod 644 "$tmp/www/v1/schedule"
cat >"$tmp/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server { listen 127.0.0.1:$nport; root $tmp/www; etag on; }
}
NGINX
taskset -c 0 nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" 2>/dev/null & pids+=($!)
sleep 0.5
ng=127.0.0.1:$nport
curl -sf -D "$tmp/ng.h" "http://$ng/v1/schedule" -o /dev/null
ng_etag=$(grep -i '^etag:' "$tmp/ng.h" | cut -d' ' -f2 | tr -d '\r')

run() { # label, url, extra wrk args...
  local label=$1 url=$2; shift 2
  taskset -c 1 wrk -t1 -c100 -d"${secs}s" --latency "$@" "$url" >"$tmp/wrk.out" 2>&1
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.out")
  printf '%-44s %12s req/s   p99 %s\n' "$label" "$rps" "$p99"
  echo "$rps" >"$tmp/last"
}

size=$(stat -c %s "$tmp/schedule.json")
echo "schedule: $(basename "$feed"), $((size / 1024)) KiB of JSON; server and nginx on core 0, wrk on core 1; ${secs}s each, 100 connections"
run "venueboard-server GET /v1/schedule" "http://$vb/v1/schedule"; vb_full=$(cat "$tmp/last")
run "nginx static GET (same bytes)" "http://$ng/v1/schedule"; ng_full=$(cat "$tmp/last")
run "venueboard-server conditional GET (304)" "http://$vb/v1/schedule" -H "If-None-Match: $vb_etag"; vb_cond=$(cat "$tmp/last")
run "nginx conditional GET (304)" "http://$ng/v1/schedule" -H "If-None-Match: $ng_etag"; ng_cond=$(cat "$tmp/last")

# durable sample ingestion: 100 lines a request, each request one fsync'd transaction
"$build/feeds/venueboard-feed" simulate --scenario noisy --seed 9 >"$tmp/all.jsonl"
head -100 "$tmp/all.jsonl" >"$tmp/batch.jsonl"
cat >"$tmp/post.lua" <<LUA
local f = io.open("$tmp/batch.jsonl", "r")
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Authorization"] = "Bearer sensor-token-bench-0123456789"
f:close()
LUA
run "venueboard-server POST /v1/samples (100 lines)" "http://$vb/v1/samples" -s "$tmp/post.lua"
lines=$(awk -v r="$(cat "$tmp/last")" 'BEGIN {printf "%.0f", r * 100}')
echo "durable sample lines ingested: $lines lines/s"
awk -v a="$vb_full" -v b="$ng_full" -v c="$vb_cond" -v d="$ng_cond" 'BEGIN {
  printf "full GET: %.2f of nginx; conditional GET: %.2f of nginx (target >= 0.5)\n", a / b, c / d }'

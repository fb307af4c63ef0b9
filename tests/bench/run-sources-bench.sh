#!/usr/bin/env bash
# People counters through venueboard-server on loopback (issue 22's targets):
# 10 000 MQTT readings per second from 50 devices (Irisys live counts, QoS 1,
# a real Mosquitto) while a client asks GET /v1/queues and /v1/sources every
# 10 ms: readings taken per second, HTTP latency p50/p99/max with and without
# the load, the server's RSS; then a broker restart (seconds until subscribed
# again, readings published meanwhile lost) and a device sending garbage and
# 1 MiB messages (RSS before and after).
# usage: tests/bench/run-sources-bench.sh [BUILD_DIR]   (RATE, DURATION env: readings per second, seconds)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/bench}
command -v mosquitto >/dev/null || { echo "SKIP: mosquitto is missing (apt-get install mosquitto mosquitto-clients)"; exit 0; }
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target venueboard-server bench_mqtt_pub >/dev/null
exec python3 "$root/tests/bench/sources_bench.py" "$build" "$root" "${RATE:-10000}" "${DURATION:-10}"

#!/usr/bin/env bash
# The lunch forecast against persistence and the same clock time on earlier
# days, per scenario and horizon, on simulated conferences (the demo summit's
# schedule), SEEDS seeds each; with interval coverage and CPU time.
# usage: tests/bench/run-forecast-bench.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/bench}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target bench_forecast >/dev/null
"$build/tests/bench/bench_forecast" "${SEEDS:-12}"

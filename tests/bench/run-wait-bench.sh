#!/usr/bin/env bash
# Lunch-line wait estimation against the baselines on simulated lines (eight
# scenarios and seven variants of the surge and the stall, SEEDS seeds
# each), and the estimator's throughput on a day of samples for 20 queues. usage: tests/bench/run-wait-bench.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/bench}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target bench_wait >/dev/null
"$build/tests/bench/bench_wait" "${SEEDS:-12}"

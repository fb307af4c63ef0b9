#!/usr/bin/env bash
# What an organizer's change costs venueboard-server's one thread as changes
# pile up (bench_changes), on the demo summit and on FOSDEM 2026 when
# ../shared/feeds is there. Release build; figures only.
# usage: tests/bench/run-change-bench.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/bench}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target bench_changes >/dev/null
"$build/tests/bench/bench_changes" "$root/assets/demo/paris-2014.schedule.json" 2000
fosdem=$root/../shared/feeds/fosdem_2026_schedule.xml
if [ -f "$fosdem" ]; then
  echo
  "$build/tests/bench/bench_changes" "$fosdem" 2000
else
  echo "(../shared/feeds is absent: FOSDEM 2026 not measured)"
fi

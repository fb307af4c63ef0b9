#!/usr/bin/env bash
# Parse time and peak memory of venueboard's readers on the largest real
# feeds, next to the underlying library's bare parse of the same bytes.
# usage: tests/bench/run-parse-bench.sh [BUILD_DIR]   (default build/bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/bench}
feeds=$root/../shared/feeds
[ -d "$feeds" ] || { echo "SKIP: $feeds is absent: no real feeds to measure"; exit 0; }
if [ ! -x "$build/tests/bench/bench_parse" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j"$(nproc)" --target bench_parse >/dev/null
fi
bin=$build/tests/bench/bench_parse
reps=${REPS:-200}

printf '%-40s %8s %9s %9s %6s %9s %9s %8s\n' feed KiB "raw ms" "full ms" ratio "raw MiB" "full MiB" sessions
for spec in fosdem_2026_schedule.xml: c3voc_frab-camp2019.json: \
            sessionize_orlandocodecamp2020_All.json:America/New_York \
            giggity_jres_2022.ics: c3voc_pretalx-democon.json:; do
  f=${spec%%:*} zone=${spec#*:}
  read -r _ _ base_kb _ < <("$bin" read "$feeds/$f" "$zone" 1)
  read -r raw_ms _ raw_kb _ < <("$bin" raw "$feeds/$f" "$zone" "$reps")
  read -r full_ms _ full_kb n < <("$bin" full "$feeds/$f" "$zone" "$reps")
  size=$(( $(stat -c %s "$feeds/$f") / 1024 ))
  awk -v f="$f" -v s="$size" -v r="$raw_ms" -v u="$full_ms" -v b="$base_kb" -v rk="$raw_kb" \
      -v fk="$full_kb" -v n="$n" 'BEGIN {
    printf "%-40s %8d %9.2f %9.2f %6.2f %9.1f %9.1f %8d\n", f, s, r, u, u / r,
      (rk - b) / 1024, (fk - b) / 1024, n }'
done
echo "median of $reps runs each; ratio = full / raw (target <= 2.0);"
echo "MiB = peak RSS above a process that only read the file"

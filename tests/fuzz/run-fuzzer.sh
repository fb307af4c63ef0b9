#!/usr/bin/env bash
# Runs one libFuzzer harness for a bounded time on a fresh corpus seeded from
# the fixtures; exits non-zero on any crash, leak or sanitizer report.
set -euo pipefail
harness=$1 corpus=$2 seconds=$3; shift 3
rm -rf "$corpus"; mkdir -p "$corpus"
for d in "$@"; do
  [ -d "$d" ] || continue
  find "$d" -type f \( -name '*.json' -o -name '*.xml' -o -name '*.ics' -o -name '*.jsonl' -o -name '*.http' -o -name '*.sse' \) -size -256k \
    -exec cp {} "$corpus/" \;
done
echo "fuzzing $(basename "$harness") for ${seconds}s from $(ls "$corpus" | wc -l) seeds"
[ -x "$harness" ] || { echo "no fuzz harness at $harness"; exit 1; }
set +e
"$harness" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$corpus/../crash-$(basename "$harness")-" "$corpus" 2>&1 |
  grep -E '^(stat::|#[0-9]+ *DONE|==[0-9]+==|SUMMARY|ERROR|Done)|fuzzing '
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] || echo "fuzzer exited with $rc: see the crash file next to $corpus"
exit "$rc"

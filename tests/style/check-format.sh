#!/usr/bin/env bash
# The C sources follow .clang-format: each file that would change under
# clang-format 14 (Debian 12's, .ci/install-deps installs it; another
# version lays out some lines differently) is named with what to run.
# usage: tests/style/check-format.sh [SOURCE_DIR]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"
fmt=$(command -v clang-format-14 || true)
if [ -z "$fmt" ]; then
  echo "check-format: clang-format-14 is not installed (.ci/install-deps installs it)" >&2
  exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.c' '*.h')
else
  mapfile -t files < <(find app feeds tests -name '*.[ch]' | sort)
fi
bad=()
for f in "${files[@]}"; do
  "$fmt" --style=file --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not as .clang-format lays them out:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "fix with: clang-format-14 -i FILE (then look at the diff)" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files as .clang-format lays them out"

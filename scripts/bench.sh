#!/usr/bin/env bash
# `npm run bench`: runs the `bench` script of every workspace that has one (benchmarks, not
# timed tests), one after the other; each writes its report under artifacts/bench/. A failing
# benchmark does not stop the others; the exit code says whether all of them ran.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
mkdir -p artifacts/bench
mapfile -t workspaces < <(node -e '
  const { execSync } = require("node:child_process");
  const list = JSON.parse(execSync("npm query .workspace", { encoding: "utf8" }));
  for (const w of list) if (w.scripts && w.scripts.bench) console.log(w.location);
')
failed=()
for ws in "${workspaces[@]}"; do
  progress "Benchmark: $ws (npm run bench -w $ws)"
  if ! npm run bench -w "$ws"; then
    failed+=("$ws")
    progress "FAILED: benchmark of $ws"
  fi
done
# Browser benchmarks (need Chromium, like the e2e tests).
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  for bench in e2e/bench/*.bench.mjs; do
    progress "Benchmark: $bench"
    if ! node "$bench"; then
      failed+=("$bench")
      progress "FAILED: benchmark $bench"
    fi
    # They all build the same app and backend: the first one's build serves the others.
    export E2E_SKIP_BUILD=1
  done
else
  progress "Chromium not found: browser benchmarks (e2e/bench) skipped"
fi
progress "Benchmark reports in artifacts/bench/: $(ls artifacts/bench | tr '\n' ' ')"
if [ "${#failed[@]}" -gt 0 ]; then
  progress "Failed benchmarks: ${failed[*]}"
  exit 1
fi

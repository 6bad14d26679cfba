#!/usr/bin/env bash
# `npm run bench -w packages/backend`: the DASH backend benchmark (bench/dash.bench.ts), then the
# Project Catalog one (bench/projectCatalog.bench.ts), each with the repository's Node 24 through
# scripts/run.sh, whatever node the shell has. BENCH_ONLY (warm, crowd, replicas, scale) runs only that
# part of the DASH benchmark and skips the Project Catalog one.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run_bench() {
  # run.sh changes to the repository root: paths are relative to it.
  bash "$here/../../../scripts/run.sh" node --require @backstage/cli/config/nodeTransform.cjs "$@"
}
run_bench packages/backend/bench/dash.bench.ts
if [ -z "${BENCH_ONLY:-}" ]; then
  run_bench packages/backend/bench/projectCatalog.bench.ts
fi

#!/usr/bin/env bash
# `npm test`: type-check, lint, every Jest test (on SQLite, and on PostgreSQL when one is
# reachable) and the browser end-to-end tests (when Chromium is installed). Ends with one line
# `N passed, N failed[, N skipped]` summed over every runner; type-check and lint count as one
# check each. Exits non-zero when anything failed.
#
#   npm test                     everything
#   npm test -- --only unit      type-check, lint and Jest
#   npm test -- --only e2e       the browser tests only
#   npm test -- --only fault     the fault tests (restart PostgreSQL, kill a backend) only
#   npm test -- --only adopter   the adopter test only (packs the suite and installs it into a
#                                fresh app, about 10 minutes; part of `npm test` when CI is set)
#   npm test -- --only jest -- packages/backend   Jest with extra arguments
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
set +e

only=all
jest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only="$2"; shift 2 ;;
    --) shift; jest_args=("$@"); break ;;
    *) jest_args+=("$1"); shift ;;
  esac
done
runs() { [ "$only" = all ] || [ "$only" = "$1" ] || { [ "$only" = unit ] && [ "$1" != e2e ]; }; }

mkdir -p artifacts
passed=0 failed=0 skipped=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0})); }
check() { # name, command...: a check that passes or fails as a whole
  local name="$1" started=$SECONDS
  shift
  progress "$name"
  if "$@"; then
    count 1 0
  else
    count 0 1
    progress "FAILED: $name"
  fi
  progress "$name took $((SECONDS - started)) s"
}
count_jest() { # results.json, Jest's exit code: add a Jest run's counts
  local p f s
  if [ ! -f "$1" ]; then
    count 0 1
    progress "FAILED: Jest wrote no results ($1)"
    return
  fi
  read -r p f s < <(node -e '
    const r = require(process.argv[1]);
    // A suite that fails to run has no test results: count it as one failure.
    const broken = r.testResults.filter(t => t.status === "failed" && t.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);
  ' "$REPO_ROOT/$1")
  count "$p" "$f" "$s"
  if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then count 0 1; fi
}

# PostgreSQL for TestDatabases: use the local server when it answers and nothing else was set.
if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ] &&
  node -e 'const s=require("net").connect(5432,"127.0.0.1");s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),1000)'; then
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:5432"
fi
if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  progress "Database tests run on SQLite and on PostgreSQL 15 ($BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)"
else
  progress "No PostgreSQL reachable on 127.0.0.1:5432: database tests run on SQLite only"
fi
# TestDatabases tries Docker in CI; without a Docker engine that only costs time and fails.
if ! docker info >/dev/null 2>&1; then
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
fi

if runs tsc; then
  check "Type-check (tsc)" tsc
  # dash-node is the API third parties write sources against: its report must match the code
  # (after a deliberate change, `npm run build:api-reports` and commit the new report).
  check "API report of @dash-suite/plugin-dash-node" \
    backstage-repo-tools api-reports --ci -o ae-wrong-input-file-type plugins/dash-node
fi
if runs lint; then check "Lint (backstage-cli repo lint)" backstage-cli repo lint; fi

if runs jest; then
  progress "Jest: every package's tests"
  started=$SECONDS
  rm -f artifacts/jest-results.json
  CI=true backstage-cli repo test --json --outputFile="$REPO_ROOT/artifacts/jest-results.json" "${jest_args[@]}" </dev/null
  jest_rc=$?
  count_jest artifacts/jest-results.json "$jest_rc"
  progress "Jest took $((SECONDS - started)) s"
fi

# Fault tests that restart this machine's PostgreSQL or kill a backend process: alone, one file
# at a time, after every other Jest test is done (they skip in the run above).
if runs fault; then
  progress "Fault tests: PostgreSQL restarted under load, a backend killed mid-refresh"
  started=$SECONDS
  rm -f artifacts/jest-fault-results.json
  DASH_FAULT_TESTS=1 CI=true backstage-cli repo test --runInBand --json \
    --outputFile="$REPO_ROOT/artifacts/jest-fault-results.json" \
    packages/backend/src/dashPostgresRestart.test.ts packages/backend/src/dashProcessKill.test.ts </dev/null
  count_jest artifacts/jest-fault-results.json $?
  progress "Fault tests took $((SECONDS - started)) s"
fi

if runs e2e; then
  if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    progress "End-to-end tests in headless Chromium (builds the app and backend first)"
    started=$SECONDS
    # The backend's build packs the type declarations that tsc writes to dist-types/.
    if ! runs tsc; then
      progress "Type declarations for the builds (tsc)"
      tsc || { count 0 1; progress "FAILED: tsc"; }
    fi
    node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination=artifacts/e2e-results.tap e2e/*.test.mjs
    e2e_rc=$?
    p=$(grep -E '^# pass ' artifacts/e2e-results.tap | awk '{print $3}')
    f=$(grep -E '^# fail ' artifacts/e2e-results.tap | awk '{print $3}')
    s=$(grep -E '^# (skipped|todo) ' artifacts/e2e-results.tap | awk '{s+=$3} END {print s+0}')
    count "${p:-0}" "${f:-0}" "${s:-0}"
    if [ "$e2e_rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then count 0 1; fi
    progress "End-to-end tests took $((SECONDS - started)) s"
  else
    progress "Chromium not found at ${CHROMIUM_PATH:-/usr/bin/chromium}: end-to-end tests skipped (apt-get install chromium)"
  fi
fi

# The adopter test: pack every package, install the tarballs into fixtures/adopter-app (a fresh
# app, not the demo) by the READMEs, start its backend against the sandbox, build its bundle.
if [ "$only" = adopter ] || { [ "$only" = all ] && [ -n "${CI:-}" ]; }; then
  progress "Adopter test: the suite's tarballs installed into a fresh app by the READMEs"
  started=$SECONDS
  node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination=artifacts/adopter-results.tap adopter/*.test.mjs
  adopter_rc=$?
  p=$(grep -E '^# pass ' artifacts/adopter-results.tap | awk '{print $3}')
  f=$(grep -E '^# fail ' artifacts/adopter-results.tap | awk '{print $3}')
  count "${p:-0}" "${f:-0}"
  if [ "$adopter_rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then count 0 1; fi
  progress "Adopter test took $((SECONDS - started)) s"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

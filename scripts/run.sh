#!/usr/bin/env bash
# Runs a command with the repository's Node and dependencies in place: `bash scripts/run.sh tsc`.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
exec "$@"

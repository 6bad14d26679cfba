#!/usr/bin/env bash
# Sourced by every script in this repository. It makes sure that
#   1. a Node.js 22 or 24 is first on PATH: when the system Node is older, the Node 24 binary
#      from the npm registry's node-<platform>-<arch> package (the package that the `node`
#      package itself installs) is unpacked into the git-ignored .tools/ folder, once;
#   2. the workspace dependencies are installed and match package-lock.json (again whenever the
#      lock file, .npmrc, any package.json or the Node version changed since the last install).
# It prints one progress line per slow step, and nothing when there is nothing to do.

set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

progress() { printf '\033[1m[dash]\033[0m %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local want platform arch dir
  want="$(tr -d ' \n' <"$REPO_ROOT/.nvmrc")"
  dir="$REPO_ROOT/.tools/node-v$want"
  if [ -x "$dir/bin/node" ]; then
    export PATH="$dir/bin:$PATH"
  fi
  local major
  major="$(node_major)"
  if [ "$major" -ge 22 ]; then
    return 0
  fi
  command -v npm >/dev/null || { echo "npm is required (any version) to fetch Node $want" >&2; exit 1; }
  case "$(uname -s)" in
    Linux) platform=linux ;;
    Darwin) platform=darwin ;;
    *) echo "Unsupported OS $(uname -s): install Node 22 or 24 yourself" >&2; exit 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "Unsupported CPU $(uname -m): install Node 22 or 24 yourself" >&2; exit 1 ;;
  esac
  progress "System Node is $(node -v 2>/dev/null || echo missing); fetching Node $want (node-$platform-$arch) into .tools/ (once, ~50 MB)"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-$platform-$arch@$want" >/dev/null)
  mkdir -p "$dir"
  tar -xzf "$tmp"/node-"$platform"-"$arch"-*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
  export PATH="$dir/bin:$PATH"
  progress "Using Node $(node -v) from .tools/"
}

install_fingerprint() {
  # Everything that changes what `npm install` installs.
  (
    cd "$REPO_ROOT"
    cat package-lock.json .npmrc package.json packages/*/package.json plugins/*/package.json 2>/dev/null || true
    node -v
  ) |
    sha1sum | cut -d' ' -f1
}

ensure_deps() {
  local stamp="$REPO_ROOT/node_modules/.dash-install-stamp" want
  want="$(install_fingerprint)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  # Two scripts started at once must not run two installs into one node_modules.
  if command -v flock >/dev/null; then
    exec 9>"$REPO_ROOT/.tools/install.lock"
    flock 9
    want="$(install_fingerprint)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
      flock -u 9
      return 0
    fi
  fi
  local started=$SECONDS
  # `npm install`, not `npm ci`: the registry mirror lacks some optional platform binaries
  # (darwin/android builds of @swc/core, rollup, unrs-resolver), so the lock file cannot list
  # them and `npm ci` would call it out of sync. With the lock file present, `npm install`
  # installs exactly what it pins and skips the missing optional packages.
  progress "Installing workspace dependencies (npm install; about 4 minutes on a fresh clone)"
  (cd "$REPO_ROOT" && npm install --no-audit --no-fund --loglevel=error)
  install_fingerprint >"$stamp"
  progress "Dependencies installed in $((SECONDS - started)) s"
  command -v flock >/dev/null && flock -u 9
  return 0
}

ensure_node
mkdir -p "$REPO_ROOT/.tools"
ensure_deps
export PATH="$REPO_ROOT/node_modules/.bin:$PATH"

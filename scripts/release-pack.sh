#!/usr/bin/env bash
# `npm run release:pack`: builds every publishable workspace package (the ones without
# "private": true) and packs each with `npm pack` into artifacts/packages/, the way a release
# would. `npm pack` runs each package's prepack script (`backstage-cli package prepack`), which
# points main/types/exports at dist/ for the tarball and restores package.json afterwards
# (postpack). scripts/check-packs.mjs then opens every tarball and fails when one would not work
# on its own.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
out=artifacts/packages
mapfile -t workspaces < <(node -e '
  const { execSync } = require("node:child_process");
  const list = JSON.parse(execSync("npm query .workspace", { encoding: "utf8" }));
  for (const w of list) if (!w.private) console.log(w.location);
')
if [ "${#workspaces[@]}" -eq 0 ]; then
  echo "release:pack: no publishable workspace package found" >&2
  exit 1
fi
progress "Type declarations (tsc), needed by the package builds"
tsc
# Without --all, `repo build` skips the bundled app and backend, which are not published.
progress "Building packages (backstage-cli repo build)"
backstage-cli repo build
rm -rf "$out"
mkdir -p "$out"
progress "Packing ${#workspaces[@]} packages into $out/"
pack_args=()
for ws in "${workspaces[@]}"; do pack_args+=(--workspace "$ws"); done
npm pack "${pack_args[@]}" --pack-destination "$out" --loglevel=error >/dev/null
node scripts/check-packs.mjs "$out"

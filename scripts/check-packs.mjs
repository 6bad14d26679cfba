#!/usr/bin/env node
// Opens every package tarball in a folder (default artifacts/packages/, written by
// `npm run release:pack`) and checks that each would work once installed on its own, outside
// this repository:
//   - main, module, types, typings, exports, typesVersions and configSchema of the packed
//     package.json point at files inside the tarball (not at src/*.ts left behind);
//   - the package's config.d.ts (or the config.schema.json that prepack compiles it into) and
//     every file under its migrations/ folder are in the tarball;
//   - no TypeScript sources (src/) or test files are shipped;
//   - every package that the built code or types import is a declared dependency, so an
//     adopter's install brings it along.
// Usage: node scripts/check-packs.mjs [folder]. Exit code 1 lists every problem found.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
const packDir = path.resolve(
  process.argv[2] ?? path.join(repoRoot, 'artifacts/packages'),
);

const ENTRY_FIELDS = ['main', 'module', 'types', 'typings'];
const TEST_FILE =
  /(^|\/)(__testUtils__|__fixtures__|__mocks__)\/|\.test\.[cm]?[jt]sx?$|(^|\/)setupTests\.[jt]s$/;
// Bare specifiers in require('x'), import('x'), `from 'x'` and `import 'x'`, as emitted by the
// Backstage build into dist/*.js and dist/*.d.ts.
const IMPORT =
  /(?:\brequire\(\s*|\bimport\(\s*|\bfrom\s+|\bimport\s+)['"]([^'"./][^'"]*)['"]/g;

/** Workspace packages by name, to find the sources a tarball was packed from. */
function readWorkspaces() {
  const rootPkg = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
  );
  const byName = new Map();
  for (const pattern of rootPkg.workspaces ?? []) {
    // The repository's workspaces are all "<folder>/*".
    const parent = path.join(repoRoot, pattern.replace(/\/\*$/, ''));
    if (!fs.existsSync(parent)) continue;
    for (const entry of fs.readdirSync(parent)) {
      const pkgPath = path.join(parent, entry, 'package.json');
      if (!fs.existsSync(pkgPath)) continue;
      const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
      byName.set(pkg.name, path.dirname(pkgPath));
    }
  }
  return byName;
}

function listFiles(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), rel)
      : [rel];
  });
}

/**
 * Every file path an `exports` value can resolve to (conditions and subpaths alike). The
 * `backstage` condition that prepack adds names a feature type, not a file.
 */
function exportTargets(value) {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([key]) => key !== 'backstage')
      .flatMap(([, target]) => exportTargets(target));
  }
  return [];
}

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isBuiltin(name) {
  return name.startsWith('node:') || builtinModules.includes(name);
}

function checkEntryPoints(pkg, has, problems) {
  const targets = ENTRY_FIELDS.filter(
    field => typeof pkg[field] === 'string',
  ).map(field => [field, pkg[field]]);
  for (const target of exportTargets(pkg.exports))
    targets.push(['exports', target]);
  for (const [key, list] of Object.entries(pkg.typesVersions?.['*'] ?? {})) {
    for (const target of list)
      targets.push([`typesVersions["*"].${key}`, target]);
  }
  if (typeof pkg.configSchema === 'string')
    targets.push(['configSchema', pkg.configSchema]);
  for (const [field, target] of targets) {
    if (target.includes('*')) continue;
    const file = path.posix.normalize(target).replace(/^\.\//, '');
    if (/\.tsx?$/.test(file) && !file.endsWith('.d.ts')) {
      problems.push(
        `package.json ${field} points at the TypeScript source ${target}: is the prepack script \`backstage-cli package prepack\` missing?`,
      );
    } else if (!has(file)) {
      const hint = file.startsWith('src/')
        ? ' (TypeScript source: is the prepack script `backstage-cli package prepack` missing?)'
        : '';
      problems.push(
        `package.json ${field} points at ${target}, which is not in the tarball${hint}`,
      );
    }
  }
}

function checkShippedExtras(pkg, sourceDir, has, problems) {
  if (!sourceDir) {
    problems.push(
      `no workspace package named ${pkg.name} found to compare the tarball with`,
    );
    return;
  }
  if (fs.existsSync(path.join(sourceDir, 'config.d.ts'))) {
    const schema =
      typeof pkg.configSchema === 'string' ? pkg.configSchema : undefined;
    if (!has('config.d.ts') && !(schema && has(schema))) {
      problems.push(
        'the package has a config.d.ts, but neither it nor a compiled configSchema is in the tarball: add "config.d.ts" to "files" and "configSchema": "config.d.ts"',
      );
    }
  }
  const migrations = path.join(sourceDir, 'migrations');
  if (fs.existsSync(migrations)) {
    const missing = listFiles(migrations, 'migrations').filter(
      file => !has(file),
    );
    if (missing.length > 0) {
      problems.push(
        `migrations missing from the tarball (add "migrations" to "files"): ${missing.join(
          ', ',
        )}`,
      );
    }
  }
}

function checkNoSources(files, problems) {
  const sources = files.filter(file => file.startsWith('src/'));
  const tests = files.filter(
    file => !file.startsWith('src/') && TEST_FILE.test(file),
  );
  if (sources.length > 0) {
    problems.push(
      `ships TypeScript sources: ${sources.slice(0, 5).join(', ')}${
        sources.length > 5 ? ', …' : ''
      }`,
    );
  }
  if (tests.length > 0) problems.push(`ships test files: ${tests.join(', ')}`);
}

function checkImportsDeclared(pkg, extractedDir, files, problems) {
  const declared = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ]);
  const undeclared = new Map();
  for (const file of files.filter(f =>
    /^dist\/.*\.(?:[cm]?js|d\.ts)$/.test(f),
  )) {
    const text = fs.readFileSync(path.join(extractedDir, file), 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const name = packageNameOf(match[1]);
      if (isBuiltin(name) || declared.has(name) || undeclared.has(name))
        continue;
      undeclared.set(name, file);
    }
  }
  for (const [name, file] of undeclared) {
    problems.push(
      `${file} imports ${name}, which is not in dependencies or peerDependencies`,
    );
  }
}

function checkTarball(tarball, workspaces) {
  const extractedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-packs-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', extractedDir]);
    const root = path.join(extractedDir, 'package');
    const files = listFiles(root);
    const fileSet = new Set(files);
    const has = file => fileSet.has(file);
    const pkg = JSON.parse(
      fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
    );
    const problems = [];
    checkEntryPoints(pkg, has, problems);
    checkShippedExtras(pkg, workspaces.get(pkg.name), has, problems);
    checkNoSources(files, problems);
    checkImportsDeclared(pkg, root, files, problems);
    return {
      name: pkg.name ?? path.basename(tarball),
      fileCount: files.length,
      problems,
    };
  } finally {
    fs.rmSync(extractedDir, { recursive: true, force: true });
  }
}

function main() {
  const tarballs = fs.existsSync(packDir)
    ? fs
        .readdirSync(packDir)
        .filter(file => file.endsWith('.tgz'))
        .sort()
    : [];
  if (tarballs.length === 0) {
    console.error(
      `check-packs: no .tgz files in ${packDir}; run \`npm run release:pack\` first`,
    );
    process.exit(1);
  }
  const workspaces = readWorkspaces();
  let failed = 0;
  for (const tarball of tarballs) {
    const result = checkTarball(path.join(packDir, tarball), workspaces);
    if (result.problems.length === 0) {
      console.log(
        `ok    ${result.name} (${tarball}, ${result.fileCount} files)`,
      );
      continue;
    }
    failed += 1;
    console.error(`FAIL  ${result.name} (${tarball})`);
    for (const problem of result.problems) console.error(`      - ${problem}`);
  }
  if (failed > 0) {
    console.error(
      `check-packs: ${failed} of ${tarballs.length} tarballs would not work on their own`,
    );
    process.exit(1);
  }
  console.log(`check-packs: all ${tarballs.length} tarballs are complete`);
}

main();

// The adopter test (`npm test -- --only adopter`; also part of `npm test` when CI is set): install
// the DASH suite into a fresh Backstage app the way an adopter would, from the tarballs of
// `npm run release:pack`, following the packages' README install sections as a script.
//
// 1. `npm run release:pack` (or the tarballs in ADOPTER_PACKS, a folder, when set).
// 2. Copy fixtures/adopter-app (a minimal create-app layout, published Backstage packages only)
//    to a temporary folder and `npm install` it: the adopter's existing app.
// 3. The README steps: `npm install -w backend …tgz` and `npm install -w app …tgz`, the
//    `backend.add(import(…))` lines, the app feature, the `dash` config keys.
// 4. Start the upstream sandbox and the app's backend (`backstage-cli package start`), sign in
//    as guest, and read `GET /api/dash/timeline` for payments-api until all four sources answer.
// 5. Build the app bundle and check that the DASH tab is in it.
//
// A tarball that does not work alone (a main that points at missing files, an undeclared
// dependency) fails step 3, 4 or 5. Set ADOPTER_KEEP=1 to keep the temporary app.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  freePort,
  guestToken,
  readiness,
  repoRoot,
  startProcess,
  startUpstreamSandbox,
  waitFor,
  waitForEntity,
} from '../e2e/lib/backstage.mjs';

const log = message => process.stderr.write(`[adopter] ${message}\n`);
const minutes = ms => `${(ms / 60_000).toFixed(1)} min`;
const timings = [];
function step(name, fn) {
  const started = Date.now();
  log(`${name}…`);
  const result = fn();
  const done = () => {
    const ms = Date.now() - started;
    timings.push({ name, ms });
    log(`${name}: ${minutes(ms)}`);
  };
  if (result && typeof result.then === 'function')
    return result.then(v => {
      done();
      return v;
    });
  done();
  return result;
}

/** Runs a command in `cwd`, its output shown only when it fails. */
function run(cwd, command, args) {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${
        e.stderr ?? ''
      }`,
    );
  }
}

const BACKEND_PACKAGES = [
  'plugin-dash-backend',
  'plugin-dash-common',
  'plugin-dash-node',
  'plugin-dash-backend-module-pagerduty',
  'plugin-dash-backend-module-github',
  'plugin-dash-backend-module-grafana',
  'plugin-dash-backend-module-kibana',
];
const APP_PACKAGES = ['plugin-dash', 'plugin-dash-common'];
const SOURCES = ['pagerduty', 'github', 'grafana', 'kibana'];
const PAYMENTS = 'component:default/payments-api';

let app; // the temporary copy of the fixture
let packs; // the folder of tarballs
let sandbox;
let backend;

function tarball(name) {
  const file = fs
    .readdirSync(packs)
    .find(
      f =>
        f.startsWith(`dash-suite-${name}-`) &&
        /-\d[^-]*\.tgz$/.test(f.slice(`dash-suite-${name}`.length)),
    );
  assert.ok(file, `release:pack wrote a tarball of @dash-suite/${name}`);
  return path.join(packs, file);
}

before(async () => {
  packs = process.env.ADOPTER_PACKS
    ? path.resolve(process.env.ADOPTER_PACKS)
    : step('npm run release:pack', () => {
        run(repoRoot, 'bash', ['scripts/release-pack.sh']);
        return path.join(repoRoot, 'artifacts', 'packages');
      });
  app = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-adopter-'));
  fs.cpSync(path.join(repoRoot, 'fixtures', 'adopter-app'), app, {
    recursive: true,
  });
  step('npm install (the adopter’s existing app)', () =>
    run(app, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']),
  );
});

after(async () => {
  if (backend) await backend.stop();
  if (sandbox) await sandbox.stop();
  if (app && process.env.ADOPTER_KEEP !== '1')
    fs.rmSync(app, { recursive: true, force: true });
  else if (app) log(`kept the app in ${app}`);
  if (timings.length) {
    const total = timings.reduce((s, t) => s + t.ms, 0);
    log(
      `time taken: ${timings
        .map(t => `${t.name} ${minutes(t.ms)}`)
        .join('; ')}; total ${minutes(total)}`,
    );
  }
});

test('the README install steps put the DASH packages into the app from the tarballs', () => {
  step(
    'README: npm install -w backend (DASH backend, libraries, four sources)',
    () =>
      run(app, 'npm', [
        'install',
        '-w',
        'backend',
        '--loglevel=error',
        ...BACKEND_PACKAGES.map(tarball),
      ]),
  );
  step('README: npm install -w app (DASH frontend and its library)', () =>
    run(app, 'npm', [
      'install',
      '-w',
      'app',
      '--loglevel=error',
      ...APP_PACKAGES.map(tarball),
    ]),
  );
  // packages/backend/src/index.ts: the lines of the DASH backend README.
  const index = path.join(app, 'packages/backend/src/index.ts');
  const adds = [
    'plugin-dash-backend',
    ...BACKEND_PACKAGES.filter(p => p.includes('-module-')),
  ]
    .map(p => `backend.add(import('@dash-suite/${p}'));`)
    .join('\n');
  const source = fs.readFileSync(index, 'utf8');
  assert.match(source, /backend\.start\(\);/);
  fs.writeFileSync(
    index,
    source.replace('backend.start();', `${adds}\n\nbackend.start();`),
  );
  // packages/app/src/App.tsx: the DASH frontend README's "New frontend system".
  const appFile = path.join(app, 'packages/app/src/App.tsx');
  const appSource = fs
    .readFileSync(appFile, 'utf8')
    .replace(
      "import catalogPlugin from '@backstage/plugin-catalog/alpha';",
      "import catalogPlugin from '@backstage/plugin-catalog/alpha';\nimport dashPlugin from '@dash-suite/plugin-dash/alpha';",
    )
    .replace(
      'features: [catalogPlugin]',
      'features: [catalogPlugin, dashPlugin]',
    );
  assert.match(appSource, /dashPlugin\]/);
  fs.writeFileSync(appFile, appSource);
  // Every installed DASH package resolves from the app's own node_modules, from dist/.
  for (const name of new Set([...BACKEND_PACKAGES, ...APP_PACKAGES])) {
    const manifest = JSON.parse(
      fs.readFileSync(
        path.join(app, 'node_modules/@dash-suite', name, 'package.json'),
        'utf8',
      ),
    );
    assert.ok(
      !String(manifest.main).startsWith('src/'),
      `@dash-suite/${name} points main at ${manifest.main}: the tarball must point it at dist/ (prepack)`,
    );
  }
});

test('the app’s backend serves GET /api/dash/timeline with events from all four sources', async () => {
  sandbox = await startUpstreamSandbox();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // The README's config keys: each source's allow-list for the demo's annotations (the
  // sandbox's config file adds the upstreams' URLs and tokens).
  const dashConfig = path.join(app, 'app-config.dash.yaml');
  fs.writeFileSync(
    dashConfig,
    JSON.stringify({
      backend: { baseUrl, listen: { port, host: '127.0.0.1' } },
      dash: {
        sources: {
          github: { host: 'github.com', allow: { repositories: ['acme/*'] } },
          pagerduty: { allow: { services: ['PPAYAPI'] } },
          grafana: {
            allow: {
              tags: ['payments-api'],
              alertLabels: ['service=payments-api'],
            },
          },
          kibana: { allow: { indexPatterns: ['logs-payments-*'] } },
        },
      },
    }),
  );
  backend = await step(
    'start the app’s backend (backstage-cli package start)',
    () =>
      startBackend(baseUrl, [
        path.join(app, 'app-config.yaml'),
        dashConfig,
        sandbox.configFile,
      ]),
  );
  await waitForEntity(baseUrl, 'component', 'payments-api');
  const token = await guestToken(baseUrl);
  const timeline = await step('first timeline with all four sources', () =>
    waitFor(
      'a timeline of payments-api with events from all four sources',
      async () => {
        const res = await fetch(
          `${baseUrl}/api/dash/timeline?entityRef=${encodeURIComponent(
            PAYMENTS,
          )}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        assert.equal(
          res.status,
          200,
          `GET /api/dash/timeline answered ${res.status}`,
        );
        const body = await res.json();
        const sources = new Set(body.events.map(e => e.source));
        return SOURCES.every(s => sources.has(s)) ? body : undefined;
      },
      120_000,
      2_000,
    ),
  );
  for (const source of SOURCES) {
    assert.equal(
      timeline.sources.find(s => s.id === source)?.status,
      'ok',
      `${source} is ok on the adopter's timeline`,
    );
  }
  assert.ok(
    timeline.events.some(
      e => e.kind === 'incident' && e.source === 'pagerduty',
    ),
    'the payments incident is on the timeline',
  );
});

test('the app bundle builds with the DASH tab in it', () => {
  step('build the app bundle (backstage-cli package build)', () =>
    run(
      path.join(app, 'packages/app'),
      path.join(app, 'node_modules/.bin/backstage-cli'),
      ['package', 'build'],
    ),
  );
  const staticDir = path.join(app, 'packages/app/dist/static');
  const bundle = fs
    .readdirSync(staticDir)
    .filter(f => f.endsWith('.js'))
    .map(f => fs.readFileSync(path.join(staticDir, f), 'utf8'))
    .join('\n');
  // The tab's extension and words only the DASH frontend has.
  assert.ok(
    bundle.includes('Likely causes'),
    'the DASH timeline is in the bundle',
  );
  assert.ok(
    bundle.includes('/api/dash') || bundle.includes('"dash"'),
    'the DASH API client is in the bundle',
  );
});

/** Starts the app's backend with `backstage-cli package start` and waits until it is ready. */
function startBackend(baseUrl, configs) {
  return startProcess(
    'the adopter backend',
    path.join(app, 'node_modules/.bin/backstage-cli'),
    ['package', 'start', ...configs.flatMap(c => ['--config', c])],
    {
      cwd: path.join(app, 'packages/backend'),
      env: { ...process.env, NODE_ENV: 'development' },
      ready: () => readiness(baseUrl),
      timeoutMs: 180_000,
    },
  );
}

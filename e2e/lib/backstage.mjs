// Helpers for the end-to-end tests: build the app and backend, start the backend serving the
// app bundle on a free loopback port, wait for the demo catalog, and drive Debian's Chromium
// through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
export const artifactsDir = path.join(repoRoot, 'artifacts', 'e2e');
const bin = path.join(repoRoot, 'node_modules', '.bin');

export function log(message) {
  process.stderr.write(`[e2e] ${message}\n`);
}

/**
 * Set E2E_APP_URL (and E2E_BACKEND_URL when it differs) to run the tests against an instance
 * that is already running, such as `npm start`'s (http://localhost:3000, http://localhost:7007).
 */
const runningApp = process.env.E2E_APP_URL;
const runningBackend = process.env.E2E_BACKEND_URL ?? runningApp;

/**
 * Builds the app bundle and the backend, unless E2E_SKIP_BUILD=1 or E2E_APP_URL is set. A test
 * that needs no browser passes `{ app: false }` (the backend then serves the API only).
 */
export function buildAll({ app = true } = {}) {
  if (process.env.E2E_SKIP_BUILD === '1' || runningApp) return;
  for (const pkg of app ? ['app', 'backend'] : ['backend']) {
    const started = Date.now();
    log(`building packages/${pkg}`);
    execFileSync(
      path.join(bin, 'backstage-cli'),
      ['package', 'build'].concat(
        pkg === 'backend' ? ['--role', 'node-library'] : [],
      ),
      {
        cwd: path.join(repoRoot, 'packages', pkg),
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    log(
      `built packages/${pkg} in ${((Date.now() - started) / 1000).toFixed(
        1,
      )} s`,
    );
  }
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Polls fn until it returns a truthy value; bounded by timeoutMs. */
export async function waitFor(what, fn, timeoutMs = 120_000, intervalMs = 500) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${
      lastError ? `: ${lastError}` : ''
    }`,
  );
}

/**
 * How long a stopping process may take before its group is killed. A Backstage backend in
 * production mode lets the requests in flight finish when it stops (the events bus's long polls
 * among them) and was seen still running 10 s after SIGTERM; what the tests and benchmarks wrote
 * is committed by then.
 */
const STOP_GRACE_MS = 3_000;

/**
 * Spawns a long-running process in its own process group, keeping the tail of its output.
 * `ready()` is polled (it may throw) until it returns truthy, or the process exits, or
 * `timeoutMs` passes; then the whole group is stopped and the error carries the output.
 * Returns { output, stop }.
 */
export async function startProcess(
  what,
  command,
  args,
  { cwd, env = process.env, ready, timeoutMs = 120_000, intervalMs = 500 },
) {
  const output = [];
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const keep = chunk => {
    output.push(chunk.toString());
    if (output.length > 2000) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await waitFor(`${what} to stop`, () => exited, STOP_GRACE_MS, 100).catch(
      () => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      },
    );
  };
  try {
    await waitFor(
      `${what} to be ready`,
      async () => {
        if (exited) throw new Error(`${what} exited`);
        return ready(output.join(''));
      },
      timeoutMs,
      intervalMs,
    );
  } catch (e) {
    await stop();
    throw new Error(
      `${e.message}\n--- output of ${what} ---\n${output
        .join('')
        .slice(-6000)}`,
    );
  }
  return { output, stop };
}

/**
 * Starts the built backend (which also serves the built app) on a free loopback port with the
 * e2e config overlay. Returns { baseUrl, backendUrl, stop, output }.
 */
export async function startBackstage({ extraConfig = [] } = {}) {
  if (runningApp) {
    log(
      `using the running instance at ${runningApp} (backend ${runningBackend})`,
    );
    return {
      baseUrl: runningApp,
      backendUrl: runningBackend,
      stop: async () => {},
      output: [],
    };
  }
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-e2e-'));
  const portConfig = path.join(dir, 'app-config.port.yaml');
  fs.writeFileSync(
    portConfig,
    [
      'app:',
      `  baseUrl: ${baseUrl}`,
      'backend:',
      `  baseUrl: ${baseUrl}`,
      '  listen:',
      `    port: ${port}`,
      '    host: 127.0.0.1',
      '  cors:',
      `    origin: ${baseUrl}`,
      '',
    ].join('\n'),
  );
  const configs = [
    path.join(repoRoot, 'app-config.yaml'),
    path.join(repoRoot, 'e2e', 'app-config.e2e.yaml'),
    portConfig,
    ...extraConfig,
  ];
  const { output, stop } = await startProcess(
    'the backend',
    process.execPath,
    [
      '--require',
      path.join(
        repoRoot,
        'node_modules/@backstage/cli/config/nodeTransform.cjs',
      ),
      'dist/index.cjs.js',
      ...configs.flatMap(c => ['--config', c]),
    ],
    {
      cwd: path.join(repoRoot, 'packages', 'backend'),
      env: { ...process.env, NODE_ENV: 'production' },
      ready: () => readiness(baseUrl),
    },
  );
  return { baseUrl, backendUrl: baseUrl, stop, output };
}

/** Whether a Backstage backend at `baseUrl` says it is ready. */
export async function readiness(baseUrl) {
  const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
  return res.ok;
}

/** A guest token from the backend's guest provider. */
export async function guestToken(baseUrl) {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`);
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

/** Waits until the catalog has ingested the given entity. */
export async function waitForEntity(baseUrl, kind, name) {
  const token = await guestToken(baseUrl);
  return waitFor(`${kind}:${name} in the catalog`, async () => {
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/${kind}/default/${name}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    return res.ok ? res.json() : undefined;
  });
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens a page in a fresh context and signs in as guest. Returns once the sign-in page is gone:
 * the guest session (and its refresh cookie) is then set, so the caller may navigate with
 * `page.goto` (a navigation during the sign-in would abort it and land on the sign-in page).
 */
export async function signedInPage(browser, baseUrl, urlPath) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`${baseUrl}${urlPath}`);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click({ timeout: 60_000 });
  await enter.waitFor({ state: 'detached', timeout: 60_000 });
  return page;
}

export function screenshotPath(name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, name);
}

/**
 * Starts the upstream sandbox (demo scenario) on a free block of eight loopback ports, and writes
 * a config overlay that points the DASH sources at it. With E2E_APP_URL set (a running
 * `npm start`), uses that instance's sandbox instead (E2E_SANDBOX_URL, default
 * http://127.0.0.1:7100). Returns { adminUrl, configFile, stop }.
 */
export async function startUpstreamSandbox() {
  if (runningApp) {
    return {
      adminUrl: process.env.E2E_SANDBOX_URL ?? 'http://127.0.0.1:7100',
      configFile: undefined,
      stop: async () => {},
    };
  }
  let base;
  for (let attempt = 0; attempt < 50 && base === undefined; attempt++) {
    const candidate = 20000 + Math.floor(Math.random() * 30000);
    const free = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6, 7].map(
        i =>
          new Promise(resolve => {
            const server = net.createServer();
            server.once('error', () => resolve(false));
            server.listen(candidate + i, '127.0.0.1', () =>
              server.close(() => resolve(true)),
            );
          }),
      ),
    );
    if (free.every(Boolean)) base = candidate;
  }
  if (base === undefined)
    throw new Error('No free block of eight ports for the sandbox');
  const { stop } = await startProcess(
    'the sandbox',
    process.execPath,
    [
      path.join(repoRoot, 'packages/upstream-sandbox/bin/upstream-sandbox'),
      '--scenario',
      'demo',
      '--port',
      String(base),
    ],
    {
      cwd: repoRoot,
      ready: output => output.includes('sandbox ready'),
      timeoutMs: 60_000,
      intervalMs: 100,
    },
  );
  const url = offset => `http://127.0.0.1:${base + offset}`;
  const configFile = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'dash-e2e-sandbox-')),
    'app-config.sandbox.yaml',
  );
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      integrations: {
        github: [
          {
            host: 'github.com',
            apiBaseUrl: url(2),
            token: 'sandbox-github-token',
          },
        ],
      },
      dash: {
        sources: {
          pagerduty: { apiBaseUrl: url(1), token: 'sandbox-pagerduty-token' },
          grafana: { baseUrl: url(3), token: 'sandbox-grafana-token' },
          kibana: {
            elasticsearch: {
              node: url(5),
              apiKey: 'sandbox-elasticsearch-token',
            },
            kibana: { baseUrl: url(4), apiKey: 'sandbox-kibana-token' },
          },
          slack: { baseUrl: `${url(6)}/api`, token: 'sandbox-slack-token' },
        },
      },
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'demo',
                url: url(7),
                authProvider: 'serviceAccount',
                serviceAccountToken: 'sandbox-kubernetes-token',
                skipTLSVerify: true,
              },
            ],
          },
        ],
      },
      // Project Catalog: discovery's PagerDuty and page on-call's Events API v2.
      projectCatalog: {
        discovery: {
          pagerduty: {
            apiBaseUrl: url(1),
            token: 'sandbox-pagerduty-token',
          },
        },
        onCall: { eventsBaseUrl: url(1) },
      },
    }),
  );
  log(`upstream sandbox on 127.0.0.1:${base}-${base + 7}`);
  return { adminUrl: url(0), configFile, stop };
}

/** The sandbox's request log (admin `GET /requests`), filtered by upstream and route. */
export async function sandboxRequests(adminUrl, filter = {}) {
  const query = new URLSearchParams(filter).toString();
  const res = await fetch(`${adminUrl}/requests${query ? `?${query}` : ''}`);
  if (!res.ok) throw new Error(`sandbox /requests answered ${res.status}`);
  return res.json();
}

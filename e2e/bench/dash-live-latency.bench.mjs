// Benchmark (not a test): how long a new upstream event takes to reach the screen in the DASH
// tab's live mode, with Backstage Signals (push) and without (polling). The real thing end to
// end: the upstream sandbox, the built backend serving the built app, headless Chromium.
//
// Each round waits a random part of its mode's period (so that the event falls anywhere in it:
// 0-2 s with Signals, the live watch's interval; 0-15 s without, the poll period), starts
// the sandbox's live story on checkout-api (`POST /replay`: a GitHub deployment "Deploy v3.9.N
// to production", visible upstream at once) and times until that deployment's row is on screen
// in the already open tab. With Signals the backend's live watch refreshes the watched entity's
// feeds every `dash.refresh.liveWatch.intervalSeconds` (2) and signals the tab; without, the
// tab polls every 15 s, and a poll that finds a feed older than three quarters of
// `dash.refresh.liveFreshnessSeconds` (15) refreshes it before it answers.
// "Without Signals" is the same backend with the app's Signals API turned off
// (`app.extensions: api:signals: false`): the tab then polls exactly as before Signals.
//
// Writes artifacts/bench/dash-live-latency.md. Run by `npm run bench` when Chromium is
// installed, or: bash scripts/run.sh node e2e/bench/dash-live-latency.bench.mjs
// (E2E_SKIP_BUILD=1 to reuse built packages; BENCH_ROUNDS rounds per mode, default 3 to keep
// `npm run bench` short; the figures in plugins/dash's README are from 10).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {
  buildAll,
  launchBrowser,
  log,
  repoRoot,
  signedInPage,
  startBackstage,
  startUpstreamSandbox,
  waitForEntity,
} from '../lib/backstage.mjs';

const ROUNDS = Math.max(1, Math.min(20, Number(process.env.BENCH_ROUNDS) || 3));
const POLL_PERIOD_MS = 15_000;
/** `dash.refresh.liveWatch.intervalSeconds` (its default, 2): the refresh period with Signals. */
const LIVE_WATCH_INTERVAL_MS = 2_000;
/** A row not on screen this long after its event counts as a failure of the round. */
const ROW_TIMEOUT_MS = 90_000;
const ENTITY = 'checkout-api';
const REF = `component:default/${ENTITY}`;

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const seconds = ms => `${(ms / 1000).toFixed(1)} s`;
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** A config overlay that turns the app's Signals API off (the list replaces app-config.yaml's). */
function withoutSignalsConfig() {
  const base = YAML.parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'dash-bench-')),
    'app-config.no-signals.yaml',
  );
  fs.writeFileSync(
    file,
    JSON.stringify({
      app: {
        extensions: [...(base.app?.extensions ?? []), { 'api:signals': false }],
      },
    }),
  );
  return file;
}

async function admin(adminUrl, method, route, body) {
  const res = await fetch(`${adminUrl}${route}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`sandbox ${method} ${route}: ${res.status}`);
  return res.json();
}

/** Upstream calls per upstream since the last reset (the sandbox's counters). */
async function upstreamCalls(adminUrl) {
  const counters = await admin(adminUrl, 'GET', '/counters');
  return Object.fromEntries(
    Object.entries(counters).map(([upstream, routes]) => [
      upstream,
      Object.values(routes).reduce((a, b) => a + b, 0),
    ]),
  );
}

/** `periodMs`: each round starts at a random point of it (the refresh period of the mode). */
async function measureMode(label, sandbox, extraConfig, periodMs) {
  const backstage = await startBackstage({
    extraConfig: [sandbox.configFile, ...extraConfig].filter(Boolean),
  });
  const browser = await launchBrowser();
  try {
    await waitForEntity(backstage.backendUrl, 'component', ENTITY);
    const page = await signedInPage(browser, backstage.baseUrl, '/catalog');
    let signalsSocket = false;
    page.on('websocket', ws => {
      if (ws.url().includes('/api/signals')) signalsSocket = true;
    });
    await page.goto(
      `${backstage.baseUrl}/catalog/default/component/${ENTITY}/dash?live=1`,
    );
    try {
      await page.getByRole('option').first().waitFor({ timeout: 60_000 });
    } catch (e) {
      // Say what the tab showed instead of its rows (an error, a source state, an empty window).
      const shown = await page
        .locator('main')
        .innerText({ timeout: 5_000 })
        .catch(() => '(no main element)');
      throw new Error(
        `${label}: no event row on the DASH tab after 60 s; the page showed:\n${shown.slice(
          0,
          2000,
        )}`,
        { cause: e },
      );
    }
    // Let the first live answers, the cold refreshes and the WebSocket settle (the live watch
    // refreshes every 2 s, the first polls come within the first seconds).
    await sleep(5_000);
    const note = await page
      .getByTestId('live-note')
      .textContent()
      .catch(() => '');
    await admin(sandbox.adminUrl, 'DELETE', '/requests');
    const phaseStarted = Date.now();
    const times = [];
    for (let round = 0; round < ROUNDS; round++) {
      await sleep(Math.floor(Math.random() * periodMs));
      const started = Date.now();
      // One hour steps: only the story's first step (the deployment and what goes with it)
      // happens during the bench.
      const replay = await admin(sandbox.adminUrl, 'POST', '/replay', {
        stepMs: 3_600_000,
      });
      const title = JSON.stringify(replay).match(
        /Deploy v3\.9\.\d+ to production/,
      )?.[0];
      if (!title) throw new Error('the live story has no deployment step');
      // Checked at every animation frame (a locator's wait polls every 500 ms after its first
      // second, which would round the figures up to the next half second).
      await page.waitForFunction(
        text =>
          [...document.querySelectorAll('[role="option"]')].some(row =>
            row.textContent?.includes(text),
          ),
        title,
        { polling: 'raf', timeout: ROW_TIMEOUT_MS },
      );
      const elapsed = Date.now() - started;
      times.push(elapsed);
      log(`${label}, round ${round}: "${title}" on screen after ${elapsed} ms`);
    }
    const minutes = (Date.now() - phaseStarted) / 60_000;
    const calls = await upstreamCalls(sandbox.adminUrl);
    const perMinute = Object.entries(calls)
      .filter(([, n]) => n > 0)
      .map(([u, n]) => `${u} ${Math.round(n / minutes)}`)
      .join(', ');
    return { times, note, signalsSocket, perMinute };
  } finally {
    await browser.close();
    await backstage.stop();
  }
}

async function main() {
  buildAll();
  const sandbox = await startUpstreamSandbox();
  try {
    const push = await measureMode(
      'with Signals',
      sandbox,
      [],
      LIVE_WATCH_INTERVAL_MS,
    );
    const polling = await measureMode(
      'without Signals',
      sandbox,
      [withoutSignalsConfig()],
      POLL_PERIOD_MS,
    );
    const row = (label, r) =>
      `| ${label} | ${seconds(median(r.times))} | ${seconds(
        Math.max(...r.times),
      )} | ${r.times.map(t => (t / 1000).toFixed(1)).join(', ')} | ${
        r.note || '(none)'
      } | ${r.signalsSocket ? 'yes' : 'no'} | ${r.perMinute || 'none'} |`;
    const lines = [
      '# DASH live mode: event to screen',
      '',
      `Command: \`bash scripts/run.sh node e2e/bench/dash-live-latency.bench.mjs\` (also run by \`npm run bench\`), ${new Date().toISOString()}, headless Chromium, ${
        os.cpus().length
      } CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(
        os.totalmem() / 2 ** 30,
      )} GB, Node ${process.version}.`,
      '',
      `The DASH tab of ${REF} open in live mode; each round waits a random part of its mode's refresh period (0-2 s with Signals, 0-15 s without), starts the sandbox's live story (a GitHub deployment, upstream at once) and times until its row is on screen (checked at every animation frame). ${ROUNDS} rounds per mode. The figure includes the backend's upstream fetch: with Signals the backend refreshes the watched entity's feeds every 2 s (\`dash.refresh.liveWatch.intervalSeconds\`) and signals the tab when a refresh stored something new; without, the tab polls every 15 s and a poll that finds a feed older than three quarters of \`dash.refresh.liveFreshnessSeconds\` (15) refreshes it before it answers, so the event is shown by the first poll after it.`,
      '',
      '| Mode | Median | Max | Each round (s) | Toolbar says | Signals WebSocket opened | Upstream calls per minute during the rounds |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      row('With Signals (push)', push),
      row('Without Signals (app without the Signals API: polling)', polling),
      '',
      'Goal: under 3 s with Signals, against the 15 s poll period.',
      '',
    ];
    const out = path.join(repoRoot, 'artifacts/bench/dash-live-latency.md');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, lines.join('\n'));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await sandbox.stop();
  }
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});

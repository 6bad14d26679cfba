// Benchmark (not a test): first paint of the DASH tab with 10,000 events in the window, in
// headless Chromium. The backend's timeline answer is replaced by a generated one (through
// Playwright routing) so that only the browser's work is measured. Writes
// artifacts/bench/dash-frontend.md. Run by `npm run bench` when Chromium is installed, or:
//   node e2e/bench/dash-first-paint.bench.mjs   (E2E_SKIP_BUILD=1 to reuse built packages)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildAll,
  launchBrowser,
  log,
  repoRoot,
  signedInPage,
  startBackstage,
  waitForEntity,
} from '../lib/backstage.mjs';

const EVENTS = 10_000;
const ROUNDS = 7;
const REF = 'component:default/payments-api';

function generatedTimeline(now) {
  const from = now - 24 * 3600_000;
  const sources = ['pagerduty', 'github', 'grafana', 'kibana'];
  const kinds = {
    pagerduty: 'incident',
    github: 'commit',
    grafana: 'alert',
    kibana: 'log-spike',
  };
  const severities = ['info', 'info', 'info', 'warning', 'error', 'critical'];
  const events = Array.from({ length: EVENTS }, (_, i) => {
    const source = sources[i % 4];
    return {
      id: `${source}:bench-${i}`,
      source,
      kind: kinds[source],
      title: `Generated ${kinds[source]} ${i}`,
      severity: severities[i % severities.length],
      startTime: new Date(
        from + Math.floor((i * 24 * 3600_000) / EVENTS),
      ).toISOString(),
      entityRef: REF,
      attributes: { n: i },
    };
  });
  return {
    entityRefs: [REF],
    dependencyRefs: [],
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
    events,
    relatedEvents: [],
    sources: sources.map(id => ({
      id,
      title: id,
      entityRef: REF,
      status: 'ok',
      fetchedAt: new Date(now).toISOString(),
    })),
    correlations: [],
    generatedAt: new Date(now).toISOString(),
  };
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  buildAll();
  const backstage = await startBackstage();
  const browser = await launchBrowser();
  try {
    await waitForEntity(backstage.backendUrl, 'component', 'payments-api');
    const now = Date.now();
    const body = JSON.stringify(generatedTimeline(now));
    const page = await signedInPage(browser, backstage.baseUrl, '/catalog');
    await page
      .context()
      .route('**/api/dash/timeline?**', route =>
        route.fulfill({ body, contentType: 'application/json' }),
      );
    const url = `${
      backstage.baseUrl
    }/catalog/default/component/payments-api/dash?from=${new Date(
      now - 24 * 3600_000,
    ).toISOString()}&to=${new Date(now).toISOString()}`;
    const entityPage = `${backstage.baseUrl}/catalog/default/component/payments-api`;
    const measure = async (label, go) => {
      const times = [];
      let rows = 0;
      for (let round = 0; round < ROUNDS + 1; round++) {
        await page.goto(entityPage);
        await page
          .getByRole('tab', { name: 'Overview' })
          .or(
            page
              .locator('main')
              .getByRole('link', { name: 'Overview', exact: true }),
          )
          .first()
          .waitFor({ timeout: 60_000 });
        const started = Date.now();
        await go();
        await page.getByRole('option').first().waitFor({ timeout: 60_000 });
        const elapsed = Date.now() - started;
        rows = Math.max(rows, await page.getByRole('option').count());
        // The first round warms the browser's caches.
        if (round > 0) times.push(elapsed);
        log(`${label}, round ${round}: first event row after ${elapsed} ms`);
      }
      return { times, rows };
    };
    // The engineer's path: on the service's page, open the DASH tab.
    const tab = await measure('tab click', () =>
      // The entity page's tab, not the sidebar's link to the DASH page.
      page
        .getByRole('tab', { name: 'DASH' })
        .or(
          page.locator('main').getByRole('link', { name: 'DASH', exact: true }),
        )
        .first()
        .click(),
    );
    // A link pasted in Slack: a full page load of the tab (the app boots, signs in, loads the entity).
    const load = await measure('page load', () => page.goto(url));
    const lines = [
      '# DASH frontend benchmark',
      '',
      `Command: \`node e2e/bench/dash-first-paint.bench.mjs\` (also run by \`npm run bench\`), ${new Date().toISOString()}, headless Chromium, ${
        os.cpus().length
      } CPUs.`,
      '',
      `The DASH tab of payments-api with ${EVENTS.toLocaleString(
        'en-US',
      )} events in a 24 h window (a generated timeline answer served through Playwright routing, so the backend's time is not in the figure). Time to the first event row on screen, ${ROUNDS} rounds after one warm-up each:`,
      '',
      '| Path | Median | Each round | Event rows in the DOM |',
      '| --- | --- | --- | --- |',
      `| On the service's page, click the DASH tab | ${median(
        tab.times,
      )} ms | ${tab.times.join(', ')} ms | ${tab.rows} at most |`,
      `| Open a link to the tab (full page load: the app boots, signs in, loads the entity) | ${median(
        load.times,
      )} ms | ${load.times.join(', ')} ms | ${load.rows} at most |`,
      '',
      `Target: first paint under 1 s, at most a few hundred rows in the DOM.`,
      '',
    ];
    const out = path.join(repoRoot, 'artifacts/bench/dash-frontend.md');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, lines.join('\n'));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await browser.close();
    await backstage.stop();
  }
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});

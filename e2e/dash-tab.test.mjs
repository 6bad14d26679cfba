// The DASH tab and the DASH page in headless Chromium, with the backend fed by the upstream
// sandbox's demo scenario (or, with E2E_APP_URL, against a running `npm start`):
// - the tab's frame (timeline controls, source status, refresh, window in the URL, UTC);
// - the demo incident on payments-api, selected, with its causing deploy ranked first, as the
//   sandbox's ground truth says (artifacts/e2e/dash-demo-incident.png); likewise the early-onset
//   and flag-turned-off stories (dash-early-onset.png, dash-flag-turned-off.png);
// - payments-api's Slack lane (the pinned "Rolling back v2.14.0" of the incident channel) and
//   Kubernetes lane (the v2.14.0 rollout) (artifacts/e2e/dash-slack-kubernetes.png);
// - the DASH page with the guest's teams' services;
// - a canned /api/dash/timeline answer, to check lanes, likely causes and the keyboard on known
//   data (artifacts/e2e/dash-canned.png).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildAll,
  guestToken,
  launchBrowser,
  screenshotPath,
  signedInPage,
  startBackstage,
  startUpstreamSandbox,
  waitFor,
  waitForEntity,
} from './lib/backstage.mjs';

let backstage;
let browser;
let sandbox;

before(
  async () => {
    buildAll();
    sandbox = await startUpstreamSandbox();
    backstage = await startBackstage({
      extraConfig: sandbox.configFile ? [sandbox.configFile] : [],
    });
    browser = await launchBrowser();
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser?.close();
  await backstage?.stop();
  await sandbox?.stop();
});

/** Waits until the timeline has settled into one of its states: events, empty, or an error. */
async function settled(page) {
  await page
    .locator(
      '[role="listbox"], [role="status"]:has-text("No events"), :text("Could not load the DASH timeline")',
    )
    .first()
    .waitFor({ timeout: 60_000 })
    .catch(() => {
      // Still loading after a minute: the screenshot will show it.
    });
}

test(
  'the DASH tab of a demo component shows the timeline frame',
  { timeout: 180_000 },
  async () => {
    await waitForEntity(backstage.backendUrl, 'component', 'payments-api');
    const page = await signedInPage(
      browser,
      backstage.baseUrl,
      '/catalog/default/component/payments-api/dash',
    );
    try {
      const controls = page.getByRole('group', { name: 'Timeline controls' });
      await controls.waitFor({ timeout: 60_000 });
      // The tab itself is offered (payments-api carries source annotations).
      await page
        .getByRole('tab', { name: 'DASH' })
        .or(page.getByRole('link', { name: 'DASH', exact: true }))
        .first()
        .waitFor({ timeout: 30_000 });
      for (const name of ['Last 1 h', 'Last 6 h', 'Last 24 h', 'Last 7 d']) {
        assert.ok(await controls.getByRole('button', { name }).isVisible());
      }
      assert.ok(
        await controls.getByRole('checkbox', { name: 'Live' }).isVisible(),
      );
      const status = page.getByRole('region', { name: 'Source status' });
      await status.waitFor({ timeout: 30_000 });
      assert.ok(
        await status
          .getByRole('button', { name: 'Refresh sources' })
          .isVisible(),
      );
      // The window is in the link, so that a copied URL opens the same view.
      const url = new URL(page.url());
      assert.ok(url.searchParams.get('from'), `no window in ${page.url()}`);
      assert.ok(url.searchParams.get('to'));
      // Local time or UTC: the choice sticks within the session.
      await controls.getByRole('button', { name: 'UTC' }).click();
      await page.getByText(/ UTC$/).first().waitFor({ timeout: 10_000 });
      await settled(page);
    } finally {
      await page.screenshot({
        path: screenshotPath('dash-tab.png'),
        fullPage: true,
      });
    }
  },
);

/**
 * A demo story's incident, selected in the DASH tab of its component: the backend ranks the
 * story's cause first (`causeId` of the sandbox's ground truth), and the tab shows that change as
 * likely cause 1 (a screenshot under artifacts/e2e/`screenshot`).
 */
async function checkFirstLikelyCause({ storyId, causeId, screenshot }) {
  const scenario = await (await fetch(`${sandbox.adminUrl}/scenario`)).json();
  const story = scenario.stories.find(s => s.id === storyId);
  assert.ok(story?.incident, `the sandbox tells the ${storyId} story`);
  const name = story.entityRef.replace(/^component:default\//, '');
  await waitForEntity(backstage.backendUrl, 'component', name);

  // What the backend ranks, and that it is the story's ground truth.
  const token = await guestToken(backstage.backendUrl);
  const api = await (
    await fetch(
      `${backstage.backendUrl}/api/dash/timeline?entityRef=${story.entityRef}`,
      { headers: { authorization: `Bearer ${token}` } },
    )
  ).json();
  const incident = api.events.find(
    e =>
      e.kind === 'incident' && e.id.endsWith(`:${story.incident.pagerdutyId}`),
  );
  assert.ok(incident, `the ${storyId} incident is on the timeline`);
  const correlation = api.correlations.find(c => c.eventId === incident.id);
  const top = [...api.events, ...api.relatedEvents].find(
    e => e.id === correlation.candidates[0]?.eventId,
  );
  assert.equal(
    top?.id,
    causeId(story),
    `the backend ranks "${top?.title}" first for ${storyId}`,
  );

  const page = await signedInPage(
    browser,
    backstage.baseUrl,
    `/catalog/default/component/${name}/dash`,
  );
  try {
    const list = page.getByRole('listbox', { name: /Events, newest first/ });
    await list.waitFor({ timeout: 90_000 });
    // Find it the way an engineer would: search for its title, then pick the incident itself
    // (PagerDuty's log entries repeat the title).
    await page.getByLabel('Search event titles').fill(incident.title);
    await list
      .getByRole('option')
      .filter({ hasText: incident.title })
      .filter({ hasText: 'Incident' })
      .first()
      .click();
    const causes = page.getByRole('region', { name: 'Likely causes' });
    const first = causes.getByRole('listitem', { name: /^Likely cause 1:/ });
    await first.waitFor({ timeout: 30_000 });
    const label = await first.getAttribute('aria-label');
    assert.ok(
      label.includes(top.title),
      `the first likely cause shown is "${label}", the backend ranks "${top.title}" first`,
    );
    await page.getByTestId('lookback-window').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('event'), incident.id);
  } finally {
    await page.screenshot({ path: screenshotPath(screenshot), fullPage: true });
  }
}

const deploymentId = story =>
  `github:${story.cause.githubSlug}:deployment:${story.cause.id}`;

test(
  'the demo incident on payments-api: its causing deploy is ranked first',
  { timeout: 240_000 },
  () =>
    checkFirstLikelyCause({
      storyId: 'payments-bad-deploy',
      causeId: deploymentId,
      screenshot: 'dash-demo-incident.png',
    }),
);

test(
  'notification-service, errors long before the page: the deploy before the onset is ranked first, not the one after it',
  { timeout: 240_000 },
  () =>
    checkFirstLikelyCause({
      storyId: 'early-onset',
      causeId: deploymentId,
      screenshot: 'dash-early-onset.png',
    }),
);

test(
  'web-storefront, a flag turned back off: the flag turned on is ranked first',
  { timeout: 240_000 },
  () =>
    checkFirstLikelyCause({
      storyId: 'flag-turned-off',
      causeId: story => `pagerduty:change:${story.cause.id}`,
      screenshot: 'dash-flag-turned-off.png',
    }),
);

/** GET /api/dash/timeline of payments-api as the guest. */
async function paymentsTimeline(token) {
  const res = await fetch(
    `${backstage.backendUrl}/api/dash/timeline?entityRef=component:default/payments-api`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  assert.equal(res.status, 200);
  return res.json();
}

test(
  'payments-api: the pinned Slack message and the Kubernetes rollout of v2.14.0 are on the tab',
  { timeout: 240_000 },
  async () => {
    await waitForEntity(backstage.backendUrl, 'component', 'payments-api');
    const token = await guestToken(backstage.backendUrl);
    // The incident channel is found through PagerDuty's incident, so it is read from the Slack
    // refresh after PagerDuty's first one: ask for refreshes until the pinned message is in.
    const { message, rollout } = await waitFor(
      'the pinned "Rolling back v2.14.0" message and the v2.14.0 rollout',
      async () => {
        const api = await paymentsTimeline(token);
        const found = {
          message: api.events.find(
            e =>
              e.source === 'slack' &&
              e.kind === 'message' &&
              e.attributes.pinned &&
              /Rolling back v2\.14\.0/.test(e.title),
          ),
          rollout: api.events.find(
            e =>
              e.source === 'kubernetes' &&
              e.kind === 'deploy' &&
              e.attributes.version === 'v2.14.0',
          ),
        };
        if (found.message && found.rollout) return found;
        await fetch(`${backstage.backendUrl}/api/dash/refresh`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            entityRef: 'component:default/payments-api',
          }),
        });
        return undefined;
      },
      150_000,
      3_000,
    );
    assert.match(message.url, /^https:\/\//, 'the message links to Slack');
    assert.ok(message.actor?.name, 'the message names its author');

    const page = await signedInPage(
      browser,
      backstage.baseUrl,
      '/catalog/default/component/payments-api/dash',
    );
    try {
      const list = page.getByRole('listbox', { name: /Events, newest first/ });
      await list.waitFor({ timeout: 90_000 });
      const search = page.getByLabel('Search event titles');
      // The Slack message: its lane's source, kind and author, and its text in the details.
      await search.fill('Rolling back v2.14.0');
      const messageRow = list
        .getByRole('option')
        .filter({ hasText: 'Slack' })
        .filter({ hasText: 'Message' })
        .filter({ hasText: `by ${message.actor.name}` })
        .first();
      await messageRow.waitFor({ timeout: 30_000 });
      await messageRow.click();
      assert.equal(new URL(page.url()).searchParams.get('event'), message.id);
      // The rollout: a Kubernetes deploy of v2.14.0 (the search may also match its rollback).
      await search.fill(rollout.title);
      await list
        .getByRole('option')
        .filter({ hasText: rollout.title })
        .filter({ hasText: 'Kubernetes' })
        .filter({ hasText: 'Deploy' })
        .first()
        .waitFor({ timeout: 30_000 });
      await search.fill('');
    } finally {
      await page.screenshot({
        path: screenshotPath('dash-slack-kubernetes.png'),
        fullPage: true,
      });
    }
  },
);

test(
  'the DASH page offers the guest’s teams’ services and puts picks in the URL',
  { timeout: 180_000 },
  async () => {
    const page = await signedInPage(browser, backstage.baseUrl, '/dash');
    try {
      const owned = page.getByRole('group', { name: 'Your teams’ services' });
      await owned.waitFor({ timeout: 60_000 });
      const first = owned.getByRole('checkbox').first();
      await first.waitFor({ timeout: 30_000 });
      await first.check();
      await page
        .getByRole('group', { name: 'Timeline controls' })
        .waitFor({ timeout: 30_000 });
      assert.equal(new URL(page.url()).searchParams.getAll('entity').length, 1);
      await settled(page);
    } finally {
      await page.screenshot({
        path: screenshotPath('dash-page.png'),
        fullPage: true,
      });
    }
  },
);

/** A timeline answer shaped like the backend's, around `now`. */
function cannedTimeline(now) {
  const ref = 'component:default/payments-api';
  const at = minutesAgo => new Date(now - minutesAgo * 60_000).toISOString();
  const ev = (id, source, kind, title, severity, minutesAgo, extra = {}) => ({
    id,
    source,
    kind,
    title,
    severity,
    startTime: at(minutesAgo),
    entityRef: ref,
    attributes: {},
    ...extra,
  });
  const events = [
    ev(
      'github:pr-1',
      'github',
      'pull-request',
      'Raise connection pool timeout',
      'info',
      200,
    ),
    ev(
      'changes:flag-1',
      'changes',
      'change',
      'Feature flag checkout-v2 on',
      'info',
      150,
    ),
    ev(
      'github:deploy-1',
      'github',
      'deploy',
      'Deploy payments-api v2.14.0 to production',
      'info',
      120,
      {
        status: 'success',
        actor: { name: 'Ada Lovelace' },
      },
    ),
    ev(
      'grafana:alert-1',
      'grafana',
      'alert',
      'p99 latency above 2 s',
      'error',
      110,
      { status: 'firing' },
    ),
    ev(
      'kibana:spike-1',
      'kibana',
      'log-spike',
      'Error logs spiked to 120 per minute',
      'warning',
      108,
    ),
    ev(
      'pagerduty:INC1',
      'pagerduty',
      'incident',
      'High 5xx rate on payments-api',
      'critical',
      105,
      {
        endTime: at(60),
        status: 'resolved',
      },
    ),
  ];
  for (let i = 0; i < 40; i++) {
    events.push(
      ev(
        `github:commit-${i}`,
        'github',
        'commit',
        `Commit ${i}: tidy payments module`,
        'info',
        1300 - i * 30,
      ),
    );
  }
  events.sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
  const state = (id, title, status, extra = {}) => ({
    id,
    title,
    entityRef: ref,
    status,
    fetchedAt: at(1),
    ...extra,
  });
  return {
    entityRefs: [ref],
    dependencyRefs: [],
    from: at(24 * 60),
    to: at(0),
    events,
    relatedEvents: [],
    sources: [
      state('pagerduty', 'PagerDuty', 'ok'),
      state('github', 'GitHub', 'stale', {
        fetchedAt: at(180),
        message: 'Refreshing in the background',
      }),
      state('grafana', 'Grafana', 'rate-limited', {
        retryAfter: new Date(now + 5 * 60_000).toISOString(),
        message: 'Grafana answered 429',
      }),
      state('kibana', 'Kibana', 'ok'),
      state('changes', 'Changes', 'ok'),
    ],
    correlations: [
      {
        eventId: 'pagerduty:INC1',
        lookbackFrom: at(105 + 120),
        lookbackTo: at(105),
        verdict: 'ranked',
        summary: '2 changes in the 2 h before the incident.',
        candidates: [
          {
            eventId: 'changes:flag-1',
            entityRef: ref,
            relation: 'self',
            score: 0.41,
            reasons: ['Changed 45 min before'],
          },
          {
            eventId: 'github:deploy-1',
            entityRef: ref,
            relation: 'self',
            score: 0.82,
            reasons: ['Production deploy 15 min before the incident'],
          },
        ],
      },
      {
        eventId: 'grafana:alert-1',
        lookbackFrom: at(110 + 120),
        lookbackTo: at(110),
        verdict: 'nothing-plausible',
        summary: 'No change looks related.',
        candidates: [],
      },
    ],
    generatedAt: new Date(now).toISOString(),
  };
}

test(
  'with a canned answer, the tab shows lanes, ranks the likely causes and works by keyboard',
  { timeout: 180_000 },
  async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1100 },
    });
    await context.route('**/api/dash/timeline?**', route =>
      route.fulfill({ json: cannedTimeline(Date.now()) }),
    );
    const page = await context.newPage();
    try {
      await page.goto(
        `${backstage.baseUrl}/catalog/default/component/payments-api/dash`,
      );
      await page
        .getByRole('button', { name: 'Enter' })
        .click({ timeout: 60_000 });
      const list = page.getByRole('listbox', {
        name: /Events, newest first \(46\)/,
      });
      await list.waitFor({ timeout: 60_000 });
      await page.getByTestId('source-lanes').waitFor();
      await page
        .getByLabel('Grafana: rate limited, retry after', { exact: false })
        .first()
        .waitFor();

      await list
        .getByRole('option', { name: /High 5xx rate on payments-api/ })
        .click();
      const causes = page.getByRole('region', { name: 'Likely causes' });
      const first = causes.getByRole('listitem', { name: /^Likely cause 1:/ });
      await first.waitFor();
      assert.match(
        await first.getAttribute('aria-label'),
        /Deploy payments-api v2\.14\.0 to production, score 82%/,
      );
      await page.getByTestId('lookback-window').waitFor();
      assert.equal(
        new URL(page.url()).searchParams.get('event'),
        'pagerduty:INC1',
      );

      // Keyboard: the cursor starts at the selection; Down, Enter selects the next older event.
      await list.focus();
      await page.keyboard.press('j');
      await page.keyboard.press('Enter');
      await page.waitForURL(/event=github%3Adeploy-1|event=kibana%3Aspike-1/);
      await page.keyboard.press('k');
      await page.keyboard.press('Enter');
      await page.waitForURL(/event=pagerduty%3AINC1/);
      const rows = await list.getByRole('option').count();
      assert.ok(rows > 0 && rows < 46, `rows in the DOM: ${rows}`);
    } finally {
      await page.screenshot({
        path: screenshotPath('dash-canned.png'),
        fullPage: true,
      });
      await context.close();
    }
  },
);

test(
  'live mode with Signals: a new upstream deployment is on screen within a few seconds, without waiting for a poll',
  { timeout: 180_000 },
  async () => {
    const page = await signedInPage(browser, backstage.baseUrl, '/catalog');
    const context = page.context();
    try {
      const socket = page.waitForEvent('websocket', {
        predicate: ws => ws.url().includes('/api/signals'),
        timeout: 60_000,
      });
      await page.goto(
        `${backstage.baseUrl}/catalog/default/component/checkout-api/dash?live=1`,
      );
      await socket;
      await page.getByRole('option').first().waitFor({ timeout: 60_000 });
      assert.match(await page.getByTestId('live-note').textContent(), /^push/);
      // Let the first answers and the WebSocket's subscription settle.
      await page.waitForTimeout(5_000);
      const res = await fetch(`${sandbox.adminUrl}/replay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stepMs: 3_600_000 }),
      });
      assert.equal(res.status, 200);
      const title = (await res.text()).match(
        /Deploy v3\.9\.\d+ to production/,
      )?.[0];
      assert.ok(title, 'the live story has a deployment');
      const started = Date.now();
      // Well under the 15 s poll period: only a signal brings it this fast.
      await page
        .getByRole('option')
        .filter({ hasText: title })
        .first()
        .waitFor({ timeout: 10_000 });
      assert.ok(Date.now() - started < 10_000);
      assert.match(
        await page.getByTestId('live-note').textContent(),
        /^push \(safety poll every 60 s\)/,
      );
    } finally {
      await context.close();
    }
  },
);

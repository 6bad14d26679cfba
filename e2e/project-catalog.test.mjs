// Project Catalog in headless Chromium, against the built demo with the upstream sandbox (or,
// with E2E_APP_URL, a running `npm start`), in the order an owner would go:
// - create a project through the form and find it in the catalog;
// - edit a demo service's tier and tags and add a quick link, reload, see them;
// - find the change on the audit log page, and the service by its new tag in Backstage search;
// - page on-call and see the sandbox's PagerDuty receive the Events API v2 call;
// - open a campaign and see its burn-up; the discovery page.
// Screenshots of every card and page go to artifacts/e2e/project-catalog-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildAll,
  guestToken,
  launchBrowser,
  sandboxRequests,
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

/** A suffix that keeps names, tags and links of this run apart from earlier runs'. */
const RUN = Date.now().toString(36);
const EDITED = 'notification-service';
const NEW_TAG = `e2e-${RUN}`;
const LINK_TITLE = `Runbook ${RUN}`;

before(
  async () => {
    buildAll();
    sandbox = await startUpstreamSandbox();
    backstage = await startBackstage({
      extraConfig: sandbox.configFile ? [sandbox.configFile] : [],
    });
    browser = await launchBrowser();
    await waitForEntity(backstage.backendUrl, 'component', EDITED);
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser?.close();
  await backstage?.stop();
  await sandbox?.stop();
});

/** Runs `fn` on a signed-in page at `path`, and always saves a screenshot as `shot`. */
async function onPage(path, shot, fn) {
  const page = await signedInPage(browser, backstage.baseUrl, path);
  try {
    await fn(page);
  } finally {
    await page.screenshot({
      path: screenshotPath(`project-catalog-${shot}.png`),
      fullPage: true,
    });
    await page.context().close();
  }
}

async function api(path, init = {}) {
  const token = await guestToken(backstage.backendUrl);
  const res = await fetch(`${backstage.backendUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...init.headers },
  });
  return res;
}

test(
  'create a project through the form, and find it in the catalog',
  { timeout: 240_000 },
  async () => {
    const name = `e2e-ledger-${RUN}`;
    await onPage('/project-catalog/create', 'create', async page => {
      const form = page.getByRole('form', { name: 'Create project' });
      await form.waitFor({ timeout: 60_000 });
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Title').fill(`E2E ledger ${RUN}`);
      await form.getByLabel('Type').click();
      await page.getByRole('option', { name: 'service', exact: true }).click();
      await form.getByLabel('Lifecycle').fill('experimental');
      const owner = form.getByLabel(/Owner/);
      await owner.fill('team-sre');
      await page.keyboard.press('Escape');
      await form.getByLabel('Tags').fill(`e2e, ${NEW_TAG}-created`);
      await form.getByRole('button', { name: 'Create project' }).click();
      // On success the new entity's page opens.
      await page.waitForURL(`**/catalog/default/component/${name}`, {
        timeout: 60_000,
      });
      await page.getByText(`E2E ledger ${RUN}`).first().waitFor({
        timeout: 60_000,
      });
    });
    // The catalog has it (the catalog module merges UI-created projects in).
    await waitFor(
      `${name} in the catalog`,
      async () =>
        (
          await api(`/api/catalog/entities/by-name/component/default/${name}`)
        ).ok,
      90_000,
      1000,
    );
    await onPage(
      '/?filters[kind]=component&filters[user]=all',
      'catalog',
      async page => {
        await page.getByPlaceholder('Search').first().fill(name);
        await page
          .getByRole('link', { name: new RegExp(`E2E ledger ${RUN}|${name}`) })
          .first()
          .waitFor({ timeout: 60_000 });
      },
    );
  },
);

test(
  "edit a demo service's tier and tags and add a quick link; both survive a reload",
  { timeout: 240_000 },
  async () => {
    await onPage(
      `/catalog/default/component/${EDITED}`,
      'overview',
      async page => {
        await page
          .getByRole('button', { name: 'Edit project' })
          .click({ timeout: 60_000 });
        const edit = page.getByRole('dialog', { name: 'Edit project' });
        await edit.getByLabel('Tier').fill('2');
        await edit.getByLabel('Tags').fill(`go, kafka, ${NEW_TAG}`);
        await edit.getByRole('button', { name: 'Save' }).click();
        await edit.waitFor({ state: 'hidden', timeout: 30_000 });

        await page.getByRole('button', { name: 'Edit links' }).click();
        const links = page.getByRole('dialog', { name: 'Edit quick links' });
        await links.getByRole('button', { name: 'Add link' }).click();
        const row = links.getByRole('group', { name: /Link \d+/ }).last();
        await row.getByLabel('Title').fill(LINK_TITLE);
        await row
          .getByLabel('URL')
          .fill(`https://runbooks.acme.example/${RUN}`);
        await row.getByLabel('Group').fill('Runbooks');
        await links.getByRole('button', { name: 'Save' }).click();
        await links.waitFor({ state: 'hidden', timeout: 30_000 });

        await page.reload();
        await page
          .getByRole('button', { name: 'Enter' })
          .click({ timeout: 5000 })
          .catch(() => {});
        await page
          .getByRole('link', { name: LINK_TITLE })
          .first()
          .waitFor({ timeout: 60_000 });
        await page.getByText(NEW_TAG).first().waitFor({ timeout: 30_000 });
      },
    );
    // The backend agrees: tier and tags are UI-owned edits now.
    const view = await (
      await api(`/api/project-catalog/projects/component/default/${EDITED}`)
    ).json();
    const field = key => view.fields.find(f => f.key === key);
    assert.equal(field('tier').value, '2');
    assert.ok(field('tags').value.includes(NEW_TAG));
    assert.equal(field('tier').owner, 'ui');
  },
);

test(
  'the audit log page shows the change, filtered by a shareable URL',
  { timeout: 180_000 },
  async () => {
    const entity = `component:default/${EDITED}`;
    await onPage(
      `/project-catalog/audit?entity=${encodeURIComponent(entity)}`,
      'audit-page',
      async page => {
        const table = page.getByRole('table').first();
        await table.waitFor({ timeout: 60_000 });
        await table
          .getByRole('row')
          .filter({ hasText: 'tier' })
          .first()
          .waitFor({ timeout: 30_000 });
        await table
          .getByRole('row')
          .filter({ hasText: NEW_TAG })
          .first()
          .waitFor({ timeout: 30_000 });
      },
    );
  },
);

test(
  'Backstage search finds the service by its new tag',
  { timeout: 240_000 },
  async () => {
    // The demo's catalog collator runs every 30 s; the search module adds the tags.
    await waitFor(
      `search to find ${NEW_TAG}`,
      async () => {
        const res = await api(
          `/api/search/query?term=${encodeURIComponent(NEW_TAG)}`,
        );
        const body = await res.json();
        return body.results?.some(r =>
          String(r.document?.location ?? '').includes(EDITED),
        );
      },
      150_000,
      3000,
    );
    await onPage(`/search?query=${NEW_TAG}`, 'search', async page => {
      await page
        .getByRole('link', { name: new RegExp(EDITED) })
        .first()
        .waitFor({ timeout: 60_000 });
    });
  },
);

test(
  "page on-call: the sandbox's PagerDuty receives the Events API v2 call",
  { timeout: 180_000 },
  async () => {
    const summary = `E2E page ${RUN}: notifications are not sent`;
    await onPage(
      `/catalog/default/component/${EDITED}`,
      'page-on-call',
      async page => {
        await page
          .getByRole('button', { name: 'Page on-call' })
          .click({ timeout: 60_000 });
        const dialog = page.getByRole('dialog', { name: 'Page on-call' });
        await dialog.getByLabel('Summary').fill(summary);
        await dialog.getByRole('button', { name: 'Page now' }).click();
        await dialog
          .getByText(/PagerDuty accepted the page/)
          .waitFor({ timeout: 30_000 });
      },
    );
    if (!sandbox.configFile) return; // a running npm start: its sandbox log is not ours
    const { requests } = await sandboxRequests(sandbox.adminUrl, {
      upstream: 'pagerduty',
      route: 'POST /v2/enqueue',
    });
    assert.ok(
      requests.some(r => r.status === 202),
      `the sandbox saw ${JSON.stringify(requests)}`,
    );
    // The audit log has the page.
    const audit = await (
      await api(
        `/api/project-catalog/audit?entityRef=${encodeURIComponent(
          `component:default/${EDITED}`,
        )}&action=oncall.page`,
      )
    ).json();
    assert.equal(audit.entries[0]?.after?.summary, summary);
  },
);

test(
  'a campaign page shows its burn-up; the campaigns and discovery pages render',
  { timeout: 240_000 },
  async () => {
    // Evaluate now (the demo's evaluator waits 30 s after start), so the burn-up has today.
    const evaluated = await api(
      '/api/project-catalog/campaigns/pagerduty-service/evaluate',
      { method: 'POST' },
    );
    assert.ok(evaluated.ok, `evaluate answered ${evaluated.status}`);
    await onPage('/project-catalog/campaigns', 'campaigns', async page => {
      await page
        .getByRole('link', {
          name: /Every service declares its PagerDuty service/,
        })
        .first()
        .click({ timeout: 60_000 });
      await page.waitForURL('**/project-catalog/campaigns/pagerduty-service');
      await page
        .getByRole('img', { name: /^Burn-up: \d+ of \d+ finished/ })
        .waitFor({ timeout: 60_000 });
      await page.screenshot({
        path: screenshotPath('project-catalog-campaign.png'),
        fullPage: true,
      });
    });
    await onPage('/project-catalog/discovery', 'discovery', async page => {
      await page.getByText('Scan state').first().waitFor({ timeout: 60_000 });
      await page.getByText('Suggestions').first().waitFor({ timeout: 60_000 });
    });
  },
);

test(
  'the Overview tab of a service the guest owns shows every card filled',
  { timeout: 180_000 },
  async () => {
    await onPage(
      '/catalog/default/component/checkout-api',
      'cards',
      async page => {
        for (const title of [
          'On call',
          'Deploys',
          'Alerts',
          'DORA metrics',
          'Quick links',
          'Campaigns',
        ]) {
          await page
            .getByText(title, { exact: true })
            .first()
            .waitFor({ timeout: 60_000 });
        }
        // Filled from the sandbox, not just loading: on-call per level (PagerDuty), production
        // deploys (GitHub), alerts settled either way, and the DORA figures.
        await page
          .getByRole('region', { name: 'Escalation level 1' })
          .waitFor({ timeout: 60_000 });
        await page
          .getByRole('region', { name: 'Deploys to production' })
          .waitFor({ timeout: 60_000 });
        await page
          .getByRole('list', { name: 'Firing alerts and open incidents' })
          .or(page.getByText('Nothing is firing and no incident is open.'))
          .first()
          .waitFor({ timeout: 60_000 });
        await page
          .getByRole('region', { name: 'Deployment frequency' })
          .waitFor({ timeout: 60_000 });
      },
    );
  },
);

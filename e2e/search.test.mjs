// DASH events in Backstage search, in headless Chromium against the built demo with the upstream
// sandbox (or, with E2E_APP_URL, a running `npm start`): type the demo's bad version v2.14.0 into
// the search page, keep the DASH result type, see the deploy of payments-api, open it, and land
// on the DASH tab with that event selected (artifacts/e2e/search-dash-*.png).
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

const PAYMENTS = 'component:default/payments-api';
const VERSION = 'v2.14.0';

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

test(
  'search finds the v2.14.0 deploy of payments-api and opens the DASH tab at it',
  { timeout: 300_000 },
  async () => {
    await waitForEntity(backstage.backendUrl, 'component', 'payments-api');
    const token = await guestToken(backstage.backendUrl);
    const get = path =>
      fetch(`${backstage.backendUrl}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    // Reading the timeline stores payments-api's events (the prewarm job would, a bit later);
    // the e2e config runs the DASH collator every 10 s.
    assert.equal(
      (
        await get(
          `/api/dash/timeline?entityRef=${encodeURIComponent(PAYMENTS)}`,
        )
      ).status,
      200,
    );
    const deploy = await waitFor(
      `a dash search result for the ${VERSION} production deploy of payments-api`,
      async () => {
        const res = await get(
          `/api/search/query?term=${VERSION}&types%5B0%5D=dash`,
        );
        const body = await res.json();
        return body.results?.find(
          r =>
            r.type === 'dash' &&
            r.document.entityRef === PAYMENTS &&
            r.document.kind === 'deploy' &&
            r.document.version === VERSION &&
            r.document.environment === 'production',
        )?.document;
      },
      180_000,
      3000,
    );

    const page = await signedInPage(browser, backstage.baseUrl, '/search');
    let shot = 'search-dash-results.png';
    try {
      // Type the version as a person would, and keep DASH events only.
      const box = page.getByRole('textbox', { name: 'Search' });
      await box.waitFor({ timeout: 60_000 });
      await box.fill(VERSION);
      await page
        .getByRole('navigation', { name: 'filter by type' })
        .getByRole('button', { name: /^DASH/ })
        .click({ timeout: 30_000 });
      // The result: title linking the tab, with its kind, entity, version and environment.
      const link = page.getByRole('link', { name: deploy.title, exact: true });
      const item = page
        .getByRole('listitem')
        .filter({ has: page.getByLabel('Kind: Deploy') })
        .filter({ has: page.getByLabel(`Version: ${VERSION}`) })
        .filter({ has: link });
      await item.first().waitFor({ timeout: 60_000 });
      await item
        .first()
        .getByLabel('Environment: production')
        .waitFor({ timeout: 5_000 });
      await page.screenshot({ path: screenshotPath(shot), fullPage: true });

      shot = 'search-dash-tab.png';
      const target = page.locator(`a[href="${deploy.location}"]`).first();
      await target.click();
      await page.waitForURL(
        /\/catalog\/default\/component\/payments-api\/dash/,
        {
          timeout: 60_000,
        },
      );
      assert.equal(
        new URL(page.url()).searchParams.get('event'),
        deploy.eventId,
        'the tab opens with the found event selected',
      );
      const selected = page.getByRole('region', { name: 'Selected event' });
      await selected.waitFor({ timeout: 90_000 });
      await selected
        .getByRole('heading', { name: deploy.title })
        .waitFor({ timeout: 30_000 });
    } finally {
      await page.screenshot({ path: screenshotPath(shot), fullPage: true });
    }
  },
);

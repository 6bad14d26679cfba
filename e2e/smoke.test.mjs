// Smoke test: the built app and backend start, and a demo component's entity page shows its
// name and owner in headless Chromium. Saves artifacts/e2e/entity-page.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildAll,
  launchBrowser,
  screenshotPath,
  signedInPage,
  startBackstage,
  waitForEntity,
} from './lib/backstage.mjs';

let backstage;
let browser;

before(
  async () => {
    buildAll();
    backstage = await startBackstage();
    browser = await launchBrowser();
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser?.close();
  await backstage?.stop();
});

test(
  'the catalog API serves the demo components',
  { timeout: 180_000 },
  async () => {
    const entity = await waitForEntity(
      backstage.backendUrl,
      'component',
      'payments-api',
    );
    assert.equal(entity.spec.owner, 'group:team-payments');
    assert.equal(
      entity.metadata.annotations['pagerduty.com/service-id'],
      'PPAYAPI',
    );
  },
);

test(
  'a demo component entity page shows its name and owner',
  { timeout: 180_000 },
  async () => {
    await waitForEntity(backstage.backendUrl, 'component', 'payments-api');
    const page = await signedInPage(
      browser,
      backstage.baseUrl,
      '/catalog/default/component/payments-api',
    );
    try {
      await page
        .getByRole('heading', { name: /payments-api/ })
        .first()
        .waitFor({ timeout: 60_000 });
      // The owner is shown by its title (once the group has loaded) and links to its page.
      const owner = page
        .locator('a[href$="/catalog/default/group/team-payments"]')
        .filter({ hasText: /Payments$/ })
        .first();
      await owner.waitFor({ timeout: 60_000 });
      assert.match((await owner.textContent()).trim(), /Payments$/);
      await page
        .getByText('Public API that authorises')
        .first()
        .waitFor({ timeout: 30_000 });
    } finally {
      await page.screenshot({
        path: screenshotPath('entity-page.png'),
        fullPage: true,
      });
    }
  },
);

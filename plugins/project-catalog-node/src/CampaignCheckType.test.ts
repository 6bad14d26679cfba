import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import {
  CAMPAIGN_CHECK_TYPE_ID,
  CampaignCheckDegradedError,
  CampaignCheckType,
} from './CampaignCheckType';
import { projectCatalogCampaignChecksExtensionPoint } from './extensions';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', labels: { tier: '1' } },
  spec: { type: 'service', owner: 'team-payments' },
};

const logger: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => logger,
};

/** The example of the README: a check type a module would add. */
const tierCheck: CampaignCheckType<{ maxTier: number }> = {
  id: 'tier-at-most',
  title: 'Tier at most',
  description: 'Done when the tier label is at most maxTier.',
  configSchema: z.object({ maxTier: z.number().int().min(1) }).strict(),
  async evaluate({ entity: e, config }) {
    const tier = Number(e.metadata.labels?.tier);
    if (!Number.isFinite(tier))
      return { status: 'failing', detail: 'No tier label' };
    return tier <= config.maxTier
      ? { status: 'done', detail: `Tier ${tier}` }
      : { status: 'failing', detail: `Tier ${tier} > ${config.maxTier}` };
  },
};

describe('CampaignCheckType', () => {
  it('evaluates one entity with parsed settings', async () => {
    const config = tierCheck.configSchema.parse({ maxTier: 2 });
    await expect(
      tierCheck.evaluate({
        entity,
        entityRef: 'component:default/payments-api',
        config,
        campaign: {
          id: 'tiers',
          title: 'Tiers',
          startsAt: new Date(0),
          deadline: new Date(1),
        },
        signal: new AbortController().signal,
        logger,
      }),
    ).resolves.toEqual({ status: 'done', detail: 'Tier 1' });
    expect(tierCheck.configSchema.safeParse({ maxTier: 0 }).success).toBe(
      false,
    );
    expect(CAMPAIGN_CHECK_TYPE_ID.test(tierCheck.id)).toBe(true);
    expect(CAMPAIGN_CHECK_TYPE_ID.test('Tier_Check')).toBe(false);
  });
});

describe('CampaignCheckDegradedError', () => {
  it('carries the reason and wait, and is recognised across package copies by name', () => {
    const e = new CampaignCheckDegradedError('rate-limited', 'slow down', {
      retryAfterMs: 5000,
    });
    expect(e.reason).toBe('rate-limited');
    expect(e.retryAfterMs).toBe(5000);
    expect(CampaignCheckDegradedError.isDegradedError(e)).toBe(true);
    const lookalike = Object.assign(new Error('x'), {
      name: 'CampaignCheckDegradedError',
      reason: 'timed-out',
    });
    expect(CampaignCheckDegradedError.isDegradedError(lookalike)).toBe(true);
    expect(CampaignCheckDegradedError.isDegradedError(new Error('x'))).toBe(
      false,
    );
  });
});

describe('projectCatalogCampaignChecksExtensionPoint', () => {
  it('has the id the backend registers', () => {
    expect(projectCatalogCampaignChecksExtensionPoint.id).toBe(
      'project-catalog.campaign-checks',
    );
  });
});

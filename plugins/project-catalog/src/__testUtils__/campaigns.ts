/* Campaign fixtures for the campaign card, page and form tests; imported by tests only. */
import {
  CAMPAIGN_STATUSES,
  Campaign,
  CampaignCheckTypeInfo,
  CampaignCounts,
  CampaignEntityStatus,
  CampaignHistoryPoint,
  EntityCampaign,
  emptyCampaignCounts,
} from '@dash-suite/plugin-project-catalog-common';
import { PAYMENTS } from './fixtures';

export const DAY_MS = 24 * 3_600_000;
/** An ISO time `days` from now (negative: in the past). */
export const daysFromNow = (days: number) =>
  new Date(Date.now() + days * DAY_MS).toISOString();

/** Counts with a total that adds up. */
export function counts(partial: Partial<CampaignCounts> = {}): CampaignCounts {
  const result = { ...emptyCampaignCounts(), ...partial };
  result.total = CAMPAIGN_STATUSES.reduce((sum, s) => sum + result[s], 0);
  return result;
}

/** The PagerDuty campaign: every service declares its PagerDuty service, due in 30 days. */
export function campaign(partial: Partial<Campaign> = {}): Campaign {
  return {
    id: 'pagerduty-service',
    title: 'Every service declares its PagerDuty service',
    description:
      'Add the pagerduty.com/service-id annotation to catalog-info.yaml.',
    owner: 'group:default/team-sre',
    startsAt: daysFromNow(-30),
    deadline: daysFromNow(30),
    scope: { kind: ['component'], type: ['service'] },
    check: {
      type: 'entity-field',
      config: { annotation: 'pagerduty.com/service-id' },
    },
    origin: 'ui',
    version: 3,
    createdBy: 'user:default/ada',
    createdAt: daysFromNow(-31),
    updatedBy: 'user:default/ada',
    updatedAt: daysFromNow(-2),
    evaluatedAt: daysFromNow(-0.1),
    counts: counts({ done: 6, exempt: 1, pending: 2, failing: 1 }),
    degraded: {},
    ...partial,
  };
}

/** payments-api's status in a campaign. */
export function entityStatus(
  partial: Partial<CampaignEntityStatus> = {},
): CampaignEntityStatus {
  return {
    campaignId: 'pagerduty-service',
    entityRef: PAYMENTS,
    owner: 'group:default/team-payments',
    status: 'failing',
    detail: 'annotation pagerduty.com/service-id is not set',
    evaluatedAt: daysFromNow(-0.1),
    changedAt: daysFromNow(-3),
    ...partial,
  };
}

export function entityCampaign(
  campaignPartial: Partial<Campaign> = {},
  statusPartial: Partial<CampaignEntityStatus> = {},
): EntityCampaign {
  const c = campaign(campaignPartial);
  return {
    campaign: c,
    status: entityStatus({ campaignId: c.id, ...statusPartial }),
  };
}

/** A day of the burn-up. */
export function point(
  day: string,
  partial: Partial<CampaignCounts>,
  team?: string,
): CampaignHistoryPoint {
  return { day, ...(team ? { team } : {}), counts: counts(partial) };
}

export const CHECK_TYPES: CampaignCheckTypeInfo[] = [
  {
    id: 'entity-field',
    title: 'Entity field or annotation',
    description:
      'Done when the entity sets an annotation, a label or a field (and its value matches a pattern, when one is given).',
    configSchema: {
      type: 'object',
      properties: {
        annotation: { type: 'string' },
        label: { type: 'string' },
        field: { type: 'string' },
        matches: { type: 'string' },
      },
      additionalProperties: false,
    },
  },
  {
    id: 'manual',
    title: 'Set by the owners',
    description:
      "The entity's owners set the status (pending, in progress, done) by hand, with a note.",
    configSchema: {
      type: 'object',
      properties: { instructions: { type: 'string', maxLength: 2000 } },
      additionalProperties: false,
    },
  },
];

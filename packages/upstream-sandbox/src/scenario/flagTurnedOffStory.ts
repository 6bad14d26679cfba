/*
 * Flag turned off: a feature flag turned on breaks web-storefront; turning it back off (a change
 * event that says what it reverts) ends the incident minutes later; a deploy of web-storefront
 * 80 min before the flag is harmless.
 */
import { MINUTE, SECOND } from '../time';
import {
  SPACE_STORY,
  addErrorSpike,
  fireAlert,
  newChangeEvent,
  newIncident,
  teamForService,
} from './generate';
import { onCallAt } from './org';
import { shipToProduction, shipmentChanges } from './shipment';
import {
  PendingStory,
  StoryKey,
  StoryWorld,
  bumpTag,
  change,
  inStep,
  member,
  previousRelease,
  ruleOf,
  step,
  storyIncident,
} from './storyKit';

export const FLAG_TURNED_OFF: StoryKey = {
  space: SPACE_STORY,
  slot: 6,
  name: 'flag-turned-off',
};
export const FLAG_TURNED_OFF_INCIDENT_NUMBER = 1005;
const FLAG = 'recommendations-v2';

/**
 * Flag turned off. F: the flag turned on; errors 3 min later, the page 8 min later; the flag
 * turned back off 30 min after F, the incident resolved 8 min after that. A deploy 80 min before F.
 */
export function flagTurnedOff(
  world: StoryWorld,
  F: number,
): PendingStory | undefined {
  const found = world.service('web-storefront');
  if (!found) return undefined;
  const { svc } = found;
  const ctx = world.ctx;
  const stepOf = (n: number) => inStep(world, found, FLAG_TURNED_OFF, n);
  const dev = member(world, svc, 0, 'sofia.alvarez');
  const previous = previousRelease(found, F, 'v4.2.0');
  const decoy = shipToProduction(world, found, stepOf(1), {
    at: F - 80 * MINUTE,
    actor: dev,
    runNumber: 621,
    change: {
      title: 'Lazy-load product images below the fold',
      pr: 4101,
      tag: bumpTag(previous.tag, 'minor'),
    },
  });
  const timeline = [...decoy.steps];
  const flagChange = (
    n: number,
    at: number,
    from: string,
    to: string,
    reverts?: string,
  ) =>
    newChangeEvent(stepOf(n), {
      at,
      summary: `Feature flag ${FLAG} turned ${to}`,
      source: 'flagd',
      details: {
        change_type: 'feature-flag',
        flag: FLAG,
        from,
        to,
        environment: 'production',
        actor: dev,
        ...(reverts ? { reverts } : {}),
      },
    });
  const onId = flagChange(2, F, 'off', 'on');
  timeline.push(
    step(
      svc,
      'pagerduty',
      'change_event',
      F,
      `Feature flag ${FLAG} turned on`,
      onId,
    ),
  );
  const offAt = F + 30 * MINUTE;
  const spike = { from: F + 3 * MINUTE, to: offAt + 3 * MINUTE, perMinute: 30 };
  addErrorSpike(stepOf(3), {
    ...spike,
    messages: [
      `${FLAG}: GET /v2/recommendations returned 500`,
      "render product page failed: recommendations payload has no 'items'",
    ],
  });
  const rule = ruleOf(found, 'HighErrorRate');
  fireAlert(stepOf(4), rule, {
    pendingAt: F + 5 * MINUTE,
    firingAt: F + 7 * MINUTE,
    resolvedAt: offAt + 5 * MINUTE,
    value: '0.22',
  });
  timeline.push(
    step(
      svc,
      'elasticsearch',
      'error_spike',
      spike.from,
      'Error logs spike (~30/min)',
    ),
    step(
      svc,
      'grafana',
      'alert_firing',
      F + 7 * MINUTE,
      `${rule.title} firing`,
      rule.uid,
    ),
  );
  const responder = onCallAt(teamForService(ctx, svc), ctx.seed, F) ?? dev;
  const P = F + 8 * MINUTE + 30 * SECOND;
  const incident = newIncident(ctx, stepOf(5), svc, {
    id: 'Q6WEBRECOFLAG',
    number: FLAG_TURNED_OFF_INCIDENT_NUMBER,
    title: `[FIRING:1] ${rule.title} web-storefront (critical)`,
    description: 'More than 5% of web-storefront requests fail',
    urgency: 'high',
    triggeredAt: P,
    acknowledgedAt: F + 12 * MINUTE,
    acknowledgedBy: responder,
    resolvedAt: offAt + 8 * MINUTE,
    resolvedBy: responder,
    note: `Turned ${FLAG} back off: product pages render again.`,
  });
  const offId = flagChange(6, offAt, 'on', 'off', onId);
  timeline.push(
    step(
      svc,
      'pagerduty',
      'incident_triggered',
      P,
      incident.title,
      incident.id,
    ),
    step(
      svc,
      'pagerduty',
      'change_event',
      offAt,
      `Feature flag ${FLAG} turned off`,
      offId,
    ),
    step(
      svc,
      'pagerduty',
      'incident_resolved',
      offAt + 8 * MINUTE,
      'Resolved',
      incident.id,
    ),
  );
  timeline.sort((a, b) => a.at - b.at);

  const fix = change(
    svc,
    'pagerduty',
    'change_event',
    offId,
    offAt,
    `Feature flag ${FLAG} turned off`,
  );
  const decoyTruth = shipmentChanges(svc, decoy);
  return {
    incident,
    story: {
      id: 'flag-turned-off',
      title: `web-storefront: feature flag ${FLAG} turned on breaks pages, turned off ends it`,
      entityRef: svc.entityRef,
      incident: storyIncident(svc, incident, {
        acknowledgedAt: F + 12 * MINUTE,
        resolvedAt: offAt + 8 * MINUTE,
      }),
      onset: spike.from,
      cause: change(
        svc,
        'pagerduty',
        'change_event',
        onId,
        F,
        `Feature flag ${FLAG} turned on`,
      ),
      causeAlsoSeenAs: [],
      fix,
      decoys: [
        {
          ...decoyTruth.deployment,
          why: 'Deployed 80 min before the flag and 83 min before the errors, which began right after the flag.',
        },
        {
          ...decoyTruth.alsoSeenAs[0],
          why: 'The change event of that deploy.',
        },
        { ...fix, why: 'The flag turned back off after the page: the fix.' },
      ],
      errorSpikes: [{ entityRef: svc.entityRef, ...spike }],
      alert: {
        ruleUid: rule.uid,
        alertName: rule.title,
        entityRef: svc.entityRef,
        firingAt: F + 7 * MINUTE,
        resolvedAt: offAt + 5 * MINUTE,
      },
      timeline,
    },
  };
}

/*
 * Early onset, on notification-service: errors begin 50 min before the page (below the paging
 * threshold), 15 min after the causing deploy; a harmless deploy lands between the onset and the
 * page; a revert of the cause ends it.
 */
import { MINUTE } from '../time';
import {
  SPACE_STORY,
  addErrorSpike,
  fireAlert,
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
  inStep,
  member,
  previousRelease,
  ruleOf,
  step,
  storyIncident,
} from './storyKit';

export const EARLY_ONSET: StoryKey = {
  space: SPACE_STORY,
  slot: 4,
  name: 'early-onset',
};
export const EARLY_ONSET_INCIDENT_NUMBER = 1003;
/** This story's service, and the slow burn's (hours earlier). */
export const ONSET_SERVICE = 'notification-service';

/**
 * Early onset. C: the causing deploy; the onset 15 min after it; a harmless deploy 25 min after
 * the onset; the page 50 min after the onset; a revert deployed 22 min after the page.
 */
export function earlyOnset(
  world: StoryWorld,
  C: number,
): PendingStory | undefined {
  const found = world.service(ONSET_SERVICE);
  if (!found) return undefined;
  const { svc } = found;
  const ctx = world.ctx;
  const stepOf = (n: number) => inStep(world, found, EARLY_ONSET, n);
  const dev = member(world, svc, 0, 'noah.fischer');
  const other = member(world, svc, 1, 'lena.schmidt');
  const previous = previousRelease(found, C, 'v1.7.0');
  const O = C + 15 * MINUTE;
  const P = O + 50 * MINUTE;

  const title = 'Send push notifications through the HTTP/2 APNs client';
  const cause = shipToProduction(world, found, stepOf(1), {
    at: C,
    actor: dev,
    runNumber: 601,
    change: {
      title,
      body: 'Replaces the legacy binary APNs socket with the HTTP/2 client (connection pooling, per-device status codes).',
      pr: 3101,
      tag: bumpTag(previous.tag, 'minor'),
    },
  });
  const timeline = [...cause.steps];
  // Below the paging threshold: a trickle of failed sends, then more as retries pile up.
  const messages = [
    'apns: stream reset by peer (REFUSED_STREAM)',
    'push delivery failed: apns http2 client: connection pool exhausted',
  ];
  const trickle = { from: O, to: P - 4 * MINUTE, perMinute: 5 };
  const flood = { from: P - 4 * MINUTE, to: P + 26 * MINUTE, perMinute: 30 };
  addErrorSpike(stepOf(2), { ...trickle, messages });
  addErrorSpike(stepOf(3), { ...flood, messages });
  timeline.push(
    step(svc, 'elasticsearch', 'error_spike', O, 'Error logs begin (~5/min)'),
    step(svc, 'elasticsearch', 'error_spike', flood.from, 'Error logs ~30/min'),
  );
  const latency = ruleOf(found, 'HighLatency');
  fireAlert(stepOf(4), latency, {
    pendingAt: O + 3 * MINUTE,
    firingAt: O + 8 * MINUTE,
    resolvedAt: P + 28 * MINUTE,
    value: '0.74',
  });
  timeline.push(
    step(
      svc,
      'grafana',
      'alert_firing',
      O + 8 * MINUTE,
      `${latency.title} firing`,
      latency.uid,
    ),
  );

  // The decoy: a copy change, shipped while the errors had already begun.
  const decoy = shipToProduction(world, found, stepOf(5), {
    at: O + 25 * MINUTE,
    actor: other,
    runNumber: 602,
    change: {
      title: 'Update email footer copy',
      pr: 3102,
      tag: bumpTag(cause.tag, 'patch'),
    },
  });
  timeline.push(...decoy.steps);

  const errors = ruleOf(found, 'HighErrorRate');
  fireAlert(stepOf(6), errors, {
    pendingAt: P - 3 * MINUTE,
    firingAt: P - MINUTE,
    resolvedAt: P + 27 * MINUTE,
    value: '0.12',
  });
  timeline.push(
    step(
      svc,
      'grafana',
      'alert_firing',
      P - MINUTE,
      `${errors.title} firing`,
      errors.uid,
    ),
  );
  const responder = onCallAt(teamForService(ctx, svc), ctx.seed, P) ?? dev;
  const incident = newIncident(ctx, stepOf(7), svc, {
    id: 'Q4NOTIFYEARLY',
    number: EARLY_ONSET_INCIDENT_NUMBER,
    title: `[FIRING:1] ${errors.title} notification-service (critical)`,
    description: 'More than 5% of push notification sends fail',
    urgency: 'high',
    triggeredAt: P + 30 * 1000,
    acknowledgedAt: P + 5 * MINUTE,
    acknowledgedBy: responder,
    resolvedAt: P + 35 * MINUTE,
    resolvedBy: responder,
    note: `Reverted "${title}" (${cause.tag}); the failed sends had begun 50 minutes before the page.`,
  });
  timeline.push(
    step(
      svc,
      'pagerduty',
      'incident_triggered',
      incident.createdAt,
      incident.title,
      incident.id,
    ),
  );
  const fix = shipToProduction(world, found, stepOf(8), {
    at: P + 22 * MINUTE,
    actor: responder,
    runNumber: 603,
    change: {
      title: `Revert "${title}"`,
      body: `Reverts #3101: the HTTP/2 client exhausts its pool under production fan-out.`,
      pr: 3103,
      tag: bumpTag(decoy.tag, 'patch'),
    },
  });
  timeline.push(
    ...fix.steps,
    step(
      svc,
      'pagerduty',
      'incident_resolved',
      P + 35 * MINUTE,
      'Resolved',
      incident.id,
    ),
  );
  timeline.sort((a, b) => a.at - b.at);

  const truth = shipmentChanges(svc, cause);
  const decoyTruth = shipmentChanges(svc, decoy);
  const fixTruth = shipmentChanges(svc, fix);
  return {
    incident,
    story: {
      id: 'early-onset',
      title:
        'notification-service: errors 50 min before the page, a harmless deploy in between',
      entityRef: svc.entityRef,
      incident: storyIncident(svc, incident, {
        acknowledgedAt: P + 5 * MINUTE,
        resolvedAt: P + 35 * MINUTE,
      }),
      onset: O,
      cause: truth.deployment,
      causeAlsoSeenAs: truth.alsoSeenAs,
      fix: fixTruth.deployment,
      decoys: [
        {
          ...decoyTruth.deployment,
          why: 'Deployed after the errors had begun (between the onset and the page): it cannot have caused them.',
        },
        {
          ...decoyTruth.alsoSeenAs[0],
          why: 'The change event of the harmless deploy, after the onset.',
        },
        {
          ...fixTruth.deployment,
          why: 'The revert of the cause, after the page: the fix.',
        },
      ],
      errorSpikes: [trickle, flood].map(s => ({
        entityRef: svc.entityRef,
        ...s,
      })),
      alert: {
        ruleUid: errors.uid,
        alertName: errors.title,
        entityRef: svc.entityRef,
        firingAt: P - MINUTE,
        resolvedAt: P + 27 * MINUTE,
      },
      timeline,
    },
  };
}

/*
 * Dependency first: payments-api is paged, but fraud-detector (which it depends on) deployed
 * first and went bad first (its latency alert and error logs), before payments-api's errors; a
 * config change on payments-api itself, closer to the page, left no trail.
 */
import { MINUTE } from '../time';
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

export const DEPENDENCY_FIRST: StoryKey = {
  space: SPACE_STORY,
  slot: 5,
  name: 'dependency-first',
};
export const DEPENDENCY_FIRST_INCIDENT_NUMBER = 1004;

/**
 * Dependency first. P: the page on payments-api. fraud-detector deploys 45 min before it, its
 * errors begin 38 min before and its latency alert fires 31 min before; payments-api's config
 * change 20 min before; payments-api's errors 12 min before; fraud-detector rolled back after.
 */
export function dependencyFirst(
  world: StoryWorld,
  P: number,
): PendingStory | undefined {
  const x = world.service('payments-api');
  const y = world.service('fraud-detector');
  if (!x || !y) return undefined;
  const ctx = world.ctx;
  const stepOf = (found: typeof x, n: number) =>
    inStep(world, found, DEPENDENCY_FIRST, n);
  const dev = member(world, y.svc, 0, 'amara.okafor');
  const previous = previousRelease(y, P, 'v1.4.0');
  const cause = shipToProduction(world, y, stepOf(y, 1), {
    at: P - 45 * MINUTE,
    actor: dev,
    runNumber: 611,
    change: {
      title: 'Score payments with the gradient-boosted model v7',
      body: 'Model v7 adds 140 features (merchant history, device graph). Offline AUC +0.03.',
      pr: 5101,
      tag: bumpTag(previous.tag, 'minor'),
    },
  });
  const timeline = [...cause.steps];
  const ySpike = { from: P - 38 * MINUTE, to: P + 22 * MINUTE, perMinute: 20 };
  addErrorSpike(stepOf(y, 2), {
    ...ySpike,
    messages: [
      'model v7: feature extraction took 2400ms (budget 300ms)',
      'score request exceeded its 2000ms deadline',
    ],
  });
  const yRule = ruleOf(y, 'HighLatency');
  fireAlert(stepOf(y, 3), yRule, {
    pendingAt: P - 36 * MINUTE,
    firingAt: P - 31 * MINUTE,
    resolvedAt: P + 24 * MINUTE,
    value: '2.40',
  });
  timeline.push(
    step(
      y.svc,
      'elasticsearch',
      'error_spike',
      ySpike.from,
      'fraud-detector error logs spike',
    ),
    step(
      y.svc,
      'grafana',
      'alert_firing',
      P - 31 * MINUTE,
      `${yRule.title} firing`,
      yRule.uid,
    ),
  );

  // The decoy: payments-api's own change, closer to the page, that nothing went wrong after.
  const xActor = member(world, x.svc, 1, 'jonas.weber');
  const decoyAt = P - 20 * MINUTE;
  const decoyId = newChangeEvent(stepOf(x, 4), {
    at: decoyAt,
    summary: 'Raise webhook delivery retries from 3 to 5',
    source: 'deployctl',
    details: {
      change_type: 'config',
      key: 'webhooks.retry.max_attempts',
      from: 3,
      to: 5,
      environment: 'production',
      actor: xActor,
    },
  });
  timeline.push(
    step(
      x.svc,
      'pagerduty',
      'change_event',
      decoyAt,
      'Change event: Raise webhook delivery retries',
      decoyId,
    ),
  );
  const xSpike = { from: P - 12 * MINUTE, to: P + 20 * MINUTE, perMinute: 30 };
  addErrorSpike(stepOf(x, 5), {
    ...xSpike,
    messages: [
      'fraud check timed out after 2000ms',
      'POST /v1/payments failed: fraud-detector deadline exceeded',
    ],
    status: 504,
  });
  const xRule = ruleOf(x, 'HighErrorRate');
  fireAlert(stepOf(x, 6), xRule, {
    pendingAt: P - 4 * MINUTE,
    firingAt: P - 2 * MINUTE,
    resolvedAt: P + 23 * MINUTE,
    value: '0.19',
  });
  timeline.push(
    step(
      x.svc,
      'elasticsearch',
      'error_spike',
      xSpike.from,
      'payments-api error logs spike',
    ),
    step(
      x.svc,
      'grafana',
      'alert_firing',
      P - 2 * MINUTE,
      `${xRule.title} firing`,
      xRule.uid,
    ),
  );
  const responder = onCallAt(teamForService(ctx, x.svc), ctx.seed, P) ?? xActor;
  const incident = newIncident(ctx, stepOf(x, 7), x.svc, {
    id: 'Q5PAYFRAUDLAT',
    number: DEPENDENCY_FIRST_INCIDENT_NUMBER,
    title: 'Payment authorizations failing: fraud checks time out',
    urgency: 'high',
    triggeredAt: P,
    acknowledgedAt: P + 4 * MINUTE,
    acknowledgedBy: responder,
    resolvedAt: P + 30 * MINUTE,
    resolvedBy: responder,
    note: `fraud-detector ${cause.tag} (model v7) answered in 2.4 s; rolled back to ${previous.tag}.`,
  });
  const rollback = shipToProduction(world, y, stepOf(y, 8), {
    at: P + 15 * MINUTE,
    actor: dev,
    runNumber: 612,
    rollbackTo: previous,
  });
  timeline.push(
    step(
      x.svc,
      'pagerduty',
      'incident_triggered',
      P,
      incident.title,
      incident.id,
    ),
    ...rollback.steps,
    step(
      x.svc,
      'pagerduty',
      'incident_resolved',
      P + 30 * MINUTE,
      'Resolved',
      incident.id,
    ),
  );
  timeline.sort((a, b) => a.at - b.at);

  const truth = shipmentChanges(y.svc, cause);
  const fix = shipmentChanges(y.svc, rollback).deployment;
  return {
    incident,
    story: {
      id: 'dependency-first',
      title: 'payments-api paged: fraud-detector deployed and went bad first',
      entityRef: x.svc.entityRef,
      incident: storyIncident(x.svc, incident, {
        acknowledgedAt: P + 4 * MINUTE,
        resolvedAt: P + 30 * MINUTE,
      }),
      onset: xSpike.from,
      cause: truth.deployment,
      causeAlsoSeenAs: truth.alsoSeenAs,
      fix,
      decoys: [
        {
          ...change(
            x.svc,
            'pagerduty',
            'change_event',
            decoyId,
            decoyAt,
            'Raise webhook delivery retries from 3 to 5',
          ),
          why: "payments-api's own change, closer to the page, but nothing went bad after it until fraud-detector's trail reached payments-api.",
        },
        {
          ...fix,
          why: 'The rollback of fraud-detector after the page: the fix.',
        },
      ],
      errorSpikes: [
        { entityRef: y.svc.entityRef, ...ySpike },
        { entityRef: x.svc.entityRef, ...xSpike },
      ],
      alert: {
        ruleUid: xRule.uid,
        alertName: xRule.title,
        entityRef: x.svc.entityRef,
        firingAt: P - 2 * MINUTE,
        resolvedAt: P + 23 * MINUTE,
      },
      timeline,
    },
  };
}

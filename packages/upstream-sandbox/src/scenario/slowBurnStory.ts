/*
 * Slow burn, on notification-service (hours before the early-onset story): a deploy, then memory
 * climbs for hours (a warning alert firing from an hour after it, later p95 latency), until
 * workers are OOM-killed, errors spike and it pages 7 h after the deploy; a rollback ends it.
 */
import { HOUR, MINUTE } from '../time';
import {
  SPACE_STORY,
  addErrorSpike,
  fireAlert,
  newIncident,
  teamForService,
} from './generate';
import { AlertRule } from './model';
import { ONSET_SERVICE } from './earlyOnsetStory';
import { onCallAt } from './org';
import { shipToProduction, shipmentChanges } from './shipment';
import {
  Found,
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

export const SLOW_BURN: StoryKey = {
  space: SPACE_STORY,
  slot: 7,
  name: 'slow-burn',
};
export const SLOW_BURN_INCIDENT_NUMBER = 1006;

/** The service's memory warning rule: the story adds it beside the two every service has. */
function memoryRule(found: Found): AlertRule {
  const base = ruleOf(found, 'HighLatency');
  const name = found.svc.name;
  const rule: AlertRule = {
    ...base,
    uid: `${base.uid}m`,
    id: found.svc.index * 10 + 3,
    title: base.title.replace(/HighLatency$/, 'HighMemory'),
    labels: { ...base.labels, severity: 'warning' },
    annotations: {
      ...base.annotations,
      summary: `Memory of ${name} above 75% of its limit`,
      runbook_url: `https://runbooks.acme.example/${name}/HighMemory`,
      __panelId__: '4',
    },
    forDuration: '5m',
    expr: `max(container_memory_working_set_bytes{service="${name}"} / container_spec_memory_limit_bytes{service="${name}"}) > 0.75`,
  };
  found.st.data.alertRules.push(rule);
  return rule;
}

/**
 * Slow burn. D: the causing deploy; memory above 75% from an hour after it, p95 latency up (GC)
 * from 5 h after it, workers OOM-killed and the page 7 h after it; a rollback 20 min after.
 */
export function slowBurn(
  world: StoryWorld,
  D: number,
): PendingStory | undefined {
  const found = world.service(ONSET_SERVICE);
  if (!found) return undefined;
  const { svc } = found;
  const ctx = world.ctx;
  const stepOf = (n: number) => inStep(world, found, SLOW_BURN, n);
  const dev = member(world, svc, 2, 'noah.fischer');
  const previous = previousRelease(found, D, 'v1.6.0');
  const P = D + 7 * HOUR;

  const cause = shipToProduction(world, found, stepOf(1), {
    at: D,
    actor: dev,
    runNumber: 591,
    change: {
      title: 'Cache device tokens in memory for faster fan-out',
      body: 'Keeps resolved device tokens in a process-local map instead of asking the token store per send.',
      pr: 3001,
      tag: bumpTag(previous.tag, 'minor'),
    },
  });
  const timeline = [...cause.steps];
  const memory = memoryRule(found);
  const memoryFiring = D + HOUR;
  fireAlert(stepOf(2), memory, {
    pendingAt: memoryFiring - 5 * MINUTE,
    firingAt: memoryFiring,
    resolvedAt: P + 35 * MINUTE,
    value: '0.76',
  });
  const latency = ruleOf(found, 'HighLatency');
  fireAlert(stepOf(3), latency, {
    pendingAt: P - 2 * HOUR - 5 * MINUTE,
    firingAt: P - 2 * HOUR,
    resolvedAt: P + 30 * MINUTE,
    value: '0.81',
  });
  timeline.push(
    step(
      svc,
      'grafana',
      'alert_firing',
      memoryFiring,
      `${memory.title} firing`,
      memory.uid,
    ),
    step(
      svc,
      'grafana',
      'alert_firing',
      P - 2 * HOUR,
      `${latency.title} firing`,
      latency.uid,
    ),
  );
  const oom = { from: P - 15 * MINUTE, to: P + 25 * MINUTE, perMinute: 25 };
  addErrorSpike(stepOf(4), {
    ...oom,
    messages: [
      'fatal error: runtime: out of memory',
      'push fan-out aborted: worker OOMKilled (exit code 137)',
      'send batch lost: worker restarted',
    ],
  });
  timeline.push(
    step(svc, 'elasticsearch', 'error_spike', oom.from, 'OOM errors spike'),
  );
  const errors = ruleOf(found, 'HighErrorRate');
  fireAlert(stepOf(5), errors, {
    pendingAt: P - 5 * MINUTE,
    firingAt: P - 3 * MINUTE,
    resolvedAt: P + 27 * MINUTE,
    value: '0.27',
  });
  timeline.push(
    step(
      svc,
      'grafana',
      'alert_firing',
      P - 3 * MINUTE,
      `${errors.title} firing`,
      errors.uid,
    ),
  );
  const responder = onCallAt(teamForService(ctx, svc), ctx.seed, P) ?? dev;
  const incident = newIncident(ctx, stepOf(6), svc, {
    id: 'Q7NOTIFYHEAPS',
    number: SLOW_BURN_INCIDENT_NUMBER,
    title: 'Push notifications failing: workers OOM-killed',
    urgency: 'high',
    triggeredAt: P + 30 * 1000,
    acknowledgedAt: P + 6 * MINUTE,
    acknowledgedBy: responder,
    resolvedAt: P + 40 * MINUTE,
    resolvedBy: responder,
    note: `Memory had been climbing since ${cause.tag} (the in-memory token cache never evicts); rolled back to ${previous.tag}.`,
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
  const rollback = shipToProduction(world, found, stepOf(7), {
    at: P + 20 * MINUTE,
    actor: responder,
    runNumber: 592,
    rollbackTo: previous,
  });
  timeline.push(
    ...rollback.steps,
    step(
      svc,
      'pagerduty',
      'incident_resolved',
      P + 40 * MINUTE,
      'Resolved',
      incident.id,
    ),
  );
  timeline.sort((a, b) => a.at - b.at);

  const truth = shipmentChanges(svc, cause);
  const fix = change(
    svc,
    'github',
    'deployment',
    rollback.deployment.id,
    rollback.deployment.at,
    rollback.deployment.description,
  );
  return {
    incident,
    story: {
      id: 'slow-burn',
      title: `notification-service: memory climbs for 7 h after ${cause.tag}, then OOM kills page`,
      entityRef: svc.entityRef,
      incident: storyIncident(svc, incident, {
        acknowledgedAt: P + 6 * MINUTE,
        resolvedAt: P + 40 * MINUTE,
      }),
      onset: memoryFiring,
      cause: truth.deployment,
      causeAlsoSeenAs: truth.alsoSeenAs,
      fix,
      decoys: [{ ...fix, why: 'The rollback after the page: the fix.' }],
      errorSpikes: [{ entityRef: svc.entityRef, ...oom }],
      alert: {
        ruleUid: errors.uid,
        alertName: errors.title,
        entityRef: svc.entityRef,
        firingAt: P - 3 * MINUTE,
        resolvedAt: P + 27 * MINUTE,
      },
      timeline,
    },
  };
}

/*
 * The demo's incident stories, written into the generated data with their ground truth:
 *   1. payments-api bad deploy (~3 h ago), cause: the production deployment of v2.14.0;
 *   2. dependency outage (~9 h ago): cart-service is paged, cause: a config change event on
 *      inventory-service, which cart-service depends on; decoys: a later cart-service commit and
 *      a deploy of checkout-api (downstream of cart-service);
 *   3. the quiet library go-telemetry: releases only;
 *   4. the live story on checkout-api, played by replayLive();
 * then the likely-cause stories of causeStories.ts (errors long before the page, a dependency
 * that went bad first, a flag turned back off, a slow burn).
 */
import { ScenarioService, Story, StoryStep } from '../types';
import { Rng } from '../random';
import { HOUR, MINUTE, SECOND } from '../time';
import {
  SPACE_LIVE,
  SPACE_STORY,
  addErrorSpike,
  fireAlert,
  newAnnotation,
  newChangeEvent,
  newCommit,
  newDeployment,
  newIncident,
  newPull,
  newRun,
  teamForService,
} from './generate';
import { onCallAt } from './org';
import {
  PendingStory,
  StoryKey,
  StoryWorld,
  change,
  inStep,
  lastReleaseTag,
  member,
  sec,
  step,
} from './storyKit';
import { buildCauseStories, causeStoryQuietWindows } from './causeStories';
import { cartSlack, paymentsSlack } from './slackStories';

export const PAYMENTS_STORY_OFFSET = 3 * HOUR;
export const DEPENDENCY_STORY_OFFSET = 9 * HOUR;

const PAYMENTS: StoryKey = {
  space: SPACE_STORY,
  slot: 1,
  name: 'payments-bad-deploy',
};
const DEPENDENCY: StoryKey = {
  space: SPACE_STORY,
  slot: 2,
  name: 'dependency-outage',
};
const QUIET_LIBRARY: StoryKey = {
  space: SPACE_STORY,
  slot: 3,
  name: 'quiet-library',
};
export const PAYMENTS_INCIDENT_NUMBER = 1001;
export const DEPENDENCY_INCIDENT_NUMBER = 1002;
/** Live replay n's incident number is this + n. */
export const LIVE_INCIDENT_NUMBER_BASE = 2000;
const PAYMENTS_PR_NUMBER = 2140;

/**
 * Quiet windows: no background changes or incidents on these services around the stories. A
 * story's paged service keeps its dependencies quiet too, two hops deep as the correlator reads
 * them: a background incident on fraud-detector just before payments-api's bad deploy would make
 * fraud-detector's earlier changes suspects, and the story's ground truth would then depend on
 * the time of day the sandbox starts at.
 */
export function storyQuietWindows(
  anchor: number,
  services: ScenarioService[],
): Map<string, Array<[number, number]>> {
  const T = anchor - PAYMENTS_STORY_OFFSET;
  const U = anchor - DEPENDENCY_STORY_OFFSET;
  const windows = new Map<string, Array<[number, number]>>();
  const quiet = (names: string[], window: [number, number]) => {
    for (const name of names)
      windows.set(name, [...(windows.get(name) ?? []), window]);
  };
  quiet(['payments-api'], [T - 6 * HOUR, anchor]);
  quiet(dependenciesOf('payments-api', services), [T - 6 * HOUR, T + 3 * HOUR]);
  quiet(
    [
      ...new Set([
        'cart-service',
        'inventory-service',
        'checkout-api',
        ...dependenciesOf('cart-service', services),
      ]),
    ],
    [U - 6 * HOUR, U + 3 * HOUR],
  );
  for (const [name, more] of causeStoryQuietWindows(anchor))
    for (const window of more) quiet([name], window);
  return windows;
}

/** The services `name` depends on, directly or through one other (dependsOn holds refs). */
export function dependenciesOf(
  name: string,
  services: ScenarioService[],
): string[] {
  const byRef = new Map(services.map(s => [s.entityRef, s]));
  const direct = services.find(s => s.name === name)?.dependsOn ?? [];
  const second = direct.flatMap(ref => byRef.get(ref)?.dependsOn ?? []);
  return [...new Set([...direct, ...second])]
    .map(ref => byRef.get(ref)?.name)
    .filter((d): d is string => d !== undefined && d !== name);
}

/** Story 1: payments-api bad deploy ~3 h before now. */
function paymentsBadDeploy(world: StoryWorld): PendingStory | undefined {
  const found = world.service('payments-api');
  if (!found) return undefined;
  const { svc, st } = found;
  const ctx = world.ctx;
  const T = sec(ctx.anchor - PAYMENTS_STORY_OFFSET);
  const author = member(world, svc, 2, 'priya.raman');
  const releaser = member(world, svc, 1, 'jonas.weber');
  const previous = lastReleaseTag(st, T) ?? {
    tag: 'v2.13.2',
    sha:
      st.data.commits[0]?.sha ??
      new Rng(ctx.seed, PAYMENTS.name, 'previous').hex(40),
  };
  const timeline: StoryStep[] = [];
  const stepOf = (n: number) => inStep(world, found, PAYMENTS, n);

  const title = 'Switch card tokenization to the v2 vault client';
  const commit = newCommit(stepOf(1), T - 45 * MINUTE, title, author);
  const pr = newPull(stepOf(2), {
    number: PAYMENTS_PR_NUMBER,
    title,
    body: 'Moves tokenization to the v2 vault client (connection reuse, new retry policy).\n\nLoad-tested in staging at 20% of production traffic.',
    author,
    createdAt: T - 26 * HOUR,
    mergedAt: T - 45 * MINUTE,
    mergeCommit: commit,
    headRef: 'feat/vault-client-v2',
    labels: ['payments', 'dependencies'],
  });
  newRun(stepOf(3), {
    workflow: 'CI',
    at: T - 44 * MINUTE,
    sha: commit.sha,
    branch: 'main',
    event: 'push',
    title,
    actor: author,
    durationMs: 6 * MINUTE,
    runNumber: 9001,
  });
  timeline.push(
    step(
      svc,
      'github',
      'pull_request',
      T - 45 * MINUTE,
      `PR merged: ${title}`,
      pr.id,
    ),
  );
  const releaseId = stepOf(4).ids.next('release');
  st.data.releases.push({
    id: releaseId,
    tag: 'v2.14.0',
    name: 'v2.14.0',
    body: `## Changes\n\n- ${title}\n`,
    author: releaser,
    at: T - 30 * MINUTE,
    targetSha: commit.sha,
    prerelease: false,
  });
  newRun(stepOf(5), {
    workflow: 'Release',
    at: T - 30 * MINUTE,
    sha: commit.sha,
    branch: 'v2.14.0',
    event: 'release',
    title: 'v2.14.0',
    actor: releaser,
    durationMs: 4 * MINUTE,
    runNumber: 301,
  });
  timeline.push(
    step(
      svc,
      'github',
      'release',
      T - 30 * MINUTE,
      'Release v2.14.0',
      releaseId,
    ),
  );
  const staging = newDeployment(stepOf(6), {
    at: T - 25 * MINUTE,
    sha: commit.sha,
    ref: 'v2.14.0',
    environment: 'staging',
    creator: releaser,
    description: 'Deploy v2.14.0 to staging',
  });
  timeline.push(
    step(
      svc,
      'github',
      'deployment',
      staging.at,
      'Deploy v2.14.0 to staging',
      staging.id,
    ),
  );
  const prod = newDeployment(stepOf(7), {
    at: T,
    sha: commit.sha,
    ref: 'v2.14.0',
    environment: 'production',
    creator: releaser,
    description: 'Deploy v2.14.0 to production',
  });
  newRun(stepOf(8), {
    workflow: 'Deploy',
    at: T,
    sha: commit.sha,
    branch: 'v2.14.0',
    event: 'workflow_dispatch',
    title: 'Deploy v2.14.0 to production',
    actor: releaser,
    durationMs: 3 * MINUTE,
    runNumber: 501,
  });
  timeline.push(
    step(
      svc,
      'github',
      'deployment',
      T,
      'Deploy v2.14.0 to production',
      prod.id,
    ),
  );
  newAnnotation(stepOf(9), {
    at: T,
    timeEnd: T + 3 * MINUTE,
    tags: ['deploy', 'payments-api', 'production'],
    text: 'Deploy payments-api v2.14.0 to production',
    login: world.ctx.org.personByName.get(releaser)?.login,
  });
  timeline.push(
    step(svc, 'grafana', 'annotation', T, 'Deploy annotation v2.14.0'),
  );
  const changeId = newChangeEvent(stepOf(10), {
    at: T + 4 * MINUTE,
    summary: 'Deployed payments-api v2.14.0 to production',
    source: 'deployctl',
    details: {
      version: 'v2.14.0',
      environment: 'production',
      deployment_id: prod.id,
      actor: releaser,
    },
    link: `https://deployctl.acme.example/deployments/${prod.id}`,
  });
  timeline.push(
    step(
      svc,
      'pagerduty',
      'change_event',
      T + 4 * MINUTE,
      'Change event: deployed v2.14.0',
      changeId,
    ),
  );

  const spikeFrom = T + 5 * MINUTE;
  const spikeTo = T + 38 * MINUTE;
  addErrorSpike(stepOf(11), {
    from: spikeFrom,
    to: spikeTo,
    perMinute: 40,
    messages: [
      'vault: tokenize card: context deadline exceeded',
      'POST /v1/payments failed: vault v2 client returned 503',
      'capture failed: tokenization unavailable',
    ],
  });
  timeline.push(
    step(
      svc,
      'elasticsearch',
      'error_spike',
      spikeFrom,
      'Error logs spike (~40/min)',
    ),
  );
  const rule =
    st.data.alertRules.find(r => r.title === 'PaymentsAPIHighErrorRate') ??
    st.data.alertRules[0];
  fireAlert(stepOf(12), rule, {
    pendingAt: T + 7 * MINUTE,
    firingAt: T + 9 * MINUTE,
    resolvedAt: T + 42 * MINUTE,
    value: '0.23',
  });
  timeline.push(
    step(
      svc,
      'grafana',
      'alert_firing',
      T + 9 * MINUTE,
      `${rule.title} firing`,
      rule.uid,
    ),
  );

  const team = teamForService(ctx, svc);
  const primary = onCallAt(team, ctx.seed, T + 9 * MINUTE) ?? author;
  const incident = newIncident(ctx, stepOf(13), svc, {
    id: 'Q1PAYV2140BAD',
    number: PAYMENTS_INCIDENT_NUMBER,
    title: '[FIRING:1] PaymentsAPIHighErrorRate payments-api (critical)',
    description: 'More than 5% of payments-api requests fail',
    urgency: 'high',
    triggeredAt: T + 9 * MINUTE + 30 * SECOND,
    acknowledgedAt: T + 12 * MINUTE,
    acknowledgedBy: primary,
    escalatedAt: T + 18 * MINUTE,
    escalatedBy: primary,
    resolvedAt: T + 45 * MINUTE,
    resolvedBy: primary,
    note: `Rolled back v2.14.0 to ${previous.tag}: the v2 vault client times out under production load.`,
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
  timeline.push(
    step(
      svc,
      'pagerduty',
      'incident_acknowledged',
      T + 12 * MINUTE,
      'Acknowledged',
      incident.id,
    ),
  );
  timeline.push(
    step(
      svc,
      'pagerduty',
      'incident_escalated',
      T + 18 * MINUTE,
      'Escalated to level 2 (SRE)',
      incident.id,
    ),
  );

  paymentsSlack(world, found, {
    T,
    incident,
    releaser,
    author,
    primary,
    previousTag: previous.tag,
  });

  const rollback = newDeployment(stepOf(14), {
    at: T + 35 * MINUTE,
    sha: previous.sha,
    ref: previous.tag,
    environment: 'production',
    creator: primary,
    description: `Roll back to ${previous.tag}`,
  });
  newRun(stepOf(15), {
    workflow: 'Deploy',
    at: T + 35 * MINUTE,
    sha: previous.sha,
    branch: previous.tag,
    event: 'workflow_dispatch',
    title: `Roll back to ${previous.tag}`,
    actor: primary,
    durationMs: 3 * MINUTE,
    runNumber: 502,
  });
  newAnnotation(stepOf(16), {
    at: T + 35 * MINUTE,
    timeEnd: T + 38 * MINUTE,
    tags: ['deploy', 'payments-api', 'production', 'rollback'],
    text: `Roll back payments-api to ${previous.tag}`,
    login: world.ctx.org.personByName.get(primary)?.login,
  });
  const rollbackChange = newChangeEvent(stepOf(17), {
    at: T + 38 * MINUTE,
    summary: `Rolled back payments-api to ${previous.tag}`,
    source: 'deployctl',
    details: {
      version: previous.tag,
      environment: 'production',
      deployment_id: rollback.id,
      actor: primary,
      rollback: 'true',
    },
  });
  timeline.push(
    step(
      svc,
      'github',
      'deployment',
      T + 35 * MINUTE,
      `Roll back to ${previous.tag}`,
      rollback.id,
    ),
  );
  timeline.push(
    step(
      svc,
      'pagerduty',
      'change_event',
      T + 38 * MINUTE,
      'Change event: rollback',
      rollbackChange,
    ),
  );
  timeline.push(
    step(
      svc,
      'elasticsearch',
      'error_spike_end',
      spikeTo,
      'Error rate back to normal',
    ),
  );
  timeline.push(
    step(
      svc,
      'grafana',
      'alert_resolved',
      T + 42 * MINUTE,
      `${rule.title} resolved`,
      rule.uid,
    ),
  );
  timeline.push(
    step(
      svc,
      'pagerduty',
      'incident_resolved',
      T + 45 * MINUTE,
      'Resolved',
      incident.id,
    ),
  );
  timeline.sort((a, b) => a.at - b.at);

  return {
    incident,
    story: {
      id: 'payments-bad-deploy',
      title: 'payments-api: bad deploy of v2.14.0, rolled back',
      entityRef: svc.entityRef,
      incident: {
        pagerdutyId: incident.id,
        pagerdutyServiceId: svc.pagerdutyServiceId!,
        incidentNumber: 0,
        title: incident.title,
        htmlUrl: `https://acme.pagerduty.com/incidents/${incident.id}`,
        triggeredAt: incident.createdAt,
        acknowledgedAt: T + 12 * MINUTE,
        escalatedAt: T + 18 * MINUTE,
        resolvedAt: T + 45 * MINUTE,
      },
      cause: change(
        svc,
        'github',
        'deployment',
        prod.id,
        prod.at,
        'Deploy v2.14.0 to production',
      ),
      causeAlsoSeenAs: [
        change(
          svc,
          'pagerduty',
          'change_event',
          changeId,
          T + 4 * MINUTE,
          'Deployed payments-api v2.14.0 to production',
        ),
        change(
          svc,
          'github',
          'release',
          releaseId,
          T - 30 * MINUTE,
          'Release v2.14.0',
        ),
        change(
          svc,
          'github',
          'pull_request',
          pr.id,
          T - 45 * MINUTE,
          `PR: ${title}`,
        ),
      ],
      decoys: [
        {
          ...change(
            svc,
            'github',
            'deployment',
            rollback.id,
            rollback.at,
            `Roll back to ${previous.tag}`,
          ),
          why: 'The rollback happened after the incident was triggered: it is the fix, not the cause.',
        },
      ],
      errorSpikes: [
        {
          entityRef: svc.entityRef,
          from: spikeFrom,
          to: spikeTo,
          perMinute: 40,
        },
      ],
      alert: {
        ruleUid: rule.uid,
        alertName: rule.title,
        entityRef: svc.entityRef,
        firingAt: T + 9 * MINUTE,
        resolvedAt: T + 42 * MINUTE,
      },
      timeline,
    },
  };
}

/** Story 2: inventory-service config change breaks cart-service ~9 h before now. */
function dependencyOutage(world: StoryWorld): PendingStory | undefined {
  const inv = world.service('inventory-service');
  const cart = world.service('cart-service');
  const checkout = world.service('checkout-api');
  if (!inv || !cart) return undefined;
  const ctx = world.ctx;
  const U = sec(ctx.anchor - DEPENDENCY_STORY_OFFSET);
  const timeline: StoryStep[] = [];
  const invActor = member(world, inv.svc, 1, 'mei.tanaka');
  const stepOf = (found: typeof inv, n: number) =>
    inStep(world, found, DEPENDENCY, n);

  const changeAt = U - 12 * MINUTE;
  const changeId = newChangeEvent(stepOf(inv, 1), {
    at: changeAt,
    summary: 'Reduce DB connection pool to 5',
    source: 'deployctl',
    details: {
      change_type: 'config',
      key: 'db.pool.max_connections',
      old_value: 50,
      new_value: 5,
      environment: 'production',
      actor: invActor,
    },
    link: 'https://deployctl.acme.example/changes/inventory-service/db-pool',
  });
  timeline.push(
    step(
      inv.svc,
      'pagerduty',
      'change_event',
      changeAt,
      'Change event: Reduce DB connection pool to 5',
      changeId,
    ),
  );
  const invSpike = { from: U - 10 * MINUTE, to: U + 40 * MINUTE };
  addErrorSpike(stepOf(inv, 2), {
    ...invSpike,
    perMinute: 25,
    messages: [
      'timeout acquiring connection from pool after 5000ms',
      'pq: sorry, too many clients already',
    ],
  });
  timeline.push(
    step(
      inv.svc,
      'elasticsearch',
      'error_spike',
      invSpike.from,
      'inventory-service error logs spike',
    ),
  );
  const invRule = inv.st.data.alertRules.find(r =>
    r.title.endsWith('HighLatency'),
  );
  if (invRule) {
    fireAlert(stepOf(inv, 3), invRule, {
      pendingAt: U - 8 * MINUTE,
      firingAt: U - 3 * MINUTE,
      resolvedAt: U + 44 * MINUTE,
      value: '2.10',
    });
    timeline.push(
      step(
        inv.svc,
        'grafana',
        'alert_firing',
        U - 3 * MINUTE,
        `${invRule.title} firing`,
        invRule.uid,
      ),
    );
  }

  const cartSpike = { from: U - 3 * MINUTE, to: U + 42 * MINUTE };
  addErrorSpike(stepOf(cart, 4), {
    ...cartSpike,
    perMinute: 30,
    messages: [
      'pricing: inventory-service GET /v1/stock timed out after 2000ms',
      'failed to price cart: context deadline exceeded',
    ],
    status: 504,
  });
  timeline.push(
    step(
      cart.svc,
      'elasticsearch',
      'error_spike',
      cartSpike.from,
      'cart-service error logs spike',
    ),
  );
  const cartRule =
    cart.st.data.alertRules.find(r => r.title.endsWith('HighErrorRate')) ??
    cart.st.data.alertRules[0];
  fireAlert(stepOf(cart, 5), cartRule, {
    pendingAt: U - 2 * MINUTE,
    firingAt: U,
    resolvedAt: U + 46 * MINUTE,
    value: '0.31',
  });
  timeline.push(
    step(
      cart.svc,
      'grafana',
      'alert_firing',
      U,
      `${cartRule.title} firing`,
      cartRule.uid,
    ),
  );
  const cartTeam = teamForService(ctx, cart.svc);
  const responder = onCallAt(cartTeam, ctx.seed, U) ?? invActor;
  const incident = newIncident(ctx, stepOf(cart, 6), cart.svc, {
    id: 'Q2CARTPRICING',
    number: DEPENDENCY_INCIDENT_NUMBER,
    title: 'Cart pricing timeouts',
    description:
      'cart-service cannot price carts: calls to inventory-service time out',
    urgency: 'high',
    triggeredAt: U + 30 * SECOND,
    acknowledgedAt: U + 6 * MINUTE,
    acknowledgedBy: responder,
    resolvedAt: U + 50 * MINUTE,
    resolvedBy: responder,
    note: 'Root cause: inventory-service DB connection pool was reduced to 5 (config change); restored to 50.',
  });
  timeline.push(
    step(
      cart.svc,
      'pagerduty',
      'incident_triggered',
      incident.createdAt,
      incident.title,
      incident.id,
    ),
  );
  cartSlack(cart, { incident, responder, U });
  const revertId = newChangeEvent(stepOf(inv, 7), {
    at: U + 41 * MINUTE,
    summary: 'Restore DB connection pool to 50',
    source: 'deployctl',
    details: {
      change_type: 'config',
      key: 'db.pool.max_connections',
      old_value: 5,
      new_value: 50,
      environment: 'production',
      actor: responder,
    },
  });
  timeline.push(
    step(
      inv.svc,
      'pagerduty',
      'change_event',
      U + 41 * MINUTE,
      'Change event: Restore DB connection pool to 50',
      revertId,
    ),
  );
  timeline.push(
    step(
      cart.svc,
      'pagerduty',
      'incident_resolved',
      U + 50 * MINUTE,
      'Resolved',
      incident.id,
    ),
  );

  // Decoy 1: a cart-service commit after the incident started.
  const cartAuthor = member(world, cart.svc, 0, 'lucas.moreau');
  const decoyCommit = newCommit(
    stepOf(cart, 8),
    U + 15 * MINUTE,
    'Add retry budget to inventory client',
    cartAuthor,
  );
  newRun(stepOf(cart, 9), {
    workflow: 'CI',
    at: U + 15 * MINUTE + 20 * SECOND,
    sha: decoyCommit.sha,
    branch: 'main',
    event: 'push',
    title: decoyCommit.message,
    actor: cartAuthor,
    durationMs: 5 * MINUTE,
    runNumber: 9101,
  });
  timeline.push(
    step(
      cart.svc,
      'github',
      'commit',
      decoyCommit.at,
      decoyCommit.message,
      decoyCommit.sha,
    ),
  );
  const decoys: Story['decoys'] = [
    {
      ...change(
        cart.svc,
        'github',
        'commit',
        decoyCommit.sha,
        decoyCommit.at,
        decoyCommit.message,
      ),
      why: 'Committed after the incident was triggered: a change after the incident is never its cause.',
    },
  ];

  // Decoy 2: checkout-api (downstream of cart-service) deploys shortly before.
  if (checkout) {
    const rng = new Rng(ctx.seed, 'story2-checkout');
    const last = lastReleaseTag(checkout.st, U) ?? {
      tag: 'v3.7.0',
      sha: rng.hex(40),
    };
    const tag = last.tag.replace(/(\d+)$/, n => String(Number(n) + 1));
    const checkoutActor = member(world, checkout.svc, 2, 'sofia.alvarez');
    const c = newCommit(
      stepOf(checkout, 10),
      U - 70 * MINUTE,
      'Show estimated delivery date at checkout',
      checkoutActor,
    );
    checkout.st.data.releases.push({
      id: stepOf(checkout, 11).ids.next('release'),
      tag,
      name: tag,
      body: `## Changes\n\n- ${c.message}\n`,
      author: checkoutActor,
      at: U - 50 * MINUTE,
      targetSha: c.sha,
      prerelease: false,
    });
    const d = newDeployment(stepOf(checkout, 12), {
      at: U - 20 * MINUTE,
      sha: c.sha,
      ref: tag,
      environment: 'production',
      creator: checkoutActor,
      description: `Deploy ${tag} to production`,
    });
    newAnnotation(stepOf(checkout, 13), {
      at: d.at,
      timeEnd: d.at + 3 * MINUTE,
      tags: ['deploy', 'checkout-api', 'production'],
      text: `Deploy checkout-api ${tag} to production`,
    });
    const ce = newChangeEvent(stepOf(checkout, 14), {
      at: d.at + 4 * MINUTE,
      summary: `Deployed checkout-api ${tag} to production`,
      source: 'deployctl',
      details: {
        version: tag,
        environment: 'production',
        deployment_id: d.id,
        actor: checkoutActor,
      },
    });
    timeline.push(
      step(
        checkout.svc,
        'github',
        'deployment',
        d.at,
        `checkout-api: deploy ${tag}`,
        d.id,
      ),
    );
    decoys.push(
      {
        ...change(
          checkout.svc,
          'github',
          'deployment',
          d.id,
          d.at,
          `Deploy ${tag} to production`,
        ),
        why: 'checkout-api depends on cart-service: it is downstream of the paged service, not a suspect.',
      },
      {
        ...change(
          checkout.svc,
          'pagerduty',
          'change_event',
          ce,
          d.at + 4 * MINUTE,
          `Deployed checkout-api ${tag} to production`,
        ),
        why: 'The change event of the downstream checkout-api deploy.',
      },
    );
  }
  timeline.sort((a, b) => a.at - b.at);

  return {
    incident,
    story: {
      id: 'dependency-outage',
      title: 'cart-service paged: inventory-service DB pool change',
      entityRef: cart.svc.entityRef,
      incident: {
        pagerdutyId: incident.id,
        pagerdutyServiceId: cart.svc.pagerdutyServiceId!,
        incidentNumber: 0,
        title: incident.title,
        htmlUrl: `https://acme.pagerduty.com/incidents/${incident.id}`,
        triggeredAt: incident.createdAt,
        acknowledgedAt: U + 6 * MINUTE,
        resolvedAt: U + 50 * MINUTE,
      },
      cause: change(
        inv.svc,
        'pagerduty',
        'change_event',
        changeId,
        changeAt,
        'Reduce DB connection pool to 5',
      ),
      causeAlsoSeenAs: [],
      decoys,
      errorSpikes: [
        { entityRef: inv.svc.entityRef, ...invSpike, perMinute: 25 },
        { entityRef: cart.svc.entityRef, ...cartSpike, perMinute: 30 },
      ],
      alert: {
        ruleUid: cartRule.uid,
        alertName: cartRule.title,
        entityRef: cart.svc.entityRef,
        firingAt: U,
        resolvedAt: U + 46 * MINUTE,
      },
      timeline,
    },
  };
}

/**
 * Story 3: go-telemetry only releases (with their commits): no incidents, no deploys. Its releases
 * are the story's (the background gives it commits only), one per step.
 */
function quietLibrary(world: StoryWorld): PendingStory | undefined {
  const lib = world.service('go-telemetry');
  if (!lib) return undefined;
  const { svc, st } = lib;
  const ctx = world.ctx;
  const author = member(world, svc, 0, 'noah.fischer');
  const releases: Array<[number, string, string]> = [
    [11 * 24 * HOUR + 4 * HOUR, 'v1.10.0', 'Add OTLP/HTTP exporter'],
    [5 * 24 * HOUR + 3 * HOUR, 'v1.11.0', 'Export histogram exemplars'],
    [26 * HOUR, 'v1.12.0', 'Batch span exports by size and age'],
  ];
  releases.forEach(([ago, tag, message], k) => {
    const at = sec(ctx.anchor - ago);
    // A shorter history (`days`) keeps the releases it has room for.
    if (at - 2 * HOUR < ctx.from) return;
    const c = newCommit(
      inStep(world, lib, QUIET_LIBRARY, 1 + 2 * k),
      at - 2 * HOUR,
      message,
      author,
    );
    st.data.releases.push({
      id: inStep(world, lib, QUIET_LIBRARY, 2 + 2 * k).ids.next('release'),
      tag,
      name: tag,
      body: `## Changes\n\n- ${c.message}\n`,
      author,
      at,
      targetSha: c.sha,
      prerelease: false,
    });
  });
  const timeline = st.data.releases
    .slice()
    .sort((a, b) => a.at - b.at)
    .map(r => step(svc, 'github', 'release', r.at, `Release ${r.tag}`, r.id));
  return {
    story: {
      id: 'quiet-library',
      title: 'go-telemetry: a quiet library with releases only',
      entityRef: svc.entityRef,
      causeAlsoSeenAs: [],
      decoys: [],
      errorSpikes: [],
      timeline,
    },
  };
}

export function buildStories(world: StoryWorld): PendingStory[] {
  return [
    paymentsBadDeploy(world),
    dependencyOutage(world),
    quietLibrary(world),
    ...buildCauseStories(world),
  ].filter((s): s is PendingStory => s !== undefined);
}

/** The live story on checkout-api: deploy, errors, alert, incident, rollback, resolve. */
export function buildLiveStory(
  world: StoryWorld,
  opts: { t0: number; stepMs: number; replay: number },
): PendingStory | undefined {
  const found = world.service('checkout-api');
  if (!found) return undefined;
  const { svc, st } = found;
  const ctx = world.ctx;
  const { t0, stepMs: s } = opts;
  const at = (steps: number) => t0 + Math.round(steps * s);
  const timeline: StoryStep[] = [];
  const actor = member(world, svc, 1, 'mei.tanaka');
  // Each replay is a new story: its ids are fixed per replay number and step.
  const live: StoryKey = { space: SPACE_LIVE, slot: opts.replay, name: 'live' };
  const stepOf = (n: number) => inStep(world, found, live, n);
  const prev = lastReleaseTag(st, Number.MAX_SAFE_INTEGER) ?? {
    tag: 'v3.8.0',
    sha: new Rng(ctx.seed, 'live', opts.replay, 'previous').hex(40),
  };
  const tag = `v3.9.${opts.replay}`;
  const commit = newCommit(
    stepOf(1),
    at(-0.5),
    `Enable one-click checkout (live replay ${opts.replay})`,
    actor,
  );
  const releaseId = stepOf(2).ids.next('release');
  st.data.releases.push({
    id: releaseId,
    tag,
    name: tag,
    body: `## Changes\n\n- ${commit.message}\n`,
    author: actor,
    at: at(-0.25),
    targetSha: commit.sha,
    prerelease: false,
  });
  const deploy = newDeployment(stepOf(3), {
    at: at(0),
    sha: commit.sha,
    ref: tag,
    environment: 'production',
    creator: actor,
    description: `Deploy ${tag} to production`,
    durationMs: Math.max(SECOND, Math.round(s / 2)),
  });
  timeline.push(
    step(
      svc,
      'github',
      'deployment',
      deploy.at,
      `Deploy ${tag} to production`,
      deploy.id,
    ),
  );
  newAnnotation(stepOf(4), {
    at: at(0),
    timeEnd: at(0.5),
    tags: ['deploy', svc.grafanaTag ?? svc.name, 'production'],
    text: `Deploy ${svc.name} ${tag} to production`,
  });
  const changeId = newChangeEvent(stepOf(5), {
    at: at(0),
    summary: `Deployed ${svc.name} ${tag} to production`,
    source: 'deployctl',
    details: {
      version: tag,
      environment: 'production',
      deployment_id: deploy.id,
      actor,
    },
  });
  addErrorSpike(stepOf(6), {
    from: at(1),
    to: at(5.5),
    count: 60,
    messages: [
      'one-click checkout: payment intent missing',
      'POST /v1/orders failed: 500',
    ],
  });
  timeline.push(
    step(svc, 'elasticsearch', 'error_spike', at(1), 'Error logs spike'),
  );
  const rule =
    st.data.alertRules.find(r => r.title.endsWith('HighErrorRate')) ??
    st.data.alertRules[0];
  if (rule) {
    fireAlert(stepOf(7), rule, {
      pendingAt: at(1.5),
      firingAt: at(2),
      resolvedAt: at(6),
      value: '0.18',
    });
    timeline.push(
      step(
        svc,
        'grafana',
        'alert_firing',
        at(2),
        `${rule.title} firing`,
        rule.uid,
      ),
    );
  }
  const team = teamForService(ctx, svc);
  const responder = onCallAt(team, ctx.seed, at(3)) ?? actor;
  const incident = newIncident(ctx, stepOf(8), svc, {
    number: LIVE_INCIDENT_NUMBER_BASE + opts.replay,
    id: `Q3LIVE${String(opts.replay).padStart(2, '0')}${new Rng(
      ctx.seed,
      'live',
      opts.replay,
    ).alnum(5)}`,
    title: `[FIRING:1] ${
      rule?.title ?? 'CheckoutAPIHighErrorRate'
    } checkout-api (critical)`,
    urgency: 'high',
    triggeredAt: at(3),
    acknowledgedAt: at(4),
    acknowledgedBy: responder,
    resolvedAt: at(7),
    resolvedBy: responder,
    note: `Rolled back ${tag} to ${prev.tag}.`,
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
  const rollback = newDeployment(stepOf(9), {
    at: at(5),
    sha: prev.sha,
    ref: prev.tag,
    environment: 'production',
    creator: responder,
    description: `Roll back to ${prev.tag}`,
    durationMs: Math.max(SECOND, Math.round(s / 2)),
  });
  timeline.push(
    step(
      svc,
      'github',
      'deployment',
      rollback.at,
      `Roll back to ${prev.tag}`,
      rollback.id,
    ),
  );
  timeline.push(
    step(svc, 'pagerduty', 'incident_resolved', at(7), 'Resolved', incident.id),
  );
  timeline.sort((a, b) => a.at - b.at);
  return {
    incident,
    story: {
      id: `checkout-live-${opts.replay}`,
      title: `checkout-api: live bad deploy of ${tag}`,
      entityRef: svc.entityRef,
      incident: {
        pagerdutyId: incident.id,
        pagerdutyServiceId: svc.pagerdutyServiceId!,
        incidentNumber: 0,
        title: incident.title,
        htmlUrl: `https://acme.pagerduty.com/incidents/${incident.id}`,
        triggeredAt: incident.createdAt,
        acknowledgedAt: at(4),
        resolvedAt: at(7),
      },
      cause: change(
        svc,
        'github',
        'deployment',
        deploy.id,
        deploy.at,
        `Deploy ${tag} to production`,
      ),
      causeAlsoSeenAs: [
        change(
          svc,
          'pagerduty',
          'change_event',
          changeId,
          at(0),
          `Deployed ${svc.name} ${tag} to production`,
        ),
      ],
      decoys: [
        {
          ...change(
            svc,
            'github',
            'deployment',
            rollback.id,
            rollback.at,
            `Roll back to ${prev.tag}`,
          ),
          why: 'The rollback is the fix, after the incident was triggered.',
        },
      ],
      errorSpikes: [
        {
          entityRef: svc.entityRef,
          from: at(1),
          to: at(5.5),
          perMinute: Math.round(60 / ((4.5 * s) / MINUTE)),
        },
      ],
      alert: rule
        ? {
            ruleUid: rule.uid,
            alertName: rule.title,
            entityRef: svc.entityRef,
            firingAt: at(2),
            resolvedAt: at(6),
          }
        : undefined,
      timeline,
    },
  };
}

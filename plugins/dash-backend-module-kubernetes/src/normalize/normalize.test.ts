import {
  deploymentSchema,
  eventSchema,
  podSchema,
  replicaSetSchema,
} from '../schemas';
import { ClusterSnapshot, imageTag } from './snapshot';
import { rolloutEvents } from './rollouts';
import { podTroubleEvents } from './podTrouble';

const MIN = 60_000;
const T0 = Date.parse('2026-05-01T08:00:00Z');
const T1 = T0 + 24 * 60 * MIN;
const T2 = T1 + 3 * 60 * MIN;
const at = (ms: number) => new Date(ms).toISOString();
const ctx = {
  entityRef: 'component:default/pay',
  fromMs: T0 - 60 * MIN,
  toMs: T2 + 10 * 60 * MIN,
  nowMs: T2 + 10 * 60 * MIN,
};

function rs(
  hash: string,
  tag: string,
  created: number,
  revision: number,
  revisionHistory?: string,
) {
  return replicaSetSchema.parse({
    metadata: {
      name: `pay-${hash}`,
      namespace: 'shop',
      creationTimestamp: at(created),
      annotations: {
        'deployment.kubernetes.io/revision': String(revision),
        ...(revisionHistory
          ? { 'deployment.kubernetes.io/revision-history': revisionHistory }
          : {}),
      },
      ownerReferences: [{ kind: 'Deployment', name: 'pay' }],
    },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'sidecar', image: 'proxy:1.0' },
            { name: 'pay', image: `registry.example:5000/acme/pay:${tag}` },
          ],
        },
      },
    },
  });
}

function deployment(revision: number, reason: string, updated: number) {
  return deploymentSchema.parse({
    metadata: {
      name: 'pay',
      namespace: 'shop',
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
    },
    status: {
      conditions: [
        {
          type: 'Progressing',
          status: 'True',
          reason,
          lastUpdateTime: at(updated),
        },
      ],
    },
  });
}

let uid = 0;
function event(
  reason: string,
  kind: string,
  name: string,
  message: string,
  first: number,
  last = first,
  count = 1,
) {
  uid += 1;
  return eventSchema.parse({
    metadata: { name: `${name}.${uid}`, uid: `u${uid}` },
    involvedObject: { kind, name, namespace: 'shop' },
    reason,
    message,
    type: reason === 'ScalingReplicaSet' ? 'Normal' : 'Warning',
    count,
    firstTimestamp: at(first),
    lastTimestamp: at(last),
  });
}
const scaled = (rsName: string, from: number, to: number, when: number) =>
  event(
    'ScalingReplicaSet',
    'Deployment',
    'pay',
    `Scaled ${
      to > from ? 'up' : 'down'
    } replica set ${rsName} from ${from} to ${to}`,
    when,
  );

/** v1.0 (revision 1), v1.1 (revision 2), then `rollout undo` back to v1.0 (revision 3). */
function history(condition = 'NewReplicaSetAvailable'): ClusterSnapshot {
  return {
    cluster: 'eu',
    environment: 'production',
    deployments: [deployment(3, condition, T2 + 2 * MIN)],
    replicaSets: [rs('aaa', 'v1.0', T0, 3, '1'), rs('bbb', 'v1.1', T1, 2)],
    pods: [],
    events: [
      scaled('pay-aaa', 0, 3, T0),
      scaled('pay-bbb', 0, 1, T1),
      scaled('pay-aaa', 3, 2, T1 + 30_000),
      scaled('pay-bbb', 1, 3, T1 + 60_000),
      scaled('pay-aaa', 2, 0, T1 + 2 * MIN),
      scaled('pay-aaa', 0, 3, T2),
      scaled('pay-bbb', 3, 0, T2 + 2 * MIN),
      scaled('pay-aaa', 3, 5, T2 + 60 * MIN),
    ],
  };
}

describe('rolloutEvents', () => {
  it('reads each revision, the rollback that reused a template, and a scale change outside any rollout', () => {
    const events = rolloutEvents(history(), ctx);
    const deploys = events.filter(e => e.kind === 'deploy');
    expect(
      deploys.map(e => [e.title, e.startTime, e.endTime, e.status]),
    ).toEqual([
      ['Rollout of pay to v1.0 (revision 1)', at(T0), undefined, 'complete'],
      [
        'Rollout of pay to v1.1 (revision 2)',
        at(T1),
        at(T1 + 2 * MIN),
        'complete',
      ],
      [
        'Rollback of pay to v1.0 (revision 3)',
        at(T2),
        at(T2 + 2 * MIN),
        'complete',
      ],
    ]);
    expect(deploys[2]).toMatchObject({
      id: 'kubernetes:eu:shop:pay:rev:3',
      severity: 'warning',
      attributes: {
        version: 'v1.0',
        image: 'registry.example:5000/acme/pay:v1.0',
        images: ['proxy:1.0', 'registry.example:5000/acme/pay:v1.0'],
        revision: 3,
        rollback: true,
        changeType: 'rollback',
        previousVersion: 'v1.1',
        environment: 'production',
        cluster: 'eu',
        namespace: 'shop',
      },
    });
    expect(deploys[1].attributes).toMatchObject({
      rollback: false,
      changeType: 'deploy',
    });
    // The rolling update's own steps (3→2, 1→3) are not scale changes; 3→5 an hour later is.
    const changes = events.filter(e => e.kind === 'change');
    expect(changes).toEqual([
      expect.objectContaining({
        title: 'Scaled pay up from 3 to 5 replicas',
        startTime: at(T2 + 60 * MIN),
        attributes: expect.objectContaining({
          changeType: 'infrastructure',
          from: 3,
          to: 5,
        }),
      }),
    ]);
  });

  it('marks the current revision stalled or progressing from the Deployment condition', () => {
    const stalled = rolloutEvents(
      history('ProgressDeadlineExceeded'),
      ctx,
    ).find(e => e.attributes.revision === 3)!;
    expect(stalled).toMatchObject({ status: 'stalled', severity: 'error' });
    const moving = rolloutEvents(history('ReplicaSetUpdated'), ctx).find(
      e => e.attributes.revision === 3,
    )!;
    expect(moving.status).toBe('progressing');
  });

  it('skips a reused revision it cannot place in time, and keeps to the window', () => {
    const snap = history();
    snap.events = snap.events.filter(
      e =>
        !/pay-aaa from 0 to 3/.test(e.message ?? '') || e.lastTimestamp === T0,
    );
    expect(
      rolloutEvents(snap, ctx)
        .filter(e => e.kind === 'deploy')
        .map(e => e.attributes.revision),
    ).toEqual([1, 2]);
    expect(
      rolloutEvents(history(), { ...ctx, fromMs: T2 - MIN })
        .filter(e => e.kind === 'deploy')
        .map(e => e.attributes.revision),
    ).toEqual([3]);
  });

  it('reads image tags', () => {
    expect(imageTag('registry:5000/acme/api:v2.14.0@sha256:abc')).toBe(
      'v2.14.0',
    );
    expect(imageTag('registry:5000/acme/api')).toBeUndefined();
    expect(imageTag('nginx')).toBeUndefined();
  });
});

function podWith(name: string, status: object) {
  return podSchema.parse({
    metadata: {
      name,
      namespace: 'shop',
      ownerReferences: [{ kind: 'ReplicaSet', name: 'pay-aaa' }],
    },
    status: {
      containerStatuses: [{ name: 'pay', restartCount: 4, ...status }],
    },
  });
}

describe('podTroubleEvents', () => {
  const options = { gapMs: 15 * MIN, criticalPods: 3 };
  const base = (): ClusterSnapshot => ({
    ...history(),
    events: [],
  });
  const oom = (pod: string, first: number, last: number, count: number) =>
    event(
      'OOMKilling',
      'Pod',
      pod,
      `Container pay in pod ${pod} was OOM-killed`,
      first,
      last,
      count,
    );

  it('aggregates OOM kills of several pods into one range per workload, with counts', () => {
    const snap = base();
    snap.events = [
      oom('pay-aaa-x1x1x', T2 + 4 * MIN, T2 + 34 * MIN, 6),
      oom('pay-aaa-y2y2y', T2 + 5 * MIN, T2 + 35 * MIN, 6),
      oom('pay-bbb-z3z3z', T2 + 6 * MIN, T2 + 6 * MIN, 1),
      // A pod of a ReplicaSet the entity does not own.
      oom('other-ccc-q9q9q', T2 + 6 * MIN, T2 + 6 * MIN, 9),
      // Two hours later: a range of its own.
      oom('pay-aaa-x1x1x', T2 + 150 * MIN, T2 + 150 * MIN, 1),
    ];
    const events = podTroubleEvents(
      snap,
      { ...ctx, toMs: T2 + 200 * MIN },
      options,
    );
    expect(events.map(e => [e.title, e.startTime, e.endTime])).toEqual([
      [
        'OOMKilled: 13 times in 3 pods of pay',
        at(T2 + 4 * MIN),
        at(T2 + 35 * MIN),
      ],
      ['OOMKilled: 1 time in 1 pod of pay', at(T2 + 150 * MIN), undefined],
    ]);
    expect(events[0]).toMatchObject({
      kind: 'pod-trouble',
      severity: 'error',
      attributes: {
        reason: 'OOMKilled',
        count: 13,
        pods: 3,
        workload: 'pay',
        cluster: 'eu',
        namespace: 'shop',
      },
    });
    expect(events[0].id).not.toBe(events[1].id);
  });

  it('keeps the id of a range when a refresh sees more of it', () => {
    const snap = base();
    snap.events = [oom('pay-aaa-x1x1x', T2 + 4 * MIN, T2 + 10 * MIN, 2)];
    const before = podTroubleEvents(snap, ctx, options)[0];
    snap.events = [oom('pay-aaa-x1x1x', T2 + 4 * MIN, T2 + 40 * MIN, 7)];
    const after = podTroubleEvents(snap, ctx, options)[0];
    expect(after.id).toBe(before.id);
    expect(after.attributes.count).toBe(7);
  });

  it('reads crash loops and OOM kills from container statuses, critical over enough pods, without counting an event twice', () => {
    const snap = base();
    const crashed = (pod: string, finished: number) =>
      podWith(pod, {
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: {
          terminated: { reason: 'OOMKilled', finishedAt: at(finished) },
        },
      });
    snap.pods = [
      crashed('pay-aaa-a1a1a', T2 + 5 * MIN),
      crashed('pay-aaa-b2b2b', T2 + 6 * MIN),
      crashed('pay-aaa-c3c3c', T2 + 7 * MIN),
    ];
    snap.events = [oom('pay-aaa-a1a1a', T2 + 2 * MIN, T2 + 5 * MIN, 3)];
    const events = podTroubleEvents(snap, ctx, options);
    const byReason = Object.fromEntries(
      events.map(e => [e.attributes.reason, e]),
    );
    expect(byReason.CrashLoopBackOff).toMatchObject({
      severity: 'critical',
      attributes: { pods: 3, count: 3 },
    });
    // The OOM kill of pod a1a1a at +5 min is the event's last one, not a fourth.
    expect(byReason.OOMKilled.attributes).toMatchObject({ count: 5, pods: 3 });
  });

  it('maps the kubelet events to troubles', () => {
    const snap = base();
    snap.events = [
      event(
        'Unhealthy',
        'Pod',
        'pay-aaa-a1a1a',
        'Readiness probe failed: 503',
        T2,
        T2 + MIN,
        4,
      ),
      event(
        'BackOff',
        'Pod',
        'pay-aaa-a1a1a',
        'Back-off pulling image "x"',
        T2,
      ),
      event(
        'Evicted',
        'Pod',
        'pay-aaa-b2b2b',
        'The node was low on resource: memory.',
        T2,
      ),
      event('Pulled', 'Pod', 'pay-aaa-b2b2b', 'Successfully pulled image', T2),
    ];
    expect(
      podTroubleEvents(snap, ctx, options)
        .map(e => `${e.attributes.reason}/${e.severity}`)
        .sort(),
    ).toEqual([
      'Evicted/error',
      'ImagePullBackOff/error',
      'ProbeFailed/warning',
    ]);
  });
});

/*
 * Core/v1 events of the simulated cluster: the deployment controller's ScalingReplicaSet events
 * of each rollout, and the rendering of every event in the legacy shape `/api/v1/events` serves.
 */
import { hashParts } from '../../random';
import { Deployment as GhDeployment } from '../../scenario/model';
import { isoSeconds } from '../../time';
import type { Obj } from './cluster';
import { uid } from './names';
import { TroubleEvent } from './trouble';

/** How long the sandbox's rollouts take, from the new ReplicaSet to the old one at 0. */
export const ROLLOUT_MS = 2 * 60_000;

/**
 * The deployment controller's ScalingReplicaSet events of each rollout of a Deployment in `ns`
 * with `n` replicas: the new ReplicaSet up from 0 at the deploy, the previous one down to 0
 * ROLLOUT_MS later.
 */
export function controllerEvents(
  seed: number,
  deployment: { name: string; ns: string; uid: string; replicas: number },
  rollouts: GhDeployment[],
  templates: Array<{ ref: string; name: string }>,
): Obj[] {
  const { ns, replicas: n } = deployment;
  const object = {
    kind: 'Deployment',
    name: deployment.name,
    uid: deployment.uid,
  };
  const byRef = new Map(templates.map(t => [t.ref, t]));
  const events: Obj[] = [];
  let previous: { ref: string; name: string } | undefined;
  for (const d of rollouts) {
    const t = byRef.get(d.ref)!;
    if (t === previous) continue;
    const scaled: TroubleEvent[] = [
      {
        key: `${d.id}-up`,
        reason: 'ScalingReplicaSet',
        type: 'Normal',
        message: `Scaled up replica set ${t.name} from 0 to ${n}`,
        first: d.at,
        last: d.at,
        count: 1,
        object,
        component: 'deployment-controller',
      },
    ];
    if (previous) {
      scaled.push({
        key: `${d.id}-down`,
        reason: 'ScalingReplicaSet',
        type: 'Normal',
        message: `Scaled down replica set ${previous.name} from ${n} to 0`,
        first: d.at + ROLLOUT_MS,
        last: d.at + ROLLOUT_MS,
        count: 1,
        object,
        component: 'deployment-controller',
      });
    }
    events.push(...scaled.map(e => renderEvent(seed, ns, e)));
    previous = t;
  }
  return events;
}

/** A core/v1 Event in the legacy shape `/api/v1/events` serves. */
export function renderEvent(seed: number, ns: string, e: TroubleEvent): Obj {
  const name = `${e.object.name}.${(hashParts(seed, e.key) >>> 0)
    .toString(16)
    .padStart(8, '0')}${(hashParts(e.key, seed) >>> 0)
    .toString(16)
    .padStart(8, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name,
      namespace: ns,
      uid: uid(seed, ns, 'event', e.key),
      resourceVersion: String(hashParts(name, e.count) % 1e7),
      creationTimestamp: isoSeconds(e.first),
    },
    involvedObject: {
      apiVersion: e.object.kind === 'Pod' ? 'v1' : 'apps/v1',
      kind: e.object.kind,
      name: e.object.name,
      namespace: ns,
      uid: e.object.uid,
      ...(e.object.fieldPath ? { fieldPath: e.object.fieldPath } : {}),
    },
    reason: e.reason,
    message: e.message,
    source: {
      component: e.component,
      ...(e.host ? { host: e.host } : {}),
    },
    firstTimestamp: isoSeconds(e.first),
    lastTimestamp: isoSeconds(e.last),
    count: e.count,
    type: e.type,
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
  };
}

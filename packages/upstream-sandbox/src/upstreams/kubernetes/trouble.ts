/*
 * Pod trouble and scale changes of the simulated cluster.
 *
 * The payments story: the pods of the v2.14.0 ReplicaSet are OOM-killed from a few minutes after
 * the rollout until the rollback replaces them. Their pods are gone after the rollback, so the
 * story lives in the events the cluster keeps (as with a raised `--event-ttl` or an event
 * exporter): one `OOMKilling` and one `BackOff` event per pod, counted and timed the way the
 * kubelet aggregates repeats. A few other services show an OOM kill in a running pod's
 * `lastState` instead, and some scale their Deployment up 45 minutes after their latest rollout.
 * Neither lands in a story's quiet window (generate.ts's inQuiet), where the story alone speaks.
 */
import { hashParts } from '../../random';
import { inQuiet } from '../../scenario/generate';
import { ScenarioStore } from '../../scenario/store';
import { ScenarioService } from '../../types';
import { MINUTE, SECOND } from '../../time';
import { podName, uid } from './names';
import { kubeNamespace, replicasOf } from './shapes';

export interface TroubleEvent {
  /** Stable key the event's name and uid derive from. */
  key: string;
  reason: string;
  type: 'Normal' | 'Warning';
  message: string;
  first: number;
  last: number;
  count: number;
  object: { kind: string; name: string; uid: string; fieldPath?: string };
  component: string;
  host?: string;
}

interface TemplateRef {
  ref: string;
  name: string;
  rolledAt: number;
}

const STORY = 'payments-bad-deploy';
const OOM_EVERY_MS = 6 * MINUTE;
const FIRST_OOM_AFTER_MS = 4 * MINUTE;

/** The story's OOM kills, and the OOM kill some services show in a running pod. */
export function podTrouble(
  store: ScenarioStore,
  svc: ScenarioService,
  templates: TemplateRef[],
  current: TemplateRef,
  asOf: number,
): {
  events: TroubleEvent[];
  podStatus(
    i: number,
  ): { restarts: number; at: number; restartedAt: number } | undefined;
} {
  const seed = store.ctx.seed;
  const events: TroubleEvent[] = [];
  const story = store.scenario?.stories.find(
    s => s.id === STORY && s.entityRef === svc.entityRef,
  );
  const cause =
    story?.cause?.kind === 'deployment'
      ? store
          .data(svc.index)
          .deployments.find(d => String(d.id) === story.cause!.id)
      : undefined;
  const bad = cause && templates.find(t => t.ref === cause.ref);
  if (cause && bad) {
    const next = store
      .data(svc.index)
      .deployments.filter(
        d => d.environment === 'production' && d.at > cause.at,
      )
      .sort((a, b) => a.at - b.at)[0];
    const end = Math.min(next?.at ?? asOf, asOf);
    const pods = replicasOf(svc);
    for (let i = 0; i < pods; i++) {
      const name = podName(seed, bad.name, i);
      const kills: number[] = [];
      for (
        let t = cause.at + FIRST_OOM_AFTER_MS + i * 50 * SECOND;
        t < end && kills.length < 20;
        t += OOM_EVERY_MS
      )
        kills.push(t);
      if (!kills.length) continue;
      const object = {
        kind: 'Pod',
        name,
        uid: uid(seed, kubeNamespace(svc), name),
        fieldPath: `spec.containers{${svc.name}}`,
      };
      const host = `node-${hashParts(name) % 6}`;
      events.push({
        key: `${name}-oom`,
        reason: 'OOMKilling',
        type: 'Warning',
        message: `Container ${svc.name} in pod ${name} was OOM-killed: memory limit 512Mi exceeded`,
        first: kills[0],
        last: kills[kills.length - 1],
        count: kills.length,
        object,
        component: 'kubelet',
        host,
      });
      const backoffs = kills.slice(1);
      if (backoffs.length) {
        events.push({
          key: `${name}-backoff`,
          reason: 'BackOff',
          type: 'Warning',
          message: `Back-off restarting failed container ${
            svc.name
          } in pod ${name}_${kubeNamespace(svc)}(${object.uid})`,
          first: backoffs[0] + 10 * SECOND,
          last: backoffs[backoffs.length - 1] + 10 * SECOND,
          count: backoffs.length,
          object,
          component: 'kubelet',
          host,
        });
      }
    }
  }
  const flaky =
    !bad && hashParts(seed, svc.name, 'oom') % 4 === 1
      ? [50, 80]
          .map(m => current.rolledAt + m * MINUTE)
          .filter(t => t <= asOf && !inQuiet(store.ctx, svc, t))
      : [];
  return {
    events,
    podStatus: i =>
      i === 0 && flaky.length
        ? {
            restarts: flaky.length,
            at: flaky[flaky.length - 1],
            restartedAt: flaky[flaky.length - 1] + 15 * SECOND,
          }
        : undefined,
  };
}

/** Some services scale their Deployment up 45 minutes after their latest rollout. */
export function scaleChange(
  store: ScenarioStore,
  svc: ScenarioService,
  current: TemplateRef,
  asOf: number,
): { at: number; from: number; to: number; event: TroubleEvent } | undefined {
  const seed = store.ctx.seed;
  if (hashParts(seed, svc.name, 'scale') % 3 !== 0) return undefined;
  const at = current.rolledAt + 45 * MINUTE;
  if (at > asOf || inQuiet(store.ctx, svc, at)) return undefined;
  const from = replicasOf(svc);
  const to = from + 2;
  return {
    at,
    from,
    to,
    event: {
      key: `${current.name}-${current.rolledAt}-scale`,
      reason: 'ScalingReplicaSet',
      type: 'Normal',
      message: `Scaled up replica set ${current.name} from ${from} to ${to}`,
      first: at,
      last: at,
      count: 1,
      object: {
        kind: 'Deployment',
        name: svc.name,
        uid: '',
      },
      component: 'deployment-controller',
    },
  };
}

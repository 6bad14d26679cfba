import { DashEvent, DashSeverity } from '@dash-suite/plugin-dash-common';
import { dashEventId } from '@dash-suite/plugin-dash-node';
import { KubeEvent, Pod } from '../schemas';
import {
  ClusterSnapshot,
  NormalizeContext,
  SOURCE_ID,
  iso,
  ownerOf,
  plural,
} from './snapshot';

/** The troubles shown, in the words of the timeline. */
export type TroubleReason =
  | 'CrashLoopBackOff'
  | 'OOMKilled'
  | 'ProbeFailed'
  | 'Evicted'
  | 'ImagePullBackOff';

export interface TroubleOptions {
  /** Occurrences closer than this are one range. */
  gapMs: number;
  /** CrashLoopBackOff in at least this many pods is critical. */
  criticalPods: number;
}

/** One or more occurrences of a trouble in one pod. */
interface Occurrence {
  namespace: string;
  workload: string;
  reason: TroubleReason;
  pod: string;
  first: number;
  last: number;
  count: number;
}

/** The trouble a core/v1 event reports, if any. */
export function eventReason(e: KubeEvent): TroubleReason | undefined {
  const message = e.message ?? '';
  switch (e.reason) {
    case 'OOMKilling':
    case 'OOMKilled':
      return 'OOMKilled';
    case 'BackOff':
      if (/pull/i.test(message)) return 'ImagePullBackOff';
      return 'CrashLoopBackOff';
    case 'Unhealthy':
      return 'ProbeFailed';
    case 'Evicted':
      return 'Evicted';
    default:
      return undefined;
  }
}

/**
 * Finds the workload of a pod: its ReplicaSet's Deployment (from the ReplicaSets read), or the
 * ReplicaSet's name without its pod-template-hash. Pods that are gone are known by name only:
 * `<replicaset>-<5 characters>`.
 */
export function workloadResolver(snap: ClusterSnapshot) {
  const rsOwner = new Map<string, string>();
  for (const rs of snap.replicaSets) {
    const owner = ownerOf(rs.metadata, 'Deployment');
    if (owner)
      rsOwner.set(`${rs.metadata.namespace}/${rs.metadata.name}`, owner);
  }
  const podRs = new Map<string, string>();
  for (const p of snap.pods) {
    const rs = ownerOf(p.metadata, 'ReplicaSet');
    if (rs) podRs.set(`${p.metadata.namespace}/${p.metadata.name}`, rs);
  }
  return (namespace: string, pod: string): string | undefined => {
    const rs =
      podRs.get(`${namespace}/${pod}`) ?? pod.replace(/-[a-z0-9]{5}$/, '');
    return rsOwner.get(`${namespace}/${rs}`);
  };
}

function fromPods(
  pods: Pod[],
  workloadOf: (ns: string, pod: string) => string | undefined,
): Occurrence[] {
  const out: Occurrence[] = [];
  for (const p of pods) {
    const { namespace, name } = p.metadata;
    const workload = workloadOf(namespace, name);
    if (!workload) continue;
    for (const c of p.status?.containerStatuses ?? []) {
      const finished = c.lastState?.terminated?.finishedAt;
      if (finished === undefined) continue;
      const base = {
        namespace,
        workload,
        pod: name,
        first: finished,
        last: finished,
        count: 1,
      };
      if (c.lastState?.terminated?.reason === 'OOMKilled')
        out.push({ ...base, reason: 'OOMKilled' });
      if (c.state?.waiting?.reason === 'CrashLoopBackOff')
        out.push({ ...base, reason: 'CrashLoopBackOff' });
    }
  }
  return out;
}

function fromEvents(
  events: KubeEvent[],
  workloadOf: (ns: string, pod: string) => string | undefined,
): Occurrence[] {
  const out: Occurrence[] = [];
  for (const e of events) {
    const { kind, name, namespace } = e.involvedObject;
    if (kind !== 'Pod' || !name || !namespace) continue;
    const reason = eventReason(e);
    if (!reason) continue;
    const workload = workloadOf(namespace, name);
    const first = e.firstTimestamp ?? e.eventTime ?? e.lastTimestamp;
    const last = e.lastTimestamp ?? first;
    if (!workload || first === undefined || last === undefined) continue;
    out.push({
      namespace,
      workload,
      reason,
      pod: name,
      first,
      last: Math.max(first, last),
      count: Math.max(1, e.count ?? 1),
    });
  }
  return out;
}

/**
 * Pod trouble per workload and reason as ranges: occurrences (from the pods' container
 * statuses and from the kubelet's events) merged while the gap between them stays under
 * `gapMs`, with how many times and in how many pods. A container status already covered by an
 * event of the same pod and reason is not counted twice.
 */
export function podTroubleEvents(
  snap: ClusterSnapshot,
  ctx: NormalizeContext,
  options: TroubleOptions,
): DashEvent[] {
  const workloadOf = workloadResolver(snap);
  const fromEv = fromEvents(snap.events, workloadOf);
  const covered = (o: Occurrence) =>
    fromEv.some(
      e =>
        e.pod === o.pod &&
        e.reason === o.reason &&
        o.first >= e.first - 1000 &&
        o.first <= e.last + 1000,
    );
  const all = [
    ...fromEv,
    ...fromPods(snap.pods, workloadOf).filter(o => !covered(o)),
  ];
  const groups = new Map<string, Occurrence[]>();
  for (const o of all) {
    const key = `${o.namespace}/${o.workload}/${o.reason}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const events: DashEvent[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.first - b.first);
    let range: Occurrence[] = [];
    let end = -Infinity;
    const flush = () => {
      if (range.length) events.push(troubleEvent(snap, ctx, options, range));
      range = [];
    };
    for (const o of list) {
      if (range.length && o.first - end >= options.gapMs) flush();
      end = range.length ? Math.max(end, o.last) : o.last;
      range.push(o);
    }
    flush();
  }
  return events.filter(e => {
    const start = Date.parse(e.startTime);
    return (
      start <= ctx.toMs && Date.parse(e.endTime ?? e.startTime) >= ctx.fromMs
    );
  });
}

function troubleEvent(
  snap: ClusterSnapshot,
  ctx: NormalizeContext,
  options: TroubleOptions,
  range: Occurrence[],
): DashEvent {
  const { namespace, workload, reason } = range[0];
  const start = Math.min(...range.map(o => o.first));
  const end = Math.max(...range.map(o => o.last));
  const count = range.reduce((n, o) => n + o.count, 0);
  const pods = new Set(range.map(o => o.pod)).size;
  let severity: DashSeverity = 'error';
  if (reason === 'ProbeFailed') severity = 'warning';
  if (reason === 'CrashLoopBackOff' && pods >= options.criticalPods)
    severity = 'critical';
  // The id names the bucket the range began in, so a refresh updates the same event.
  const bucket = iso(Math.floor(start / options.gapMs) * options.gapMs);
  return {
    id: dashEventId(
      SOURCE_ID,
      snap.cluster,
      namespace,
      workload,
      'trouble',
      reason,
      bucket,
    ),
    source: SOURCE_ID,
    kind: 'pod-trouble',
    title: `${reason}: ${plural(count, 'time')} in ${plural(
      pods,
      'pod',
    )} of ${workload}`,
    severity,
    startTime: iso(start),
    ...(end > start ? { endTime: iso(end) } : {}),
    entityRef: ctx.entityRef,
    status: ctx.nowMs - end < options.gapMs ? 'ongoing' : 'ended',
    attributes: {
      reason,
      count,
      pods,
      workload,
      cluster: snap.cluster,
      namespace,
      environment: snap.environment,
    },
  };
}

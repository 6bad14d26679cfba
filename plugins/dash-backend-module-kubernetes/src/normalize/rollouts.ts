import { DashEvent } from '@dash-suite/plugin-dash-common';
import { dashEventId } from '@dash-suite/plugin-dash-node';
import { Deployment, ReplicaSet } from '../schemas';
import {
  ClusterSnapshot,
  NormalizeContext,
  REVISION,
  REVISION_HISTORY,
  SOURCE_ID,
  Scaling,
  imageTag,
  iso,
  ownerOf,
  scalingEvents,
} from './snapshot';

/** Scale-ups of a ReplicaSet this close to its creation are the creation itself. */
const SAME_MOMENT_MS = 60_000;
/** A rollout without a known end owns the scale events this long after its start. */
const OPEN_ROLLOUT_MS = 10 * 60_000;

export type RolloutStatus =
  | 'progressing'
  | 'complete'
  | 'stalled'
  | 'superseded';

/** One revision of a Deployment: the ReplicaSet that holds it and when it was rolled out. */
export interface Revision {
  revision: number;
  rs: ReplicaSet;
  /** Undefined when no event or timestamp says when it was rolled out. */
  start?: number;
  /** The revision reuses the template of an earlier one (`kubectl rollout undo`). */
  reuse: boolean;
}

function int(value: string | undefined | null): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * The revisions of one Deployment from its ReplicaSets. A ReplicaSet that served several
 * revisions lists the earlier ones in `revision-history`: the first began at its
 * creationTimestamp, the later ones at its scale-ups from 0 (matched from the latest back).
 */
export function revisionsOf(
  d: Deployment,
  replicaSets: ReplicaSet[],
  scalings: Scaling[],
): Revision[] {
  const out: Revision[] = [];
  for (const rs of replicaSets) {
    if (rs.metadata.namespace !== d.metadata.namespace) continue;
    if (ownerOf(rs.metadata, 'Deployment') !== d.metadata.name) continue;
    const annotations = rs.metadata.annotations ?? {};
    const revision = int(annotations[REVISION]);
    if (!revision) continue;
    const history = (annotations[REVISION_HISTORY] ?? '')
      .split(',')
      .map(v => int(v.trim()))
      .filter((v): v is number => v !== undefined && v < revision);
    const revs = [...new Set([...history, revision])].sort((a, b) => a - b);
    const created = rs.metadata.creationTimestamp;
    const ups = scalings
      .filter(
        s =>
          s.deployment === d.metadata.name &&
          s.replicaSet === rs.metadata.name &&
          s.from === 0 &&
          (created === undefined || s.at > created + SAME_MOMENT_MS),
      )
      .map(s => s.at);
    revs.forEach((r, k) => {
      let start: number | undefined;
      if (k === 0) start = created;
      else {
        const i = ups.length - (revs.length - k);
        start = i >= 0 ? ups[i] : undefined;
      }
      out.push({ revision: r, rs, start, reuse: k > 0 });
    });
  }
  return out.sort((a, b) => a.revision - b.revision);
}

function mainImage(d: Deployment, rs: ReplicaSet) {
  const containers = rs.spec?.template?.spec?.containers ?? [];
  const main =
    containers.find(c => c.name === d.metadata.name) ?? containers[0];
  return {
    image: main?.image ?? undefined,
    images: containers.map(c => c.image).filter((i): i is string => !!i),
  };
}

/**
 * The Deployment rollouts (and rollbacks) of one cluster, and its scale changes: replica
 * counts changed by the controller outside any rollout.
 */
export function rolloutEvents(
  snap: ClusterSnapshot,
  ctx: NormalizeContext,
): DashEvent[] {
  const scalings = scalingEvents(snap.events);
  const events: DashEvent[] = [];
  for (const d of snap.deployments) {
    const name = d.metadata.name;
    const ns = d.metadata.namespace;
    const revisions = revisionsOf(d, snap.replicaSets, scalings);
    const current =
      int(d.metadata.annotations?.[REVISION]) ??
      revisions[revisions.length - 1]?.revision;
    const progressing = d.status?.conditions?.find(
      c => c.type === 'Progressing',
    );
    const windows: Array<[number, number]> = [];
    revisions.forEach((rev, i) => {
      if (rev.start === undefined) return;
      const prev = revisions[i - 1];
      const next = revisions.slice(i + 1).find(r => r.start !== undefined);
      const down = prev
        ? scalings.find(
            s =>
              s.deployment === name &&
              s.replicaSet === prev.rs.metadata.name &&
              s.to === 0 &&
              s.at >= rev.start! &&
              (next?.start === undefined || s.at <= next.start),
          )
        : undefined;
      let status: RolloutStatus;
      let end: number | undefined = down?.at;
      if (rev.revision === current) {
        if (progressing?.reason === 'ProgressDeadlineExceeded') {
          status = 'stalled';
          end = progressing.lastUpdateTime ?? end;
        } else if (progressing?.reason === 'NewReplicaSetAvailable') {
          status = 'complete';
          end ??= progressing.lastUpdateTime;
        } else status = 'progressing';
      } else status = down || !prev ? 'complete' : 'superseded';
      if (end !== undefined && end < rev.start) end = undefined;
      windows.push([rev.start, end ?? rev.start + OPEN_ROLLOUT_MS]);

      const { image, images } = mainImage(d, rev.rs);
      const version = imageTag(image);
      const previousVersion = prev
        ? imageTag(mainImage(d, prev.rs).image)
        : undefined;
      const rollback = rev.reuse;
      const verb = rollback ? 'Rollback' : 'Rollout';
      const to = version ? ` to ${version}` : '';
      events.push({
        id: dashEventId(SOURCE_ID, snap.cluster, ns, name, 'rev', rev.revision),
        source: SOURCE_ID,
        kind: 'deploy',
        title: `${verb} of ${name}${to} (revision ${rev.revision})`,
        severity: severityOf(status, rollback),
        startTime: iso(rev.start),
        ...(end !== undefined ? { endTime: iso(end) } : {}),
        entityRef: ctx.entityRef,
        status,
        attributes: {
          ...(version ? { version } : {}),
          ...(image ? { image } : {}),
          ...(images.length > 1 ? { images } : {}),
          revision: rev.revision,
          cluster: snap.cluster,
          namespace: ns,
          deployment: name,
          replicaSet: rev.rs.metadata.name,
          environment: snap.environment,
          status,
          changeType: rollback ? 'rollback' : 'deploy',
          rollback,
          ...(previousVersion ? { previousVersion } : {}),
        },
      });
    });
    events.push(...scaleChanges(snap, ctx, d, scalings, windows));
  }
  return events.filter(e => inWindow(e, ctx));
}

function severityOf(status: RolloutStatus, rollback: boolean) {
  if (status === 'stalled') return 'error' as const;
  return rollback ? ('warning' as const) : ('info' as const);
}

function scaleChanges(
  snap: ClusterSnapshot,
  ctx: NormalizeContext,
  d: Deployment,
  scalings: Scaling[],
  windows: Array<[number, number]>,
): DashEvent[] {
  const name = d.metadata.name;
  return scalings
    .filter(
      s =>
        s.deployment === name &&
        s.from !== undefined &&
        s.from > 0 &&
        s.to > 0 &&
        !windows.some(([a, b]) => s.at >= a && s.at <= b),
    )
    .map(s => ({
      id: dashEventId(
        SOURCE_ID,
        snap.cluster,
        d.metadata.namespace,
        name,
        'scale',
        s.uid,
      ),
      source: SOURCE_ID,
      kind: 'change' as const,
      title: `Scaled ${name} ${s.to > s.from! ? 'up' : 'down'} from ${
        s.from
      } to ${s.to} replicas`,
      severity: 'info' as const,
      startTime: iso(s.at),
      entityRef: ctx.entityRef,
      attributes: {
        changeType: 'infrastructure',
        scale: true,
        from: s.from!,
        to: s.to,
        replicaSet: s.replicaSet,
        cluster: snap.cluster,
        namespace: d.metadata.namespace,
        deployment: name,
        environment: snap.environment,
      },
    }));
}

function inWindow(e: DashEvent, ctx: NormalizeContext): boolean {
  const start = Date.parse(e.startTime);
  const end = e.endTime ? Date.parse(e.endTime) : start;
  return start <= ctx.toMs && end >= ctx.fromMs;
}

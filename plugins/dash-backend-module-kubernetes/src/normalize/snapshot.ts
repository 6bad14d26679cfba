import { Deployment, KubeEvent, Pod, ReplicaSet } from '../schemas';

export const SOURCE_ID = 'kubernetes';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';

/** What one cluster answered for one entity, and where it stands. */
export interface ClusterSnapshot {
  cluster: string;
  environment: string;
  deployments: Deployment[];
  replicaSets: ReplicaSet[];
  pods: Pod[];
  /** Every event of the namespace(s) read; only those of the entity's objects are used. */
  events: KubeEvent[];
}

/** Where the events go: the entity, the window, and now. */
export interface NormalizeContext {
  entityRef: string;
  fromMs: number;
  toMs: number;
  nowMs: number;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The owner of a kind, from `ownerReferences`. */
export function ownerOf(
  meta: { ownerReferences?: Array<{ kind: string; name: string }> | null },
  kind: string,
): string | undefined {
  return meta.ownerReferences?.find(o => o.kind === kind)?.name;
}

/**
 * The tag of an image reference (`registry:5000/acme/api:v2.14.0@sha256:…` → `v2.14.0`);
 * undefined for an image without one.
 */
export function imageTag(image: string | null | undefined): string | undefined {
  if (!image) return undefined;
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash
    ? withoutDigest.slice(colon + 1) || undefined
    : undefined;
}

/** `1 pod`, `3 pods`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * A `ScalingReplicaSet` event of the deployment controller, read from its message:
 * `Scaled up replica set X from 0 to 3` (or, before Kubernetes 1.29, `... X to 3`).
 */
export interface Scaling {
  deployment: string;
  replicaSet: string;
  from?: number;
  to: number;
  at: number;
  uid: string;
}

const SCALING =
  /^Scaled (?:up|down) replica set (\S+?)(?: from (\d+))? to (\d+)\b/;

export function scalingEvents(events: KubeEvent[]): Scaling[] {
  const out: Scaling[] = [];
  for (const e of events) {
    if (e.reason !== 'ScalingReplicaSet') continue;
    if (e.involvedObject.kind !== 'Deployment' || !e.involvedObject.name)
      continue;
    const m = SCALING.exec(e.message ?? '');
    const at = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
    if (!m || at === undefined) continue;
    out.push({
      deployment: e.involvedObject.name,
      replicaSet: m[1],
      from: m[2] === undefined ? undefined : Number(m[2]),
      to: Number(m[3]),
      at,
      uid: e.metadata.uid ?? e.metadata.name,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

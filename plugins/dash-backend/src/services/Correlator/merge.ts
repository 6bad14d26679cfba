import {
  REPRESENTATIVE_PRIORITY,
  SAME_CHANGE_WINDOW_MS,
  isDeployLike,
  sameChange,
} from './changes';
import { Suspect } from './suspects';

/**
 * One deploy seen by several systems (a GitHub deployment, a PagerDuty change event, a Grafana
 * annotation) is one suspect: the most direct record, with the best score. `suspects` is in time
 * order, so a record can only join a recent cluster of its entity.
 */
export function mergeSameDeploys(suspects: Suspect[]): Suspect[] {
  const merged: Suspect[] = [];
  const recent = new Map<string, Array<{ s: Suspect; lastT: number }>>();
  for (const s of suspects) {
    if (!isDeployLike(s.change.e)) {
      merged.push(s);
      continue;
    }
    const clusters = recent.get(s.change.e.entityRef) ?? [];
    recent.set(s.change.e.entityRef, clusters);
    let cluster: { s: Suspect; lastT: number } | undefined;
    for (let j = clusters.length - 1; j >= 0; j--) {
      if (s.change.t - clusters[j].lastT > SAME_CHANGE_WINDOW_MS) break;
      if (sameChange(clusters[j].s.change, s.change)) {
        cluster = clusters[j];
        break;
      }
    }
    if (!cluster) {
      merged.push(s);
      clusters.push({ s, lastT: s.change.t });
      continue;
    }
    const twin = cluster.s;
    cluster.lastT = s.change.t;
    const better =
      (REPRESENTATIVE_PRIORITY[s.change.e.kind] ?? 0) >
      (REPRESENTATIVE_PRIORITY[twin.change.e.kind] ?? 0);
    const rep = better ? s : { ...twin };
    const other = better ? { ...twin } : s;
    // The representative's words, and the evidence either record brought (a rollback may name
    // the PagerDuty change event, not the GitHub deployment).
    const hasEvidence = rep.factors.some(f => f.evidence);
    Object.assign(twin, {
      change: rep.change,
      raw: Math.max(rep.raw, other.raw),
      factors: hasEvidence
        ? rep.factors
        : [...rep.factors, ...other.factors.filter(f => f.evidence)],
      undoneBy: rep.undoneBy ?? other.undoneBy,
      alsoSeenAs: [...twin.alsoSeenAs, ...s.alsoSeenAs, other.change],
    });
  }
  return merged;
}

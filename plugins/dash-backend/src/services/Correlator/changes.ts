import { DashEvent, MINUTE_MS } from '@dash-suite/plugin-dash-common';

/*
 * What counts as a change, and when two records are one change: the correlator's vocabulary
 * for suspects.
 */

const CHANGE_ANNOTATION_TAGS =
  /^(deploy|deployment|release|change|config|rollout|migration)$/i;

/** Is this event a change that could cause a problem? */
export function isChangeEvent(e: DashEvent): boolean {
  switch (e.kind) {
    case 'deploy':
    case 'release':
    case 'change':
      return true;
    case 'pull-request':
      return e.status === 'merged';
    case 'annotation': {
      if (e.attributes.isChange === true) return true;
      const tags = e.attributes.tags;
      return (
        Array.isArray(tags) &&
        tags.some(t => CHANGE_ANNOTATION_TAGS.test(String(t)))
      );
    }
    default:
      return false;
  }
}

export function isRollback(e: DashEvent): boolean {
  return (
    e.attributes.rollback === true ||
    e.attributes.changeType === 'rollback' ||
    /\broll(ed)?[ -]?back\b|\brevert/i.test(e.title)
  );
}

/** Deploy-like changes recorded by several systems within this window are one change. */
export const SAME_CHANGE_WINDOW_MS = 10 * MINUTE_MS;
export const REPRESENTATIVE_PRIORITY: Record<string, number> = {
  deploy: 3,
  change: 2,
  annotation: 1,
};

export interface Timed {
  e: DashEvent;
  t: number;
}

export function isDeployLike(e: DashEvent): boolean {
  if (e.kind === 'deploy') return true;
  if (e.kind === 'change') {
    return ['deploy', 'rollback'].includes(String(e.attributes.changeType));
  }
  if (e.kind === 'annotation') {
    const tags = e.attributes.tags;
    return (
      Array.isArray(tags) && tags.some(t => /^deploy(ment)?$/i.test(String(t)))
    );
  }
  return false;
}

/** Two records of one deploy: same entity, close in time, no conflicting environment or version. */
export function sameChange(a: Timed, b: Timed): boolean {
  if (a.e.entityRef !== b.e.entityRef) return false;
  if (!isDeployLike(a.e) || !isDeployLike(b.e)) return false;
  if (Math.abs(a.t - b.t) > SAME_CHANGE_WINDOW_MS) return false;
  for (const key of ['environment', 'version']) {
    const x = a.e.attributes[key];
    const y = b.e.attributes[key];
    if (x !== undefined && y !== undefined && String(x) !== String(y))
      return false;
  }
  return isRollback(a.e) === isRollback(b.e);
}

/** Index of the first item (sorted by time) with t >= value. */
export function lowerBound(items: Timed[], value: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].t < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Items grouped by entity, each group in the order given. */
export function byEntity<T extends Timed>(items: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(item.e.entityRef);
    if (list) list.push(item);
    else map.set(item.e.entityRef, [item]);
  }
  return map;
}

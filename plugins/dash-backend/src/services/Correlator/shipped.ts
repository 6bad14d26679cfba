import { JsonValue } from '@backstage/types';
import { DashEvent, DashShippedChange } from '@dash-suite/plugin-dash-common';
import { Timed, byEntity, isDeployLike, isRollback } from './changes';
import { PRODUCTION } from './scoring';
import { plainTitle } from './undo';

/*
 * What a deploy shipped: the merged pull requests (and commits) since the previous deploy of its
 * environment. The GitHub source records it from a compare (`attributes.shipped`); without that,
 * the merged pull requests of the same service between the two deploys are taken.
 */

/** At most this many shipped changes are listed in a suspect. */
export const MAX_SHIPPED = 20;

function isObject(v: JsonValue | undefined): v is Record<string, JsonValue> {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}

/** Does this deploy put code into production (or an environment that is not named)? */
export function shipsToProduction(d: Timed): boolean {
  if (!isDeployLike(d.e) || isRollback(d.e)) return false;
  if (['failure', 'error'].includes(String(d.e.status))) return false;
  const env = d.e.attributes.environment;
  return typeof env !== 'string' || !env || PRODUCTION.test(env);
}

function recorded(
  deploy: Timed,
  prsByNumber: Map<string, Timed>,
): DashShippedChange[] | undefined {
  const shipped = deploy.e.attributes.shipped;
  if (!isObject(shipped)) return undefined;
  const out: DashShippedChange[] = [];
  const prs = Array.isArray(shipped.pullRequests) ? shipped.pullRequests : [];
  for (const pr of prs) {
    if (!isObject(pr) || typeof pr.number !== 'number') continue;
    const event = prsByNumber.get(`${deploy.e.entityRef}#${pr.number}`);
    let title = typeof pr.title === 'string' ? pr.title : '';
    if (!title && event) title = plainTitle(event.e);
    out.push({
      kind: 'pull-request',
      number: pr.number,
      title,
      ...(event ? { eventId: event.e.id } : {}),
      ...(typeof pr.url === 'string' ? { url: pr.url } : {}),
    });
  }
  const commits = Array.isArray(shipped.commits) ? shipped.commits : [];
  if (!out.length) {
    for (const c of commits) {
      if (!isObject(c) || typeof c.sha !== 'string') continue;
      out.push({
        kind: 'commit',
        sha: c.sha,
        title: typeof c.title === 'string' ? c.title : c.sha.slice(0, 7),
      });
    }
  }
  return out.slice(0, MAX_SHIPPED);
}

/**
 * For each production deploy in `changes` (sorted by time), what it shipped; merged pull requests
 * found shipped are in `shippedBy` (pull request id → deploy id), so that they are shown inside
 * the deploy rather than as suspects of their own.
 */
export function whatShipped(changes: Timed[]): {
  shipped: Map<string, DashShippedChange[]>;
  shippedBy: Map<string, string>;
} {
  const prs = changes.filter(c => c.e.kind === 'pull-request');
  const prsByNumber = new Map<string, Timed>();
  const prsByEntity = byEntity(prs);
  for (const pr of prs) {
    const n = pr.e.attributes.number;
    if (typeof n === 'number') prsByNumber.set(`${pr.e.entityRef}#${n}`, pr);
  }
  const shipped = new Map<string, DashShippedChange[]>();
  const shippedBy = new Map<string, string>();
  const lastDeploy = new Map<string, number>();
  for (const d of changes) {
    if (!shipsToProduction(d) || d.e.kind !== 'deploy') continue;
    const key = `${d.e.entityRef}\u0000${String(
      d.e.attributes.environment ?? '',
    )}`;
    const since = lastDeploy.get(key);
    lastDeploy.set(key, d.t);
    let list = recorded(d, prsByNumber);
    if (!list && since !== undefined) {
      const ofEntity = prsByEntity.get(d.e.entityRef) ?? [];
      const taken: Timed[] = [];
      for (let i = ofEntity.length - 1; i >= 0 && ofEntity[i].t > since; i--) {
        const p = ofEntity[i];
        if (p.t <= d.t && !shippedBy.has(p.e.id)) taken.unshift(p);
        if (taken.length >= MAX_SHIPPED) break;
      }
      list = taken.map(p => ({
        kind: 'pull-request' as const,
        title: plainTitle(p.e),
        eventId: p.e.id,
        ...(typeof p.e.attributes.number === 'number'
          ? { number: p.e.attributes.number }
          : {}),
        ...(p.e.url ? { url: p.e.url } : {}),
      }));
    }
    if (!list?.length) continue;
    shipped.set(d.e.id, list);
    for (const s of list) {
      if (s.eventId && !shippedBy.has(s.eventId))
        shippedBy.set(s.eventId, d.e.id);
    }
  }
  return { shipped, shippedBy };
}

const DOCS_TITLE = /^(docs?|documentation|readme|typo)\b/i;
const DOCS_LABEL = /^(docs?|documentation)$/i;

/** A pull request that only touches documentation, by its title or labels. */
export function isDocsOnly(e: DashEvent): boolean {
  if (e.kind !== 'pull-request') return false;
  if (DOCS_TITLE.test(plainTitle(e))) return true;
  const labels = e.attributes.labels;
  return Array.isArray(labels) && labels.some(l => DOCS_LABEL.test(String(l)));
}

/**
 * Times of the production deploys of each entity, sorted: a merged pull request is live only
 * once one of them came after it.
 */
export function productionDeployTimes(changes: Timed[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const c of changes) {
    if (c.e.kind !== 'deploy' || !shipsToProduction(c)) continue;
    const list = out.get(c.e.entityRef);
    if (list) list.push(c.t);
    else out.set(c.e.entityRef, [c.t]);
  }
  return out;
}

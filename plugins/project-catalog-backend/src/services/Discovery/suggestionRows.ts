import { DiscoverySuggestion } from '@dash-suite/plugin-project-catalog-common';
import { DiscoveredProject } from './types';

/** The rows of `pc_discovery_suggestions`, to and from the API's shape. */

export const json = (v: unknown) => JSON.stringify(v);
const iso = (ms: unknown) => new Date(Number(ms)).toISOString();

export function toSuggestion(r: any): DiscoverySuggestion {
  return {
    id: r.id,
    source: r.source,
    name: r.name,
    ...(r.title ? { title: r.title } : {}),
    ...(r.description ? { description: r.description } : {}),
    ...(r.type ? { type: r.type } : {}),
    ...(r.owner ? { owner: r.owner } : {}),
    ...(r.language ? { language: r.language } : {}),
    links: JSON.parse(r.links),
    annotations: JSON.parse(r.annotations),
    evidence: JSON.parse(r.evidence),
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.decided_by ? { decidedBy: r.decided_by } : {}),
    ...(r.decided_ms !== null && r.decided_ms !== undefined
      ? { decidedAt: iso(r.decided_ms) }
      : {}),
    ...(r.entity_ref ? { entityRef: r.entity_ref } : {}),
    firstSeenAt: iso(r.first_seen_ms),
    lastSeenAt: iso(r.last_seen_ms),
  };
}

/** The columns a scan writes (and rewrites while the suggestion is open). */
export function scanColumns(p: DiscoveredProject) {
  return {
    name: p.name,
    title: p.title ?? null,
    description: p.description ?? null,
    type: p.type ?? null,
    owner: p.owner ?? null,
    language: p.language?.slice(0, 64) ?? null,
    links: json(p.links),
    annotations: json(p.annotations),
    evidence: json(p.evidence),
  };
}

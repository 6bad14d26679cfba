import {
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CampaignScope } from '@dash-suite/plugin-project-catalog-common';

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** `team-sre` -> `group:default/team-sre`, lower-case; undefined for a value that is no ref. */
export function normalizeScopeRef(
  ref: string,
  defaultKind: string,
): string | undefined {
  try {
    return lower(
      stringifyEntityRef(
        parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
      ),
    );
  } catch {
    return undefined;
  }
}

/** The scope with refs normalized and every value lower-case; empty keys dropped. */
export function normalizeScope(scope: CampaignScope): CampaignScope {
  const out: CampaignScope = {};
  const set = (key: keyof CampaignScope, values: string[]) => {
    const unique = [...new Set(values)];
    if (unique.length) out[key] = unique;
  };
  set('kind', (scope.kind ?? []).map(lower));
  set('type', (scope.type ?? []).map(lower));
  set('tags', (scope.tags ?? []).map(lower));
  set('lifecycle', (scope.lifecycle ?? []).map(lower));
  set(
    'owner',
    (scope.owner ?? []).flatMap(r => normalizeScopeRef(r, 'group') ?? []),
  );
  set(
    'system',
    (scope.system ?? []).flatMap(r => normalizeScopeRef(r, 'system') ?? []),
  );
  return out;
}

/**
 * The catalog filter that selects the scope (keys AND, values OR). The catalog narrows; the
 * entities it returns are still checked with {@link matchesScope}, which decides.
 */
export function scopeFilter(scope: CampaignScope): Record<string, string[]> {
  const s = normalizeScope(scope);
  const filter: Record<string, string[]> = {};
  if (s.kind) filter.kind = s.kind;
  if (s.type) filter['spec.type'] = s.type;
  if (s.tags) filter['metadata.tags'] = s.tags;
  if (s.lifecycle) filter['spec.lifecycle'] = s.lifecycle;
  if (s.owner) filter[`relations.${RELATION_OWNED_BY}`] = s.owner;
  if (s.system) filter[`relations.${RELATION_PART_OF}`] = s.system;
  return filter;
}

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => lower(r.targetRef));
}

/** The entity's owners as refs: its ownedBy relations, else its spec.owner. */
export function ownerRefs(entity: Entity): string[] {
  const related = relationTargets(entity, RELATION_OWNED_BY);
  if (related.length) return [...new Set(related)];
  const owner = entity.spec?.owner;
  const ref =
    typeof owner === 'string' ? normalizeScopeRef(owner, 'group') : undefined;
  return ref ? [ref] : [];
}

function systemRefs(entity: Entity): string[] {
  const related = relationTargets(entity, RELATION_PART_OF).filter(r =>
    r.startsWith('system:'),
  );
  if (related.length) return related;
  const system = entity.spec?.system;
  const ref =
    typeof system === 'string'
      ? normalizeScopeRef(system, 'system')
      : undefined;
  return ref ? [ref] : [];
}

const anyOf = (wanted: string[] | undefined, actual: string[]) =>
  !wanted || actual.some(a => wanted.includes(a));

const str = (v: unknown) => (typeof v === 'string' ? [lower(v)] : []);

/** Whether the entity is in the scope. */
export function matchesScope(entity: Entity, scope: CampaignScope): boolean {
  const s = normalizeScope(scope);
  return (
    anyOf(s.kind, [lower(entity.kind)]) &&
    anyOf(s.type, str(entity.spec?.type)) &&
    anyOf(s.tags, (entity.metadata.tags ?? []).map(lower)) &&
    anyOf(s.lifecycle, str(entity.spec?.lifecycle)) &&
    anyOf(s.owner, ownerRefs(entity)) &&
    anyOf(s.system, systemRefs(entity))
  );
}

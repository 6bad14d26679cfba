import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, RELATION_DEPENDS_ON } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { EntityReader } from './EntityReader';

/** Most dependencies followed per target entity. */
const MAX_DEPENDENCIES = 30;
/**
 * Most dependency entities one request reads over all its targets (up to 20 targets, each with
 * up to `MAX_DEPENDENCIES`): what a request reads and refreshes stays bounded.
 */
export const MAX_DEPENDENCY_ENTITIES = 100;
/** How many `dependsOn` hops are followed from a target entity. */
const DEPENDENCY_DEPTH = 2;

/** The entities a timeline is asked for, and what they depend on. */
export interface ResolvedEntities {
  targets: Array<{ entity: Entity; ref: string }>;
  /** Per target ref: dependency ref -> depth. */
  dependencies: Map<string, Map<string, number>>;
  dependencyEntities: Map<string, Entity>;
}

/**
 * Reads the entities a request names and walks their `dependsOn` relations, breadth-first as
 * far as `DEPENDENCY_DEPTH`, reading each entity with the caller's credentials so that nothing
 * they may not see leaks into the answer.
 */
export class DependencyResolver {
  constructor(private readonly entities: EntityReader) {}

  /** The entity, if the caller may read it; else a 404 naming it. */
  async entity(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.entities.getByRef(ref, credentials);
    if (!entity)
      throw new NotFoundError(`No entity ${ref} (or you may not read it)`);
    return entity;
  }

  /** The target entities (a 404 naming any the caller may not read) and their dependencies. */
  async resolve(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<ResolvedEntities> {
    const items = await this.entities.getByRefs(refs, credentials);
    const missing = refs.filter((_, i) => !items[i]);
    if (missing.length) {
      throw new NotFoundError(
        `No entity ${missing.join(', ')} (or you may not read it)`,
      );
    }
    const targets = items.map((entity, i) => ({
      entity: entity!,
      ref: refs[i],
    }));

    const dependencies = new Map<string, Map<string, number>>();
    const dependencyEntities = new Map<string, Entity>();
    const known = new Map<string, Entity>(targets.map(t => [t.ref, t.entity]));
    for (const target of targets) {
      const depths = new Map<string, number>();
      let frontier = [target.entity];
      for (
        let depth = 1;
        depth <= DEPENDENCY_DEPTH && frontier.length;
        depth++
      ) {
        const next = new Set<string>();
        for (const e of frontier) {
          for (const r of e.relations ?? []) {
            const to = r.targetRef.toLocaleLowerCase('en-US');
            if (
              r.type === RELATION_DEPENDS_ON &&
              to !== target.ref &&
              !depths.has(to)
            )
              next.add(to);
          }
        }
        const wanted: string[] = [];
        for (const r of next) {
          if (depths.size + wanted.length >= MAX_DEPENDENCIES) break;
          // One already followed for another target costs nothing more.
          if (
            dependencyEntities.has(r) ||
            dependencyEntities.size + wanted.length < MAX_DEPENDENCY_ENTITIES
          )
            wanted.push(r);
        }
        const unknown = wanted.filter(r => !known.has(r));
        if (unknown.length) {
          const found = await this.entities.getByRefs(unknown, credentials);
          found.forEach((e, i) => e && known.set(unknown[i], e));
        }
        frontier = [];
        for (const r of wanted) {
          const e = known.get(r);
          if (!e) continue;
          depths.set(r, depth);
          dependencyEntities.set(r, e);
          frontier.push(e);
        }
      }
      dependencies.set(target.ref, depths);
    }
    return { targets, dependencies, dependencyEntities };
  }
}

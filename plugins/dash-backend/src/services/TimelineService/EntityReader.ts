import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Reads entities from the catalog with the caller's credentials (so a caller sees only what
 * they may read), remembering each answer per caller for a few seconds: a page polling its
 * timeline in live mode asks the catalog once every `ttlMs`, not on every poll.
 */
export class EntityReader {
  private readonly cache = new Map<
    string,
    { entity: Entity | undefined; expires: number }
  >();
  private readonly clock: () => number;

  constructor(
    private readonly catalog: CatalogService,
    private readonly options: {
      ttlMs: number;
      maxEntries: number;
      clock?: () => number;
    } = {
      ttlMs: 10_000,
      maxEntries: 5000,
    },
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async getByRef(ref: string, credentials: BackstageCredentials) {
    return (await this.getByRefs([ref], credentials))[0];
  }

  /** Entities in the order of `refs`; undefined where missing or not readable. */
  async getByRefs(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Array<Entity | undefined>> {
    const who = principalKey(credentials);
    const now = this.clock();
    const result = new Map<string, Entity | undefined>();
    const missing: string[] = [];
    for (const ref of refs) {
      const hit = this.cache.get(`${who}|${ref}`);
      if (hit && hit.expires > now) result.set(ref, hit.entity);
      else missing.push(ref);
    }
    if (missing.length) {
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: missing },
        { credentials },
      );
      missing.forEach((ref, i) => {
        const entity = items[i] ?? undefined;
        result.set(ref, entity);
        this.remember(`${who}|${ref}`, entity, now);
      });
    }
    return refs.map(ref => result.get(ref));
  }

  private remember(key: string, entity: Entity | undefined, now: number) {
    this.cache.delete(key);
    this.cache.set(key, { entity, expires: now + this.options.ttlMs });
    while (this.cache.size > this.options.maxEntries) {
      // Maps iterate in insertion order: the first key is the least recently stored.
      this.cache.delete(this.cache.keys().next().value!);
    }
  }
}

function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') return `user:${principal.userEntityRef}`;
  if (principal.type === 'service') return `service:${principal.subject}`;
  return principal.type;
}

/*
 * A catalog service for the scale benchmark's backend: the entities of one JSON file, in
 * memory. Only what the DASH backend asks of the catalog is answered (pages of entities for
 * pre-warming, entities by reference for timelines and retention); the scale part measures
 * pre-warming against the upstream budgets, not catalog ingestion of 10,000 entities.
 */
import {
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import fs from 'node:fs';

const refOf = (e: Entity) => stringifyEntityRef(e).toLocaleLowerCase('en-US');

/** Answers from the JSON array of entities at config `benchCatalog.file`. */
export const staticCatalogServiceFactory = createServiceFactory({
  service: catalogServiceRef,
  deps: { config: coreServices.rootConfig },
  factory({ config }) {
    const entities: Entity[] = JSON.parse(
      fs.readFileSync(config.getString('benchCatalog.file'), 'utf8'),
    );
    const byRef = new Map(entities.map(e => [refOf(e), e]));
    const unsupported = async () => {
      throw new Error('not part of the bench catalog');
    };
    const catalog: Partial<CatalogService> = {
      async queryEntities(request) {
        const offset =
          request && 'cursor' in request && request.cursor
            ? Number(request.cursor)
            : 0;
        const limit = request?.limit ?? 100;
        const end = Math.min(entities.length, offset + limit);
        return {
          items: entities.slice(offset, end),
          totalItems: entities.length,
          pageInfo: end < entities.length ? { nextCursor: String(end) } : {},
        };
      },
      async getEntitiesByRefs(request) {
        return {
          items: request.entityRefs.map(r =>
            byRef.get(r.toLocaleLowerCase('en-US')),
          ),
        };
      },
      async getEntityByRef(ref) {
        return byRef.get(
          (typeof ref === 'string'
            ? ref
            : stringifyEntityRef(ref)
          ).toLocaleLowerCase('en-US'),
        );
      },
    };
    // Other methods fail when called; `then` stays undefined, so the service is not a thenable.
    return new Proxy(catalog, {
      get: (target, name) =>
        (target as Record<string | symbol, unknown>)[name] ??
        (name === 'then' ? undefined : unsupported),
    }) as CatalogService;
  },
});

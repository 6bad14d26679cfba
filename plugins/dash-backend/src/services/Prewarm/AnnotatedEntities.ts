import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SignalSource } from '@dash-suite/plugin-dash-node';

/** Entities asked of the catalog per page. */
const PAGE_SIZE = 500;

/**
 * Pages through the catalog's components, systems and resources for the entities that at
 * least one source applies to: the ones pre-warming refreshes.
 */
export class AnnotatedEntities {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      sourcesFor: (entity: Entity) => SignalSource[];
    },
  ) {}

  async list(
    credentials: BackstageCredentials,
  ): Promise<Array<{ entity: Entity; entityRef: string }>> {
    const result: Array<{ entity: Entity; entityRef: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : {
              filter: { kind: ['Component', 'System', 'Resource'] },
              limit: PAGE_SIZE,
            },
        { credentials },
      );
      for (const entity of page.items) {
        if (this.options.sourcesFor(entity).length) {
          result.push({
            entity,
            entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
          });
        }
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return result;
  }
}

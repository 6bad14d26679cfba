import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_PROJECT_ORIGIN,
  projectLocationRef,
} from '@dash-suite/plugin-project-catalog-common';
import { OverlayCache } from './OverlayCache';
import { FEED_PENDING_REFRESH_KEY } from './ProjectCatalogOverlayProcessor';

/** The provider's name, also its location key: stable, entities are tied to it. */
export const PROJECT_CATALOG_PROVIDER_NAME = 'project-catalog';

/** The scheduled fallback when no announcement arrives. */
export const DEFAULT_PROVIDER_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 1 },
  };

/**
 * The entity as the catalog receives it: the backend builds UI-created projects whole; the
 * origin and location annotations are added should a project lack them. Undefined for an
 * object that is not an entity.
 */
function asProjectEntity(entity: Entity): Entity | undefined {
  if (
    typeof entity.apiVersion !== 'string' ||
    typeof entity.kind !== 'string' ||
    typeof entity.metadata?.name !== 'string'
  ) {
    return undefined;
  }
  const location = projectLocationRef(stringifyEntityRef(entity));
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        ...entity.metadata.annotations,
        [ANNOTATION_PROJECT_ORIGIN]: 'ui',
      },
    },
  };
}

/**
 * Emits the projects created in the Project Catalog UI as catalog entities, with one full
 * mutation of all of them (location key `project-catalog`), so that a created project appears
 * and a deleted one disappears.
 *
 * It applies the feed whenever the overlay cache loads a new revision (after an announcement,
 * or when processing revalidates the cache), and on a schedule as a fallback (every 5 minutes
 * by default, always applying). Until the feed has loaded once nothing is applied, so a
 * backend that is not up yet never empties the catalog of projects, nor fails catalog startup.
 * When the feed loads for the first time, and on every scheduled run, it asks the catalog to
 * reprocess the entities that the processor passed through before the feed had loaded.
 *
 * @public
 */
export class ProjectCatalogEntityProvider implements EntityProvider {
  private readonly cache: OverlayCache;
  private readonly logger: LoggerService;
  private readonly scheduler: Pick<SchedulerService, 'scheduleTask'>;
  private readonly schedule: SchedulerServiceTaskScheduleDefinition;
  private connection?: EntityProviderConnection;
  private appliedRevision?: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: {
    cache: OverlayCache;
    logger: LoggerService;
    scheduler: Pick<SchedulerService, 'scheduleTask'>;
    schedule?: SchedulerServiceTaskScheduleDefinition;
  }) {
    this.cache = options.cache;
    this.logger = options.logger;
    this.scheduler = options.scheduler;
    this.schedule = options.schedule ?? DEFAULT_PROVIDER_SCHEDULE;
  }

  getProviderName(): string {
    return PROJECT_CATALOG_PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    let firstLoad = true;
    this.cache.onChange(async () => {
      if (firstLoad) {
        firstLoad = false;
        await this.refreshPendingEntities();
      }
      await this.apply();
    });
    // Every replica holds its own cache, so the task runs on each (local scope) unless the
    // configured schedule says otherwise. The first run happens right after startup; when the
    // backend is not up yet it fails quietly and the next run (or any cache load) retries.
    await this.scheduler.scheduleTask({
      id: `${PROJECT_CATALOG_PROVIDER_NAME}:refresh`,
      scope: 'local',
      ...this.schedule,
      fn: async () => {
        await this.cache.get();
        await this.apply({ force: true });
        await this.refreshPendingEntities();
      },
    });
  }

  /**
   * Applies the cached feed's projects when its revision differs from the last one applied
   * (or always, with `force`). Applications run one after another, each with the latest
   * snapshot. Never throws.
   */
  apply(options?: { force?: boolean }): Promise<void> {
    this.queue = this.queue.then(() => this.applyLatest(options?.force));
    return this.queue;
  }

  private async refreshPendingEntities(): Promise<void> {
    if (!this.connection || !this.cache.current().loaded) return;
    try {
      await this.connection.refresh({ keys: [FEED_PENDING_REFRESH_KEY] });
    } catch (error) {
      this.logger.warn(
        `Could not refresh the entities processed before the Project Catalog feed loaded: ${error}`,
      );
    }
  }

  private async applyLatest(force = false): Promise<void> {
    const snapshot = this.cache.current();
    if (!this.connection || !snapshot.loaded) return;
    if (!force && snapshot.revision === this.appliedRevision) return;
    const entities: Entity[] = [];
    for (const project of snapshot.projects) {
      const entity = asProjectEntity(project);
      if (entity) entities.push(entity);
      else
        this.logger.warn(
          'Skipped a Project Catalog project that is not an entity',
        );
    }
    try {
      await this.connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({
          entity,
          locationKey: PROJECT_CATALOG_PROVIDER_NAME,
        })),
      });
      if (snapshot.revision !== this.appliedRevision) {
        this.logger.info(
          `Applied ${entities.length} Project Catalog projects (revision ${snapshot.revision})`,
        );
      }
      this.appliedRevision = snapshot.revision;
    } catch (error) {
      this.logger.warn(
        `Could not apply Project Catalog projects (revision ${snapshot.revision}): ${error}`,
      );
    }
  }
}

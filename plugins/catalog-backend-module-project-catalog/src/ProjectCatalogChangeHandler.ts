import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  PROJECT_CATALOG_TOPIC,
  ProjectCatalogChange,
} from '@dash-suite/plugin-project-catalog-common';
import { OverlayCache } from './OverlayCache';

/** The subscriber id; with an event bus, replicas sharing it split the events among them. */
export const PROJECT_CATALOG_SUBSCRIBER_ID = 'catalog-module-project-catalog';

function parseChange(payload: unknown): ProjectCatalogChange | undefined {
  const p = payload as Partial<ProjectCatalogChange> | undefined;
  if (
    typeof p?.entityRef !== 'string' ||
    (p.kind !== 'overlay' && p.kind !== 'project')
  ) {
    return undefined;
  }
  return {
    entityRef: p.entityRef,
    kind: p.kind,
    revision: typeof p.revision === 'number' ? p.revision : NaN,
  };
}

/**
 * Turns a Project Catalog announcement (`PROJECT_CATALOG_TOPIC`) into catalog work right away:
 *
 * 1. the overlay cache loads the announced revision now (no request when it already has it);
 * 2. a `project` change re-applies the entity provider's mutation (a created project appears, a
 *    deleted one disappears; the catalog reprocesses a changed one by itself);
 * 3. an `overlay` change asks the catalog to reprocess the entity now, and once more
 *    `2 × revalidateMs` later. The second request is for the other replicas: any of them may
 *    process the entity, and one that did not receive the announcement (an event bus hands
 *    each event to one subscriber of an id) holds a feed up to one window old. By two windows
 *    after the write, every replica's cache has been revalidated since the write, so the
 *    second pass merges the new value wherever it runs. Repeated changes of one entity share
 *    one pending second request.
 *
 * Errors are logged, never thrown.
 *
 * @public
 */
export class ProjectCatalogChangeHandler {
  private readonly cache: OverlayCache;
  private readonly provider: { apply(): Promise<void> };
  private readonly catalog: Pick<CatalogService, 'refreshEntity'>;
  private readonly auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  private readonly logger: LoggerService;
  private readonly revalidateMs: number;
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(options: {
    cache: OverlayCache;
    provider: { apply(): Promise<void> };
    catalog: Pick<CatalogService, 'refreshEntity'>;
    auth: Pick<AuthService, 'getOwnServiceCredentials'>;
    logger: LoggerService;
    revalidateMs: number;
  }) {
    this.cache = options.cache;
    this.provider = options.provider;
    this.catalog = options.catalog;
    this.auth = options.auth;
    this.logger = options.logger;
    this.revalidateMs = options.revalidateMs;
  }

  /** Subscribes to `PROJECT_CATALOG_TOPIC`. */
  async subscribe(events: Pick<EventsService, 'subscribe'>): Promise<void> {
    await events.subscribe({
      id: PROJECT_CATALOG_SUBSCRIBER_ID,
      topics: [PROJECT_CATALOG_TOPIC],
      onEvent: async ({ eventPayload }) => this.handle(eventPayload),
    });
  }

  /** Handles one announcement; never throws. */
  async handle(payload: unknown): Promise<void> {
    const change = parseChange(payload);
    if (!change) {
      this.logger.warn(
        `Ignored a malformed ${PROJECT_CATALOG_TOPIC} event: ${JSON.stringify(
          payload,
        )}`,
      );
      return;
    }
    try {
      await this.cache.revalidate(
        Number.isFinite(change.revision) ? change.revision : undefined,
      );
      if (change.kind === 'project') {
        await this.provider.apply();
        return;
      }
      await this.refresh(change.entityRef);
      this.refreshLater(change.entityRef);
    } catch (error) {
      this.logger.warn(
        `Could not handle the Project Catalog change of ${change.entityRef}: ${error}`,
      );
    }
  }

  /** Cancels the pending second refreshes (at shutdown). */
  close(): void {
    this.closed = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private refreshLater(entityRef: string): void {
    if (this.closed) return;
    clearTimeout(this.pending.get(entityRef));
    const timer = setTimeout(() => {
      this.pending.delete(entityRef);
      void this.refresh(entityRef);
    }, 2 * this.revalidateMs);
    timer.unref?.();
    this.pending.set(entityRef, timer);
  }

  private async refresh(entityRef: string): Promise<void> {
    try {
      const credentials = await this.auth.getOwnServiceCredentials();
      await this.catalog.refreshEntity(entityRef, { credentials });
    } catch (error) {
      this.logger.warn(
        `Could not ask the catalog to refresh ${entityRef}: ${error}`,
      );
    }
  }
}

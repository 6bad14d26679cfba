import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  CatalogFeed,
  PROJECT_CATALOG_TOPIC,
  ProjectCatalogChange,
} from '@dash-suite/plugin-project-catalog-common';

/**
 * Stands in for the Project Catalog backend plugin in a test backend: serves
 * `GET /api/project-catalog/catalog-feed` (service credentials only, ETag, 304) from `feed`,
 * counts the requests, and announces changes on the events service as the real one does.
 */
export class FakeProjectCatalogBackend {
  feed: CatalogFeed = { revision: 1, overlays: [], projects: [] };
  /** Every `/catalog-feed` request, with its answer. */
  readonly requests: Array<{ at: number; status: number }> = [];
  /** While true, `/catalog-feed` answers 503. */
  unavailable = false;
  private events?: EventsService;

  readonly feature = createBackendPlugin({
    pluginId: 'project-catalog',
    register: reg => {
      reg.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          events: eventsServiceRef,
        },
        init: async ({ httpRouter, httpAuth, events }) => {
          this.events = events;
          httpRouter.use(async (req, res, next) => {
            if (req.method !== 'GET' || req.path !== '/catalog-feed') {
              next();
              return;
            }
            try {
              await httpAuth.credentials(req, { allow: ['service'] });
            } catch (error) {
              next(error);
              return;
            }
            if (this.unavailable) {
              this.requests.push({ at: Date.now(), status: 503 });
              res.status(503).json({ error: { message: 'starting up' } });
              return;
            }
            const etag = `"${this.feed.revision}"`;
            res.setHeader('ETag', etag);
            if (req.header('if-none-match') === etag) {
              this.requests.push({ at: Date.now(), status: 304 });
              res.status(304).end();
              return;
            }
            this.requests.push({ at: Date.now(), status: 200 });
            res.json(this.feed);
          });
        },
      });
    },
  });

  /** Sets the next revision of the feed, as a write in the real backend would. */
  write(change: Partial<Omit<CatalogFeed, 'revision'>>): number {
    this.feed = { ...this.feed, ...change, revision: this.feed.revision + 1 };
    return this.feed.revision;
  }

  /** Announces a change, as the real backend does after each write. */
  async announce(
    entityRef: string,
    kind: ProjectCatalogChange['kind'],
    revision = this.feed.revision,
  ) {
    const payload: ProjectCatalogChange = { entityRef, kind, revision };
    await this.events!.publish({
      topic: PROJECT_CATALOG_TOPIC,
      eventPayload: payload,
    });
  }
}

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { OverlayCache } from './OverlayCache';
import { ProjectCatalogChangeHandler } from './ProjectCatalogChangeHandler';
import { ProjectCatalogEntityProvider } from './ProjectCatalogEntityProvider';
import { ProjectCatalogFeedClient } from './ProjectCatalogFeedClient';
import { ProjectCatalogOverlayProcessor } from './ProjectCatalogOverlayProcessor';
import { readProjectCatalogModuleSettings } from './config';

/**
 * The catalog module of Project Catalog: merges the metadata edited in the UI into catalog
 * entities (processor) and emits the projects created in the UI (entity provider), both fed by
 * one cache of the Project Catalog backend's `/catalog-feed`, kept fresh by announcements on
 * the events service and by revalidation.
 *
 * @public
 */
export const catalogModuleProjectCatalog = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'project-catalog',
  register(reg) {
    reg.registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { processing, config, logger, auth, events, lifecycle } = deps;
        const settings = readProjectCatalogModuleSettings(config, logger);
        const cache = new OverlayCache({
          source: new ProjectCatalogFeedClient({
            discovery: deps.discovery,
            auth,
          }),
          logger,
          revalidateMs: settings.revalidateMs,
        });
        const provider = new ProjectCatalogEntityProvider({
          cache,
          logger,
          scheduler: deps.scheduler,
          schedule: settings.schedule,
        });
        processing.addProcessor(new ProjectCatalogOverlayProcessor({ cache }));
        processing.addEntityProvider(provider);

        const changes = new ProjectCatalogChangeHandler({
          cache,
          provider,
          catalog: deps.catalog,
          auth,
          logger,
          revalidateMs: settings.revalidateMs,
        });
        await changes.subscribe(events);
        lifecycle.addShutdownHook(() => changes.close());
      },
    });
  },
});

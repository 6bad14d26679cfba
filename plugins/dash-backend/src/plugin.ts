import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { dashPermissions } from '@dash-suite/plugin-dash-common';
import { dashSourcesExtensionPoint } from '@dash-suite/plugin-dash-node';
import { randomUUID } from 'node:crypto';
import { registerDashActions } from './actions';
import { readDashSettings } from './config';
import { migrate } from './database/migrations';
import { createRouter } from './router';
import { EventStore } from './services/EventStore/EventStore';
import { FeedStore } from './services/FeedStore/FeedStore';
import { LiveWatch } from './services/LiveWatch/LiveWatch';
import { AnnotatedEntities } from './services/Prewarm/AnnotatedEntities';
import { PrewarmTask } from './services/Prewarm/PrewarmTask';
import { RefreshEngine } from './services/RefreshEngine/RefreshEngine';
import { SearchEventsReader } from './services/SearchEvents/SearchEventsReader';
import {
  RetentionTask,
  readRetentionSettings,
} from './services/Retention/RetentionTask';
import { SourceRegistry } from './services/SourceRegistry/SourceRegistry';
import { TimelineSignals } from './services/TimelineSignals/TimelineSignals';
import {
  EntityVersions,
  allChanges,
} from './services/TimelineAnswers/EntityVersions';
import { TimelineService } from './services/TimelineService/TimelineService';
import { createUpstreamGuards } from './services/UpstreamGuard/createUpstreamGuards';

/**
 * The DASH backend plugin: `/api/dash`. Source modules register through
 * `dashSourcesExtensionPoint` (from `@dash-suite/plugin-dash-node`).
 */
export const dashPlugin = createBackendPlugin({
  pluginId: 'dash',
  register(env) {
    const registry = new SourceRegistry();
    env.registerExtensionPoint(dashSourcesExtensionPoint, registry);

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        lifecycle: coreServices.lifecycle,
        // Without the signals backend installed, what is published reaches no one.
        signals: signalsServiceRef,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        auditor,
        cache,
        catalog,
        actionsRegistry,
        lifecycle,
        signals,
      }) {
        const settings = readDashSettings(config);
        const retention = readRetentionSettings(config);
        const db = await migrate(database);
        const events = new EventStore(db);
        const feeds = new FeedStore(db);
        const sources = registry.list();
        const guards = createUpstreamGuards(sources, settings, logger);
        const timelineSignals = new TimelineSignals({ signals, logger });
        // Stored events changed: tell live tabs (Signals) and retire cached answers.
        const versions = new EntityVersions();
        const changes = allChanges(timelineSignals, versions);
        const engine = new RefreshEngine({
          sources,
          events,
          feeds,
          guards,
          logger,
          instanceId: `dash-${randomUUID()}`,
          freshnessMs: settings.freshnessMs,
          overlapMs: settings.overlapMs,
          leaseMs: settings.leaseMs,
          retentionMs: retention.retentionMs,
          backoff: settings.backoff,
          changes,
        });
        const liveWatch = new LiveWatch({
          engine,
          settings: settings.liveWatch,
          logger,
        });
        const timeline = new TimelineService({
          catalog,
          events,
          engine,
          sources,
          guards,
          settings,
          cache,
          logger,
          changes,
          liveWatch,
          versions,
        });
        liveWatch.start();
        lifecycle.addShutdownHook(async () => {
          await liveWatch.stop();
          await timelineSignals.close();
        });
        permissionsRegistry.addPermissions(dashPermissions);
        // Actions for AI assistants (MCP): the same service calls, with the caller's credentials.
        registerDashActions({
          actionsRegistry,
          timeline,
          settings,
          appBaseUrl: config.getOptionalString('app.baseUrl'),
        });
        logger.info(
          sources.length
            ? `DASH sources: ${sources.map(s => s.id).join(', ')}`
            : 'No DASH source modules installed; only change events posted to /changes will show',
        );

        await new RetentionTask({
          events,
          feeds,
          catalog,
          auth,
          logger: logger.child({ task: 'dash-retention' }),
          settings: retention,
        }).schedule(scheduler);
        await new PrewarmTask({
          engine,
          entities: new AnnotatedEntities({
            catalog,
            sourcesFor: entity => engine.sourcesFor(entity),
          }),
          auth,
          logger,
          settings: settings.prewarm,
        }).schedule(scheduler, sources.length);

        httpRouter.use(
          await createRouter({
            timeline,
            searchEvents: new SearchEventsReader(db),
            settings,
            httpAuth,
            permissions,
            auditor,
            logger,
          }),
        );
        httpRouter.addAuthPolicy({
          path: '/openapi.json',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { dashPermissions } from '@dash-suite/plugin-dash-common';
import {
  SignalSource,
  dashSourcesExtensionPoint,
} from '@dash-suite/plugin-dash-node';
import { randomUUID } from 'node:crypto';
import { readDashSettings } from './config';
import { migrate } from './database/migrations';
import { createRouter } from './router';
import { EventStore } from './services/EventStore/EventStore';
import { FeedStore } from './services/FeedStore/FeedStore';
import { RefreshEngine } from './services/RefreshEngine/RefreshEngine';
import {
  RetentionTask,
  readRetentionSettings,
} from './services/Retention/RetentionTask';
import { TimelineService } from './services/TimelineService/TimelineService';
import { UpstreamGuard } from './services/UpstreamGuard/UpstreamGuard';

/**
 * The DASH backend plugin: `/api/dash`. Source modules register through
 * `dashSourcesExtensionPoint` (from `@dash-suite/plugin-dash-node`).
 */
export const dashPlugin = createBackendPlugin({
  pluginId: 'dash',
  register(env) {
    const sources = new Map<string, SignalSource>();
    env.registerExtensionPoint(dashSourcesExtensionPoint, {
      addSource(source) {
        if (!/^[a-z0-9-]+$/.test(source.id) || source.id === 'changes') {
          throw new Error(
            `Invalid DASH source id '${source.id}': use lower-case letters, digits and dashes, not 'changes'`,
          );
        }
        if (sources.has(source.id)) {
          throw new Error(
            `A DASH source with id '${source.id}' is already registered`,
          );
        }
        sources.set(source.id, source);
      },
    });

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
      },
      async init(deps) {
        const { config, logger, scheduler } = deps;
        const settings = readDashSettings(config);
        const db = await migrate(deps.database);
        const events = new EventStore(db);
        const feeds = new FeedStore(db);
        const all = [...sources.values()];
        const guards = new Map(
          all.map(s => {
            const g = settings.guard(s.id);
            return [
              s.id,
              new UpstreamGuard({
                sourceId: s.id,
                logger: logger.child({ source: s.id }),
                timeoutMs: g.timeoutMs,
                retries: g.retries,
                retryBaseDelayMs: 200,
                breakerThreshold: g.breakerThreshold,
                breakerHalfOpenAfterMs: g.breakerHalfOpenAfterMs,
                concurrency: g.concurrency,
                queue: g.queue,
                requestsPerMinute: g.requestsPerMinute,
                maxBudgetWaitMs: Math.min(settings.maxWaitMs, g.timeoutMs),
              }),
            ];
          }),
        );
        const engine = new RefreshEngine({
          sources: all,
          events,
          feeds,
          guards,
          logger,
          instanceId: `dash-${randomUUID()}`,
          freshnessMs: settings.freshnessMs,
          overlapMs: settings.overlapMs,
          leaseMs: settings.leaseMs,
          retentionMs: settings.retentionMs,
          backoff: settings.backoff,
        });
        const timeline = new TimelineService({
          catalog: deps.catalog,
          events,
          engine,
          sources: all,
          guards,
          settings,
          cache: deps.cache,
          logger,
        });
        deps.permissionsRegistry.addPermissions(dashPermissions);
        logger.info(
          all.length
            ? `DASH sources: ${all.map(s => s.id).join(', ')}`
            : 'No DASH source modules installed; only change events posted to /changes will show',
        );

        await new RetentionTask({
          events,
          feeds,
          catalog: deps.catalog,
          auth: deps.auth,
          logger: logger.child({ task: 'dash-retention' }),
          settings: readRetentionSettings(config),
        }).schedule(scheduler);
        if (settings.prewarm.enabled && all.length) {
          await scheduler.scheduleTask({
            id: 'dash-prewarm',
            frequency: settings.prewarm.frequency,
            timeout: { minutes: 10 },
            initialDelay: { seconds: 15 },
            fn: async () => {
              const credentials = await deps.auth.getOwnServiceCredentials();
              const entities = await timeline.annotatedEntities(credentials);
              const refreshed = await engine.prewarm(entities, {
                windowMs: settings.prewarm.windowMs,
                concurrency: settings.prewarm.concurrency,
                deadlineMs: Date.now() + 9 * 60_000,
              });
              logger.info(
                `Pre-warmed ${refreshed} feed(s) of ${entities.length} annotated entities`,
              );
            },
          });
        }

        deps.httpRouter.use(
          await createRouter({
            timeline,
            settings,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/openapi.json',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

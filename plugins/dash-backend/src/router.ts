import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  DASH_SEARCH_PAGE_MAX,
  DAY_MS,
  DashSettingsResponse,
  HOUR_MS,
  dashChangeCreatePermission,
  dashRefreshPermission,
} from '@dash-suite/plugin-dash-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { DashSettings } from './config';
import { databaseUnavailableHandler } from './database/databaseErrors';
import { buildOpenApiDocument } from './schema/openapi';
import { sendAnswer } from './services/TimelineAnswers/sendAnswer';
import { ServerTiming } from './services/TimelineAnswers/ServerTiming';
import {
  changeBodySchema,
  entityQuerySchema,
  refreshBodySchema,
  timelineQuerySchema,
  windowQuerySchema,
} from './schema/schemas';
import { parseInput } from './schema/parseInput';
import { searchEventsQuerySchema } from './schema/searchSchemas';
import { checkSources, resolveWindow } from './schema/window';
import { SearchEventsReader } from './services/SearchEvents/SearchEventsReader';
import {
  TimelineQuery,
  TimelineService,
} from './services/TimelineService/TimelineService';

export interface RouterOptions {
  timeline: TimelineService;
  searchEvents: SearchEventsReader;
  settings: DashSettings;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  clock?: () => number;
}

/** Routes: parse input (zod), check access, call the TimelineService, shape output. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { timeline, settings, httpAuth, permissions, auditor } = options;
  const clock = options.clock ?? Date.now;
  const router = Router();
  router.use(express.json({ limit: '100kb' }));

  const openApi = buildOpenApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  /** from/to with defaults (the last `defaultMs`), ordered, and no wider than allowed. */
  function window(
    from: string | undefined,
    to: string | undefined,
    defaultMs: number,
  ) {
    return resolveWindow({
      from,
      to,
      defaultMs,
      maxWindowMs: settings.maxWindowMs,
      now: clock(),
    });
  }

  function timelineQuery(req: Request): TimelineQuery {
    const q = parseInput(timelineQuerySchema, req.query);
    checkSources(q.sources, timeline.knownSources());
    return {
      entityRefs: [...new Set(q.entityRef)],
      ...window(q.from, q.to, DAY_MS),
      sources: q.sources,
      kinds: q.kinds,
      includeDependencies: q.includeDependencies ?? false,
      live: q.live ?? false,
      push: q.push ?? false,
    };
  }

  async function authorize(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You are not allowed to ${permission.name}`);
    }
    return credentials;
  }

  /** A permission on one catalog entity; the denial names both. */
  async function authorizeOnEntity(
    req: Request,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
  ) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${permission.name} on ${entityRef}`,
      );
    }
    return credentials;
  }

  router.get('/settings', async (req, res) => {
    await httpAuth.credentials(req);
    const body: DashSettingsResponse = {
      maxWindowDays: settings.maxWindowMs / DAY_MS,
    };
    res.json(body);
  });

  router.get('/timeline', async (req, res) => {
    const query = timelineQuery(req);
    const timing = new ServerTiming();
    const credentials = await timing.time('auth', () =>
      httpAuth.credentials(req),
    );
    const answer = await timeline.getTimelineAnswer(query, credentials, {
      alignNow: true,
      timing,
    });
    await sendAnswer(req, res, answer, timing);
  });

  router.get('/export.md', async (req, res) => {
    const query = timelineQuery(req);
    const markdown = await timeline.exportMarkdown(
      query,
      await httpAuth.credentials(req),
    );
    res.type('text/markdown; charset=utf-8').send(markdown);
  });

  router.get('/oncall', async (req, res) => {
    const { entityRef } = parseInput(entityQuerySchema, req.query);
    res.json(
      await timeline.getOnCall(entityRef, await httpAuth.credentials(req)),
    );
  });

  router.get('/alerts', async (req, res) => {
    const { entityRef } = parseInput(entityQuerySchema, req.query);
    res.json(
      await timeline.getAlerts(entityRef, await httpAuth.credentials(req)),
    );
  });

  // Reads of one entity over a window, each with the window it uses when the caller names none.
  const windowReads: Array<{
    path: string;
    defaultMs: number;
    read: (
      ref: string,
      w: { fromMs: number; toMs: number },
      credentials: BackstageCredentials,
    ) => Promise<unknown>;
  }> = [
    {
      path: '/deploys',
      defaultMs: 7 * DAY_MS,
      read: (...a) => timeline.getDeploys(...a),
    },
    {
      path: '/dora',
      defaultMs: 30 * DAY_MS,
      read: (...a) => timeline.getDora(...a),
    },
    {
      path: '/links',
      defaultMs: DAY_MS,
      read: (...a) => timeline.getLinks(...a),
    },
  ];
  for (const { path, defaultMs, read } of windowReads) {
    router.get(path, async (req, res) => {
      const q = parseInput(windowQuerySchema, req.query);
      res.json(
        await read(
          q.entityRef,
          window(q.from, q.to, defaultMs),
          await httpAuth.credentials(req),
        ),
      );
    });
  }

  router.post('/refresh', async (req, res) => {
    const body = parseInput(refreshBodySchema, req.body ?? {});
    const audit = await auditor.createEvent({
      eventId: 'refresh',
      request: req,
      meta: { entityRef: body.entityRef },
    });
    try {
      const credentials = await authorize(req, dashRefreshPermission);
      const known = timeline.knownSources();
      const unknown = (body.sources ?? []).filter(s => !known.includes(s));
      if (unknown.length)
        throw new InputError(`sources: unknown source ${unknown.join(', ')}`);
      const result = await timeline.refresh(
        body.entityRef,
        body.sources,
        credentials,
      );
      await audit.success({
        meta: { sources: result.sources.map(s => `${s.id}:${s.status}`) },
      });
      res.json(result);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.post('/changes', async (req, res) => {
    const body = parseInput(changeBodySchema, req.body ?? {});
    const audit = await auditor.createEvent({
      eventId: 'change-ingest',
      request: req,
      meta: { entityRef: body.entityRef, changeId: body.id, type: body.type },
    });
    try {
      if (Date.parse(body.time) > clock() + HOUR_MS) {
        throw new InputError('time: is more than an hour in the future');
      }
      const credentials = await authorizeOnEntity(
        req,
        dashChangeCreatePermission,
        body.entityRef,
      );
      const result = await timeline.ingestChange(body, credentials);
      await audit.success({
        meta: { created: result.created, eventId: result.event.id },
      });
      res.status(result.created ? 201 : 200).json(result);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  // For Backstage search's collator: other backends only, as it reads every entity's events.
  router.get('/search-events', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const q = parseInput(searchEventsQuerySchema, req.query);
    res.json(
      await options.searchEvents.page({
        sinceMs: Date.parse(q.since),
        cursor: q.cursor,
        limit: q.limit ?? DASH_SEARCH_PAGE_MAX,
      }),
    );
  });

  // A database that cannot be reached answers 503 with a plain message, never the driver's.
  router.use(databaseUnavailableHandler(options.logger));

  return router;
}

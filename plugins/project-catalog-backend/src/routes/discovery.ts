import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AdoptEdits,
  DISCOVERY_LIMITS,
  DiscoveryActionResult,
  DiscoveryActionsResponse,
  parseOrThrow,
} from '@dash-suite/plugin-project-catalog-common';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  discoveryActionsBodySchema,
  suggestionQuerySchema,
} from '../schema/discovery';
import { WriteAudit } from '../services/AuditLog/WriteAudit';
import { DiscoveryQueue } from '../services/Discovery/DiscoveryQueue';

type Action = z.output<typeof discoveryActionsBodySchema>['actions'][number];

/** The HTTP status an action's error would have had as a request of its own. */
function statusOf(error: unknown): number {
  if (error instanceof InputError) return 400;
  if (error instanceof AuthenticationError) return 401;
  if (error instanceof NotAllowedError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof ServiceUnavailableError) return 503;
  return 500;
}

/**
 * Discovery's review queue. Reading needs a signed-in user; scanning and deciding need
 * `project-catalog.discovery.review` (adopting also `project-catalog.project.create`, merging
 * `project-catalog.metadata.update` on the entity, as ProjectService checks). The bulk route
 * answers 200 with one result per action, each with the status it would have had on its own.
 */
export function discoveryRouter(options: {
  discoveryQueue: DiscoveryQueue;
  writeAudit: WriteAudit;
  httpAuth: HttpAuthService;
}) {
  const { discoveryQueue: discovery, writeAudit, httpAuth } = options;
  const router = Router();

  router.get('/discovery/suggestions', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    const q = parseOrThrow(suggestionQuerySchema, req.query);
    res.json(
      await discovery.list({
        status: q.status,
        source: q.source,
        afterId: q.cursor,
        limit: q.limit ?? DISCOVERY_LIMITS.defaultPageSize,
      }),
    );
  });

  router.get('/discovery/status', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await discovery.status());
  });

  router.post('/discovery/scan', async (req, res) => {
    const ctx = await writeAudit.context(req);
    const status = await writeAudit.run(
      req,
      ctx,
      { action: 'discovery.scan' },
      async () => {
        await discovery.authorizeReview(ctx);
        return discovery.scan(ctx);
      },
    );
    res.json(status);
  });

  router.post('/discovery/suggestions/actions', async (req, res) => {
    const ctx = await writeAudit.context(req);
    const { actions } = await writeAudit.run(
      req,
      ctx,
      { action: 'discovery.review', after: req.body },
      async () => {
        const body = parseOrThrow(discoveryActionsBodySchema, req.body ?? {});
        await discovery.authorizeReview(ctx);
        return body;
      },
    );

    // One action after the other: each is its own write (and audit), so one failing
    // leaves the others done and itself not written at all.
    const results: DiscoveryActionResult[] = [];
    for (const a of actions) {
      try {
        const entityRef = await writeAudit.run(
          req,
          ctx,
          {
            action: `discovery.${a.action}`,
            entityRef: a.action === 'merge' ? a.entityRef : undefined,
            field: 'discovery.status',
            after: a,
          },
          () => act(a),
        );
        results.push({
          id: a.id,
          action: a.action,
          ok: true,
          status: a.action === 'adopt' ? 201 : 200,
          ...(entityRef ? { entityRef } : {}),
        });
      } catch (error) {
        const e = error as Error;
        results.push({
          id: a.id,
          action: a.action,
          ok: false,
          status: statusOf(e),
          error: { name: e.name, message: e.message },
        });
      }
    }
    const body: DiscoveryActionsResponse = { results };
    res.json(body);

    async function act(a: Action): Promise<string | undefined> {
      switch (a.action) {
        case 'adopt':
          // Each edit was checked by its field's schema (typed `unknown` there).
          return discovery.adopt(a.id, (a.edits ?? {}) as AdoptEdits, ctx);
        case 'merge':
          return discovery.merge(a.id, a.entityRef, ctx);
        default:
          await discovery.ignore(a.id, a.reason, ctx);
          return undefined;
      }
    }
  });

  return router;
}

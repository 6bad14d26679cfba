import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseOrThrow } from '@dash-suite/plugin-project-catalog-common';
import { Request, Response } from 'express';
import Router from 'express-promise-router';
import {
  campaignEntitiesQuerySchema,
  campaignHistoryQuerySchema,
  campaignIdSchema,
  createCampaignBodySchema,
  deleteCampaignQuerySchema,
  evaluateQuerySchema,
  exemptionBodySchema,
  manualStatusBodySchema,
  updateCampaignBodySchema,
} from '../schema/campaigns';
import { WriteAudit } from '../services/AuditLog/WriteAudit';
import { CampaignVersionConflictError } from '../services/CampaignStore/CampaignStore';
import { CampaignEntityService } from '../services/CampaignService/CampaignEntityService';
import { CampaignService } from '../services/CampaignService/CampaignService';
import { sendVersionConflict } from './conflict';
import { entityRefFromPath } from './entityRef';

const CAMPAIGN = '/campaigns/:id';
const ENTITY = `${CAMPAIGN}/entities/:kind/:namespace/:name`;

const idOf = (req: Request) =>
  parseOrThrow(campaignIdSchema, req.params.id, 'id');
const idOrUndefined = (req: Request) =>
  campaignIdSchema.safeParse(req.params.id).success ? req.params.id : undefined;

/**
 * Migration campaigns: definitions (managers), statuses per entity with paging, the burn-up
 * history, evaluation on demand, the owners' manual status, exemptions, and an entity's
 * campaigns for its page. Every write runs through WriteAudit; its rows land with the write.
 */
export function campaignsRouter(options: {
  campaigns: CampaignService;
  campaignEntities: CampaignEntityService;
  writeAudit: WriteAudit;
  httpAuth: HttpAuthService;
}) {
  const { campaigns, campaignEntities, writeAudit, httpAuth } = options;
  const router = Router();

  /** A stale version answers 409 with the campaign as it is now. */
  async function conflict(
    req: Request,
    res: Response,
    error: unknown,
    id: string | undefined,
  ) {
    if (!(error instanceof CampaignVersionConflictError) || !id) throw error;
    sendVersionConflict(req, res, error.message, await campaigns.get(id));
  }

  router.get('/campaign-check-types', async (req, res) => {
    await httpAuth.credentials(req);
    res.json({ items: campaigns.checkTypes() });
  });

  router.get('/campaigns', async (req, res) => {
    await httpAuth.credentials(req);
    res.json({ items: await campaigns.list() });
  });

  router.post('/campaigns', async (req, res) => {
    const ctx = await writeAudit.context(req);
    const id =
      typeof req.body?.id === 'string' ? req.body.id.slice(0, 63) : undefined;
    const view = await writeAudit.run(
      req,
      ctx,
      {
        action: 'campaign.create',
        field: id && `campaign:${id}`,
        after: req.body,
      },
      async () => {
        const body = parseOrThrow(createCampaignBodySchema, req.body ?? {});
        return campaigns.create(body.id, body, ctx);
      },
    );
    res.status(201).json(view);
  });

  router.get(CAMPAIGN, async (req, res) => {
    await httpAuth.credentials(req);
    res.json(await campaigns.get(idOf(req)));
  });

  router.patch(CAMPAIGN, async (req, res) => {
    const ctx = await writeAudit.context(req);
    const id = idOrUndefined(req);
    try {
      const view = await writeAudit.run(
        req,
        ctx,
        {
          action: 'campaign.update',
          field: id && `campaign:${id}`,
          after: req.body,
        },
        async () =>
          campaigns.update(
            idOf(req),
            parseOrThrow(updateCampaignBodySchema, req.body ?? {}),
            ctx,
          ),
      );
      res.json(view);
    } catch (error) {
      await conflict(req, res, error, id);
    }
  });

  router.delete(CAMPAIGN, async (req, res) => {
    const ctx = await writeAudit.context(req);
    const id = idOrUndefined(req);
    try {
      await writeAudit.run(
        req,
        ctx,
        { action: 'campaign.delete', field: id && `campaign:${id}` },
        async () => {
          const { version } = parseOrThrow(
            deleteCampaignQuerySchema,
            req.query,
          );
          await campaigns.delete(idOf(req), version, ctx);
        },
      );
      res.status(204).end();
    } catch (error) {
      await conflict(req, res, error, id);
    }
  });

  router.get(`${CAMPAIGN}/entities`, async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = parseOrThrow(campaignEntitiesQuerySchema, req.query);
    res.json(await campaignEntities.page(idOf(req), query, credentials));
  });

  router.get(`${CAMPAIGN}/history`, async (req, res) => {
    await httpAuth.credentials(req);
    const q = parseOrThrow(campaignHistoryQuerySchema, req.query);
    res.json(
      await campaigns.history(idOf(req), { ...q, byTeam: q.byTeam === 'true' }),
    );
  });

  router.post(`${CAMPAIGN}/evaluate`, async (req, res) => {
    const ctx = await writeAudit.context(req);
    const id = idOrUndefined(req);
    const answer = await writeAudit.run(
      req,
      ctx,
      { action: 'campaign.evaluate', field: id && `campaign:${id}` },
      async () => {
        const { wait } = parseOrThrow(evaluateQuerySchema, req.query);
        return campaigns.evaluate(idOf(req), wait === 'true', ctx);
      },
    );
    res.status('state' in answer ? 202 : 200).json(answer);
  });

  /** PUT and DELETE of an entity's manual status or exemption. */
  function entityWrite(
    suffix: 'manual' | 'exemption',
    method: 'put' | 'delete',
    action: string,
    fn: (
      req: Request,
      id: string,
      entityRef: string,
      ctx: Awaited<ReturnType<WriteAudit['context']>>,
    ) => Promise<unknown>,
  ) {
    router[method](`${ENTITY}/${suffix}`, async (req, res) => {
      const ctx = await writeAudit.context(req);
      const id = idOrUndefined(req);
      let entityRef: string | undefined;
      try {
        entityRef = entityRefFromPath(req.params);
      } catch {
        // Named in the refusal below.
      }
      const answer = await writeAudit.run(
        req,
        ctx,
        {
          action,
          entityRef,
          field:
            id &&
            `campaign:${id}/${suffix === 'manual' ? 'status' : 'exemption'}`,
          after: req.body,
        },
        async () => fn(req, idOf(req), entityRefFromPath(req.params), ctx),
      );
      res.json(answer);
    });
  }

  entityWrite('manual', 'put', 'campaign.status', (req, id, ref, ctx) =>
    campaignEntities.setManual(
      id,
      ref,
      parseOrThrow(manualStatusBodySchema, req.body ?? {}),
      ctx,
    ),
  );
  entityWrite('manual', 'delete', 'campaign.status', (_req, id, ref, ctx) =>
    campaignEntities.clearManual(id, ref, ctx),
  );
  entityWrite('exemption', 'put', 'campaign.exempt', (req, id, ref, ctx) =>
    campaignEntities.setExemption(
      id,
      ref,
      parseOrThrow(exemptionBodySchema, req.body ?? {}).reason,
      ctx,
    ),
  );
  entityWrite(
    'exemption',
    'delete',
    'campaign.unexempt',
    (_req, id, ref, ctx) => campaignEntities.clearExemption(id, ref, ctx),
  );

  router.get('/projects/:kind/:namespace/:name/campaigns', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entityRef = entityRefFromPath(req.params);
    res.json({
      items: await campaignEntities.ofEntity(entityRef, credentials),
    });
  });

  return router;
}

import { parseOrThrow } from '@dash-suite/plugin-project-catalog-common';
import Router from 'express-promise-router';
import { pageOnCallBodySchema } from '../schema/oncall';
import { WriteAudit } from '../services/AuditLog/WriteAudit';
import { OnCallPager } from '../services/OnCall/OnCallPager';
import { entityRefFromPath } from './entityRef';

/** Page on-call: a PagerDuty incident for the entity, through the backend, audit-logged. */
export function onCallRouter(options: {
  onCallPager: OnCallPager;
  writeAudit: WriteAudit;
}) {
  const { onCallPager, writeAudit } = options;
  const router = Router();

  router.post('/projects/:kind/:namespace/:name/page', async (req, res) => {
    const entityRef = entityRefFromPath(req.params);
    const ctx = await writeAudit.context(req);
    const result = await writeAudit.run(
      req,
      ctx,
      {
        action: 'oncall.page',
        entityRef,
        field: 'oncall',
        after: req.body,
      },
      async () =>
        onCallPager.page(
          entityRef,
          parseOrThrow(pageOnCallBodySchema, req.body ?? {}),
          ctx,
        ),
    );
    res.status(202).json(result);
  });

  return router;
}

import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  CreateProjectRequest,
  parseOrThrow,
} from '@dash-suite/plugin-project-catalog-common';
import Router from 'express-promise-router';
import {
  createProjectBodySchema,
  deleteProjectQuerySchema,
} from '../schema/projects';
import { WriteAudit } from '../services/AuditLog/WriteAudit';
import { ProjectService } from '../services/ProjectService/ProjectService';
import { runProjectUpdate } from '../services/ProjectService/runProjectUpdate';
import { VersionConflictError } from '../services/ProjectStore/ProjectStore';
import { sendVersionConflict } from './conflict';
import { entityRefFromPath } from './entityRef';

const PROJECT_PATH = '/projects/:kind/:namespace/:name';

/** Create, read, edit, delete and export projects. */
export function projectsRouter(options: {
  projects: ProjectService;
  writeAudit: WriteAudit;
  httpAuth: HttpAuthService;
}) {
  const { projects, writeAudit, httpAuth } = options;
  const router = Router();

  router.get(PROJECT_PATH, async (req, res) => {
    const entityRef = entityRefFromPath(req.params);
    res.json(await projects.get(entityRef, await httpAuth.credentials(req)));
  });

  router.get(`${PROJECT_PATH}/catalog-info.yaml`, async (req, res) => {
    const entityRef = entityRefFromPath(req.params);
    const yaml = await projects.exportYaml(
      entityRef,
      await httpAuth.credentials(req),
    );
    res
      .type('application/yaml; charset=utf-8')
      .attachment('catalog-info.yaml')
      .send(yaml);
  });

  router.post('/projects', async (req, res) => {
    const ctx = await writeAudit.context(req);
    const name = typeof req.body?.name === 'string' ? req.body.name : undefined;
    const view = await writeAudit.run(
      req,
      ctx,
      {
        action: 'project.create',
        entityRef: name ? `component:default/${name}` : undefined,
        after: req.body,
      },
      async () => {
        const body = parseOrThrow(createProjectBodySchema, req.body ?? {});
        return projects.create(body as CreateProjectRequest, ctx);
      },
    );
    res.status(201).json(view);
  });

  router.patch(PROJECT_PATH, async (req, res) => {
    const entityRef = entityRefFromPath(req.params);
    const ctx = await writeAudit.context(req);
    try {
      const view = await runProjectUpdate(
        { projects, writeAudit },
        { entityRef, body: req.body, ctx, request: req },
      );
      res.json(view);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      sendVersionConflict(
        req,
        res,
        error.message,
        await projects.get(entityRef, ctx.credentials),
      );
    }
  });

  router.delete(PROJECT_PATH, async (req, res) => {
    const entityRef = entityRefFromPath(req.params);
    const ctx = await writeAudit.context(req);
    try {
      await writeAudit.run(
        req,
        ctx,
        { action: 'project.delete', entityRef },
        async () => {
          const { version } = parseOrThrow(deleteProjectQuerySchema, req.query);
          await projects.delete(entityRef, version, ctx);
        },
      );
      res.status(204).end();
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      sendVersionConflict(
        req,
        res,
        error.message,
        await projects.get(entityRef, ctx.credentials),
      );
    }
  });

  return router;
}

import { HttpAuthService } from '@backstage/backend-plugin-api';
import Router from 'express-promise-router';
import { ProjectService } from '../services/ProjectService/ProjectService';

/**
 * `GET /catalog-feed`, for the catalog module only (service credentials): every overlay and
 * UI-created project, with the revision as a strong ETag so an unchanged feed costs a 304.
 */
export function catalogFeedRouter(options: {
  projects: ProjectService;
  httpAuth: HttpAuthService;
}) {
  const { projects, httpAuth } = options;
  const router = Router();
  router.get('/catalog-feed', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const etag = `"${await projects.revision()}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'no-cache');
    if (req.header('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    const feed = await projects.feed();
    res.setHeader('ETag', `"${feed.revision}"`);
    res.json(feed);
  });
  return router;
}

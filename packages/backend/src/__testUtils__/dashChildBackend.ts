/*
 * A minimal backend process for the process-kill fault test (dashProcessKill.test.ts): the
 * DASH plugin with the GitHub source, an in-memory catalog of the entities given in
 * DASH_CHILD_ENTITIES (JSON), and the config file given with --config. Run with
 * `node --require @backstage/cli/config/nodeTransform.cjs`.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

const entities = JSON.parse(process.env.DASH_CHILD_ENTITIES ?? '[]');

const backend = createBackend();
backend.add(catalogServiceMock.factory({ entities }));
backend.add(import('@dash-suite/plugin-dash-backend'));
backend.add(import('@dash-suite/plugin-dash-backend-module-github'));
backend.start();

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { dashSourcesExtensionPoint } from '@dash-suite/plugin-dash-node';
import { GithubSource } from './GithubSource';

/**
 * Adds the GitHub source to the DASH backend: commits, merged pull requests, releases,
 * deployments and workflow runs of the repository in `github.com/project-slug`.
 */
export const dashModuleGithub = createBackendModule({
  pluginId: 'dash',
  moduleId: 'github',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: dashSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        sources.addSource(GithubSource.fromConfig(config, { logger }));
      },
    });
  },
});

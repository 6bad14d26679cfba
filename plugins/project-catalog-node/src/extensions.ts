import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { CampaignCheckType } from './CampaignCheckType';

/**
 * Where backend modules add campaign check types.
 *
 * @public
 */
export interface ProjectCatalogCampaignChecksExtensionPoint {
  /** Adds a check type; its id must be new (the built-ins are `entity-field`, `repository-file`, `dash-fact` and `manual`). */
  addCheckType(type: CampaignCheckType): void;
}

/**
 * The extension point of the Project Catalog backend for campaign check types:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'project-catalog',
 *   moduleId: 'sonar-check',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { checks: projectCatalogCampaignChecksExtensionPoint, config: coreServices.rootConfig },
 *       async init({ checks, config }) {
 *         checks.addCheckType(new SonarQualityGateCheck(config));
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const projectCatalogCampaignChecksExtensionPoint =
  createExtensionPoint<ProjectCatalogCampaignChecksExtensionPoint>({
    id: 'project-catalog.campaign-checks',
  });

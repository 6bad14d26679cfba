import { createGetProjectAction } from './getProjectAction';
import { ProjectCatalogActionsOptions } from './shared';
import { createUpdateProjectMetadataAction } from './updateProjectMetadataAction';

export type { ProjectCatalogActionsOptions } from './shared';

/**
 * Registers the Project Catalog's actions for AI assistants (`project-catalog:get-project`,
 * `project-catalog:update-project-metadata`). Each runs with the caller's credentials through
 * the same ProjectService calls as the REST routes; the edit is permission-checked and
 * audit-logged as the UI's is.
 */
export function registerProjectCatalogActions(
  options: ProjectCatalogActionsOptions,
) {
  createGetProjectAction(options);
  createUpdateProjectMetadataAction(options);
}

import { runProjectUpdate } from '../services/ProjectService/runProjectUpdate';
import { fieldSetInputSchema } from './fieldInputSchema';
import { projectSummary, projectSummarySchema } from './projectSummary';
import {
  ProjectCatalogActionsOptions,
  actionEntityRef,
  entityRefInputSchema,
} from './shared';

export const UPDATE_PROJECT_METADATA_ACTION = 'update-project-metadata';

/**
 * `project-catalog:update-project-metadata`: the edit the UI's Overview card makes
 * (`PATCH /projects/...`), through the same service call, permission check and audit log.
 */
export function createUpdateProjectMetadataAction(
  options: ProjectCatalogActionsOptions,
) {
  const { actionsRegistry, projects, writeAudit, appBaseUrl } = options;
  actionsRegistry.register({
    name: UPDATE_PROJECT_METADATA_ACTION,
    title: 'Update Project Metadata',
    description: `
Changes a project's metadata the way the Project Catalog UI does (no YAML edit): type, lifecycle, owner,
system, tier, tags, title, description, quick links and the suite's annotations. Call get-project first and
send its "version"; a stale version is refused with who changed the project since. Fields the entity's YAML
defines ("yamlOwnedFields") are refused, naming the file to edit instead. The caller needs the
project-catalog.metadata.update permission on the entity (owners usually have it); without it the change is
refused and nothing is stored. Every change is recorded in the Project Catalog audit log under the caller's
name, and reaches the catalog (filters, search) within seconds. Moving the lifecycle to deprecated notifies
the owners of dependent services, with "reason".
`,
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInputSchema(z),
          version: z
            .number()
            .int()
            .min(0)
            .describe('The "version" get-project answered (0 before any edit)'),
          set: fieldSetInputSchema(z)
            .optional()
            .describe('Fields and their new values'),
          unset: z
            .array(z.string())
            .optional()
            .describe('Fields whose Project Catalog value is removed'),
          reason: z
            .string()
            .max(500)
            .optional()
            .describe(
              'Why; sent to the owners of dependents when the lifecycle becomes deprecated',
            ),
        }),
      output: z =>
        z.object({
          changed: z
            .array(z.string())
            .describe('The fields that were set or unset'),
          project: projectSummarySchema(z).describe(
            'The project after the change',
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = actionEntityRef(input.entityRef);
      const body = {
        version: input.version,
        ...(input.set ? { set: input.set } : {}),
        ...(input.unset ? { unset: input.unset } : {}),
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
      };
      // The PATCH route's write, with the caller's credentials and a request id of its own.
      const view = await runProjectUpdate(
        { projects, writeAudit },
        {
          entityRef,
          body,
          ctx: writeAudit.contextFor(credentials),
          meta: {
            actionId: `project-catalog:${UPDATE_PROJECT_METADATA_ACTION}`,
          },
        },
      );
      return {
        output: {
          changed: [...Object.keys(input.set ?? {}), ...(input.unset ?? [])],
          project: projectSummary(view, appBaseUrl),
        },
      };
    },
  });
}

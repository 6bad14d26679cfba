import { projectSummary, projectSummarySchema } from './projectSummary';
import {
  ProjectCatalogActionsOptions,
  actionEntityRef,
  entityRefInputSchema,
} from './shared';

/** `project-catalog:get-project`: a project's overview, quick links and on-call route. */
export function createGetProjectAction(options: ProjectCatalogActionsOptions) {
  const { actionsRegistry, projects, appBaseUrl } = options;
  actionsRegistry.register({
    name: 'get-project',
    title: 'Get Project',
    description: `
Describes a project (a catalog entity, usually a Component) as the Project Catalog's Overview card shows it:
type (service, tool, library, website), owner, system, lifecycle, tier, tags, description, the suite's
annotations, quick links (the entity's own and those added in the UI), how its on-call is reached (PagerDuty
service), and a link to its entity page. "version" and "yamlOwnedFields" are what update-project-metadata
needs: send the version with the change, and leave the YAML-owned fields alone (they are edited in the file
named by "definedIn"). Who is on call now is answered by dash:who-is-on-call.
`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ entityRef: entityRefInputSchema(z) }),
      output: projectSummarySchema,
    },
    action: async ({ input, credentials }) => {
      const entityRef = actionEntityRef(input.entityRef);
      // What GET /projects/:kind/:namespace/:name answers, with the caller's credentials.
      const view = await projects.get(entityRef, credentials);
      return { output: projectSummary(view, appBaseUrl) };
    },
  });
}

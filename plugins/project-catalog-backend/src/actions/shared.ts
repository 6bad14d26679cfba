import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { z as Z3 } from 'zod/v3';
import { normalizeEntityRef } from '../routes/entityRef';
import { WriteAudit } from '../services/AuditLog/WriteAudit';
import { ProjectService } from '../services/ProjectService/ProjectService';

/** What every Project Catalog action is built from: the services the routes call, nothing of its own. */
export interface ProjectCatalogActionsOptions {
  actionsRegistry: ActionsRegistryService;
  projects: ProjectService;
  writeAudit: WriteAudit;
  /** `app.baseUrl`, for the links to the entity page. */
  appBaseUrl?: string;
}

/** The `entityRef` input of every action, built with the registry's zod. */
export function entityRefInputSchema(z: typeof Z3) {
  return z
    .string()
    .min(1)
    .max(255)
    .describe(
      'Entity ref, kind:namespace/name, like component:default/payments-api; a bare name (payments-api) means a Component in the default namespace',
    );
}

/**
 * The entity ref of an action's input, normalized as the routes normalize theirs (lower case,
 * kind and namespace checked with the catalog's rules); a bare name is a Component in `default`.
 */
export function actionEntityRef(input: string): string {
  let ref: string;
  try {
    ref = stringifyEntityRef(
      parseEntityRef(input.trim(), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    throw new InputError(
      `entityRef: ${input} is not an entity reference such as component:default/payments-api`,
    );
  }
  return normalizeEntityRef(ref);
}

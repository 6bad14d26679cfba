import { JsonObject } from '@backstage/types';
import { ProjectView } from '@dash-suite/plugin-project-catalog-common';
import { Request } from 'express';
import { parseProjectChange } from '../../schema/projects';
import { WriteAudit, WriteContext } from '../AuditLog/WriteAudit';
import { ProjectService } from './ProjectService';

/**
 * One metadata edit, as `PATCH /projects/:kind/:namespace/:name` and the
 * `update-project-metadata` action both run it: the body (`{ version, set, unset, reason }`)
 * parsed with the route's schema, then `ProjectService.update` (read with the caller's
 * credentials, `project-catalog.metadata.update` checked, YAML-owned fields and stale versions
 * refused, fields and audit rows stored in one transaction, the change announced), inside
 * `WriteAudit.run` (the auditor event; a refusal or failure recorded in the audit log). Defined
 * once so that the UI and an assistant are checked and audited alike. A stale version throws
 * `VersionConflictError`.
 */
export function runProjectUpdate(
  deps: { projects: ProjectService; writeAudit: WriteAudit },
  write: {
    entityRef: string;
    body: unknown;
    ctx: WriteContext;
    /** The HTTP request, when there is one (the route). */
    request?: Request;
    /** Extra fields for the auditor event (not the audit log). */
    meta?: JsonObject;
  },
): Promise<ProjectView> {
  const { entityRef, body, ctx } = write;
  const set = (body as { set?: unknown } | undefined)?.set;
  const setKeys =
    set && typeof set === 'object' && !Array.isArray(set)
      ? Object.keys(set)
      : [];
  return deps.writeAudit.run(
    write.request,
    ctx,
    {
      action: 'project.update',
      entityRef,
      after: set,
      field: setKeys.join(',') || undefined,
      meta: write.meta,
    },
    async () => deps.projects.update(entityRef, parseProjectChange(body), ctx),
  );
}

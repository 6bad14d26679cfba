import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import {
  projectCatalogCampaignManagePermission,
  projectCatalogMetadataUpdatePermission,
} from '@dash-suite/plugin-project-catalog-common';
import { WriteContext } from '../AuditLog/WriteAudit';

/** Throws a NotAllowedError unless the caller may manage campaigns. */
export async function authorizeManage(
  permissions: PermissionsService,
  ctx: WriteContext,
): Promise<void> {
  const [decision] = await permissions.authorize(
    [{ permission: projectCatalogCampaignManagePermission }],
    { credentials: ctx.credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `${ctx.actor} is not allowed to ${projectCatalogCampaignManagePermission.name}`,
    );
  }
}

/**
 * Throws a NotAllowedError unless the caller may edit the entity's metadata (its owners, in the
 * demo policy) or manage campaigns.
 */
export async function authorizeOwnerOrManager(
  permissions: PermissionsService,
  ctx: WriteContext,
  entityRef: string,
): Promise<void> {
  const requests: AuthorizePermissionRequest[] = [
    {
      permission: projectCatalogMetadataUpdatePermission,
      resourceRef: entityRef,
    },
    { permission: projectCatalogCampaignManagePermission },
  ];
  const decisions = await permissions.authorize(requests, {
    credentials: ctx.credentials,
  });
  if (!decisions.some(d => d.result === AuthorizeResult.ALLOW)) {
    throw new NotAllowedError(
      `${ctx.actor} may not set the status of ${entityRef}: only its owners (${projectCatalogMetadataUpdatePermission.name}) or campaign managers (${projectCatalogCampaignManagePermission.name}) may`,
    );
  }
}

import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  CatalogFeed,
  CreateProjectRequest,
  PROJECT_CATALOG_TOPIC,
  ProjectCatalogChange,
  ProjectView,
  isUiCreated,
  projectCatalogMetadataUpdatePermission,
  projectCatalogProjectCreatePermission,
  projectCatalogProjectDeletePermission,
} from '@dash-suite/plugin-project-catalog-common';
import { AuditRecord } from '../AuditLog/AuditLog';
import { WriteContext } from '../AuditLog/WriteAudit';
import { ProjectStore, StoredProject } from '../ProjectStore/ProjectStore';
import { DeprecationNotifier } from './DeprecationNotifier';
import { exportCatalogInfo } from './exportYaml';
import {
  buildProjectEntity,
  definingLocation,
  isYamlOwned,
  projectView,
} from './projectView';

export interface ProjectChange {
  version: number;
  set: Record<string, unknown>;
  unset: string[];
  /** Why, for changes others must know about (a move to deprecated). */
  reason?: string;
}

/**
 * Projects and their metadata: reads merge what the catalog serves with what the UI stored;
 * writes are permission-checked, refused for YAML-owned fields and stale versions, stored with
 * their audit rows in one transaction, and announced so that the catalog module merges them.
 */
export class ProjectService {
  private readonly deprecations: DeprecationNotifier;

  constructor(
    private readonly deps: {
      store: ProjectStore;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      events: EventsService;
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {
    this.deprecations = new DeprecationNotifier(deps);
  }

  /**
   * The project; a 404 when the caller may not read the entity (a project created in the UI
   * that the catalog has not emitted yet is served from its record).
   */
  async get(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ProjectView> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    const stored = await this.deps.store.get(entityRef);
    if (!entity && !(await this.isUnemittedUiProject(entityRef, stored))) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return projectView(entityRef, entity, stored);
  }

  async create(
    request: CreateProjectRequest,
    ctx: WriteContext,
  ): Promise<ProjectView> {
    const entityRef = stringifyEntityRef({
      kind: 'component',
      namespace: request.namespace ?? 'default',
      name: request.name,
    });
    await this.authorize(ctx, projectCatalogProjectCreatePermission);
    const existing = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    if (existing) {
      throw new ConflictError(
        `${entityRef} already exists in the catalog (defined in ${definingLocation(
          existing,
        )}); choose another name`,
      );
    }
    const fields = creationFields(request);
    await this.deps.store.create({
      entityRef,
      origin: 'ui',
      set: fields,
      actor: ctx.actor,
      audit: [
        {
          actor: ctx.actor,
          action: 'project.create',
          entityRef,
          after: fields,
          outcome: 'succeeded',
          requestId: ctx.requestId,
        },
      ],
    });
    await this.announce(entityRef, 'project');
    return projectView(
      entityRef,
      undefined,
      await this.deps.store.get(entityRef),
    );
  }

  async update(
    entityRef: string,
    change: ProjectChange,
    ctx: WriteContext,
  ): Promise<ProjectView> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: ctx.credentials,
    });
    const before = await this.deps.store.get(entityRef);
    if (!entity && !(await this.isUnemittedUiProject(entityRef, before))) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    await this.authorize(
      ctx,
      projectCatalogMetadataUpdatePermission,
      entityRef,
    );
    if (typeof change.set.owner === 'string') {
      change.set.owner = normalizeRef(change.set.owner, 'group');
    }
    if (typeof change.set.system === 'string') {
      change.set.system = normalizeRef(change.set.system, 'system');
    }
    for (const key of [...Object.keys(change.set), ...change.unset]) {
      if (isYamlOwned(entity, key)) {
        throw new ConflictError(
          `${key} is defined in ${definingLocation(
            entity!,
          )} (field ${key}); change it there, or remove it from the YAML to edit it here`,
        );
      }
    }
    const view = projectView(entityRef, entity, before);
    const valueOf = (key: string) =>
      view.fields.find(f => f.key === key)?.value;
    const audit: AuditRecord[] = [
      ...Object.entries(change.set).map(([field, after]) => ({
        actor: ctx.actor,
        action: 'project.update',
        entityRef,
        field,
        before: valueOf(field),
        after,
        outcome: 'succeeded' as const,
        requestId: ctx.requestId,
      })),
      ...change.unset.map(field => ({
        actor: ctx.actor,
        action: 'project.update',
        entityRef,
        field,
        before: valueOf(field),
        outcome: 'succeeded' as const,
        requestId: ctx.requestId,
      })),
    ];
    const origin =
      before?.origin ?? (entity && isUiCreated(entity) ? 'ui' : 'catalog');
    await this.deps.store.write({
      entityRef,
      origin,
      expectedVersion: change.version,
      set: change.set,
      unset: change.unset,
      actor: ctx.actor,
      audit,
    });
    await this.announce(entityRef, origin === 'ui' ? 'project' : 'overlay');
    if (
      change.set.lifecycle === 'deprecated' &&
      valueOf('lifecycle') !== 'deprecated'
    ) {
      await this.deprecations.notify(entityRef, ctx, change.reason);
    }
    return projectView(entityRef, entity, await this.deps.store.get(entityRef));
  }

  /** Deletes a project created in the UI; entities from YAML are removed from their YAML. */
  async delete(
    entityRef: string,
    version: number | undefined,
    ctx: WriteContext,
  ): Promise<void> {
    const stored = await this.deps.store.get(entityRef);
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: ctx.credentials,
    });
    if (stored?.origin !== 'ui') {
      if (entity) {
        throw new ConflictError(
          `${entityRef} is defined in ${definingLocation(
            entity,
          )}, not in the UI; remove it there`,
        );
      }
      throw new NotFoundError(`No project ${entityRef}`);
    }
    // Created in the UI but hidden from the caller by the catalog: not theirs to see or delete.
    if (!entity && !(await this.isUnemittedUiProject(entityRef, stored))) {
      throw new NotFoundError(`No project ${entityRef}`);
    }
    await this.authorize(ctx, projectCatalogProjectDeletePermission, entityRef);
    await this.deps.store.remove(entityRef, version ?? stored.version, [
      {
        actor: ctx.actor,
        action: 'project.delete',
        entityRef,
        before: Object.fromEntries(
          Object.entries(stored.fields).map(([k, f]) => [k, f.value]),
        ),
        outcome: 'succeeded',
        requestId: ctx.requestId,
      },
    ]);
    await this.announce(entityRef, 'project');
  }

  /** The project as the `catalog-info.yaml` that would define it. */
  async exportYaml(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const view = await this.get(entityRef, credentials);
    const stored = await this.deps.store.get(entityRef);
    const entity =
      view.entity ??
      buildProjectEntity(
        entityRef,
        Object.fromEntries(
          Object.entries(stored?.fields ?? {}).map(([k, f]) => [k, f.value]),
        ),
      );
    return exportCatalogInfo(entity);
  }

  /** Everything the catalog module needs, for `GET /catalog-feed`. */
  async feed(): Promise<CatalogFeed> {
    const { revision, projects } = await this.deps.store.feed();
    const values = (p: (typeof projects)[number]) =>
      Object.fromEntries(
        Object.entries(p.fields).map(([k, f]) => [k, f.value]),
      );
    return {
      revision,
      overlays: projects
        .filter(p => p.origin === 'catalog')
        .map(p => ({ entityRef: p.entityRef, fields: values(p) })),
      projects: projects
        .filter(p => p.origin === 'ui')
        .map(p => buildProjectEntity(p.entityRef, values(p))),
    };
  }

  revision(): Promise<number> {
    return this.deps.store.revision();
  }

  /**
   * True for a project created in the UI that the catalog does not serve yet. One the catalog
   * serves but not to the caller is hidden from them, like any entity they may not read.
   */
  private async isUnemittedUiProject(
    entityRef: string,
    stored: StoredProject | undefined,
  ): Promise<boolean> {
    if (stored?.origin !== 'ui') return false;
    const served = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    return !served;
  }

  private async authorize(
    ctx: WriteContext,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<void> {
    const request: AuthorizePermissionRequest =
      permission.type === 'resource'
        ? { permission, resourceRef: resourceRef! }
        : { permission: permission as BasicPermission };
    const [decision] = await this.deps.permissions.authorize([request], {
      credentials: ctx.credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${ctx.actor} is not allowed to ${permission.name}${
          resourceRef ? ` on ${resourceRef}` : ''
        }`,
      );
    }
  }

  /** Tells the catalog module (and anyone else listening) that the entity changed. */
  private async announce(
    entityRef: string,
    kind: ProjectCatalogChange['kind'],
  ): Promise<void> {
    const payload: ProjectCatalogChange = {
      entityRef,
      kind,
      revision: await this.deps.store.revision(),
    };
    try {
      await this.deps.events.publish({
        topic: PROJECT_CATALOG_TOPIC,
        eventPayload: payload,
      });
    } catch (error) {
      // The write is stored; the catalog module's revalidation picks it up within seconds.
      this.deps.logger.warn(
        `Could not announce the change of ${entityRef}: ${error}`,
      );
    }
  }
}

/** The stored fields of a new project, with references normalized. */
function creationFields(
  request: CreateProjectRequest,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    type: request.type,
    lifecycle: request.lifecycle,
    owner: normalizeRef(request.owner, 'group'),
  };
  if (request.title) fields.title = request.title;
  if (request.description) fields.description = request.description;
  if (request.system) fields.system = normalizeRef(request.system, 'system');
  if (request.tier) fields.tier = request.tier;
  if (request.tags?.length) fields.tags = request.tags;
  if (request.links?.length) fields.links = request.links;
  for (const [name, value] of Object.entries(request.annotations ?? {})) {
    if (value) fields[`annotation:${name}`] = value;
  }
  return fields;
}

/** `team-sre` -> `group:default/team-sre`. */
export function normalizeRef(ref: string, defaultKind: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch (error) {
    throw new InputError(`${ref}: ${(error as Error).message}`);
  }
}

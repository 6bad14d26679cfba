import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/**
 * Resource permissions on catalog entities that an entity's owners get without being writers:
 * editing its metadata, deleting it when it was created in the UI, and posting change events
 * to its timeline (`dash.change.create`).
 */
export const OWNER_PERMISSIONS = [
  'project-catalog.metadata.update',
  'project-catalog.project.delete',
  'dash.change.create',
];

/**
 * Writes every signed-in user may make: paging a service's on-call is what you do when a
 * service you depend on is down, whoever owns it (and the backend audit-logs every page).
 */
export const EVERY_USER_PERMISSIONS = ['project-catalog.oncall.page'];

/** Entities (refs) that the users and groups in `from` may not read. */
export interface HiddenEntities {
  entities: string[];
  from: string[];
}

type EntityCriteria = PermissionCriteria<PermissionCondition<'catalog-entity'>>;

/** Permission names of the suite's plugins start with one of these. */
export const SUITE_PERMISSION_PREFIXES = ['dash.', 'project-catalog.'];

/**
 * A policy to try the suite's permissions against.
 *
 * - Everything outside the suite is allowed (this is a demo backend, not a template for
 *   production policy).
 * - The suite's reads are allowed; the router still checks that the caller may read the entity.
 * - The suite's writes (create, update, delete, and any permission without a read action) are
 *   allowed only to the users and groups listed in `permission.suite.writers`, matched against
 *   the caller's ownership refs (the user and the groups they belong to). `'*'` allows every
 *   signed-in user. With no list, nobody may write.
 * - Every signed-in user may page a service's on-call (`EVERY_USER_PERMISSIONS`).
 * - An entity's owners (the user, or a group they belong to) may edit its metadata, delete it
 *   when it was created in the UI, and post change events to it (`OWNER_PERMISSIONS`): a
 *   conditional decision with the catalog's own `isEntityOwner` rule, which the catalog
 *   evaluates against the entity.
 * - Entities listed in `permission.suite.hidden` may not be read (`catalog.entity.read`) by the
 *   users and groups listed beside them, so that the demo shows what a caller who may not read
 *   an entity gets (the `visitor` sign-in of app-config.yaml may not read payments-api).
 * - Services (a deploy system with a static token, another plugin) never reach this policy:
 *   Backstage allows a service principal whatever its `accessRestrictions` allow, so a deploy
 *   system keeps posting changes when its token is restricted to `dash.change.create`.
 */
export class SuitePermissionPolicy implements PermissionPolicy {
  static fromConfig(config: Config): SuitePermissionPolicy {
    const writers =
      config.getOptionalStringArray('permission.suite.writers') ?? [];
    const hidden = (
      config.getOptionalConfigArray('permission.suite.hidden') ?? []
    ).map(h => ({
      entities: h.getStringArray('entities'),
      from: h.getStringArray('from'),
    }));
    return new SuitePermissionPolicy(writers, hidden);
  }

  private readonly writers: Set<string>;
  private readonly hidden: Array<{
    entities: CompoundEntityRef[];
    from: string[];
  }>;

  constructor(writers: string[], hidden: HiddenEntities[] = []) {
    this.writers = new Set(writers.map(w => w.toLocaleLowerCase('en-US')));
    // Parsed here, so that a ref without a kind fails at start, not on a request.
    this.hidden = hidden.map(h => ({
      entities: h.entities.map(ref => parseEntityRef(ref)),
      from: h.from.map(f => f.toLocaleLowerCase('en-US')),
    }));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (
      user &&
      permission.name === 'catalog.entity.read' &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      const [first, ...more] = this.hiddenFrom(user).map(
        ({ kind, namespace, name }): EntityCriteria => ({
          allOf: [
            catalogConditions.isEntityKind({ kinds: [kind] }),
            catalogConditions.hasMetadata({
              key: 'namespace',
              value: namespace,
            }),
            catalogConditions.hasMetadata({ key: 'name', value: name }),
          ],
        }),
      );
      if (first) {
        // Every entity but these: a condition the catalog applies to reads and to lists.
        return createCatalogConditionalDecision(permission, {
          not: { anyOf: [first, ...more] },
        });
      }
    }
    const isSuite = SUITE_PERMISSION_PREFIXES.some(p =>
      permission.name.startsWith(p),
    );
    if (!isSuite || permission.attributes.action === 'read') {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    if (
      this.writers.has('*') ||
      EVERY_USER_PERMISSIONS.includes(permission.name)
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    const refs = user.info.ownershipEntityRefs.map(r =>
      r.toLocaleLowerCase('en-US'),
    );
    if (refs.some(r => this.writers.has(r))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      isResourcePermission(permission, 'catalog-entity') &&
      OWNER_PERMISSIONS.includes(permission.name)
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }

  /** The entities hidden from this user (matched by their ownership refs). */
  private hiddenFrom(user: PolicyQueryUser): CompoundEntityRef[] {
    const refs = user.info.ownershipEntityRefs.map(r =>
      r.toLocaleLowerCase('en-US'),
    );
    return this.hidden
      .filter(h => h.from.some(f => refs.includes(f)))
      .flatMap(h => h.entities);
  }
}

export const suitePermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'suite-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        policy.setPolicy(SuitePermissionPolicy.fromConfig(config));
      },
    });
  },
});

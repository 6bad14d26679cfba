import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { WriteContext } from '../AuditLog/WriteAudit';

/** The entity page of an entity in a Backstage app: `/catalog/<namespace>/<kind>/<name>`. */
export function entityPagePath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/** The owners of an entity: its ownedBy relations, else its spec.owner. */
export function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length) return [...new Set(related)];
  const owner = entity.spec?.owner;
  return typeof owner === 'string' ? [owner] : [];
}

/**
 * When a project moves to `deprecated`, the owners of every entity that depends on it are told,
 * with the reason given, through Backstage notifications.
 */
export class DeprecationNotifier {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  /** Returns the owners notified; failures are logged, never thrown (the edit is stored). */
  async notify(
    entityRef: string,
    ctx: WriteContext,
    reason: string | undefined,
  ): Promise<string[]> {
    try {
      const { items } = await this.deps.catalog.getEntities(
        { filter: { [`relations.${RELATION_DEPENDS_ON}`]: entityRef } },
        { credentials: await this.deps.auth.getOwnServiceCredentials() },
      );
      const owners = [...new Set(items.flatMap(ownersOf))];
      if (!owners.length) return [];
      const dependents = items.map(e => stringifyEntityRef(e));
      await this.deps.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: owners,
          excludeEntityRef: ctx.actor,
        },
        payload: {
          title: `${entityRef} is deprecated`,
          description: `${ctx.actor} marked ${entityRef} as deprecated${
            reason ? `: ${reason}` : ''
          }. Your ${dependents.join(', ')} depend${
            dependents.length === 1 ? 's' : ''
          } on it.`,
          link: entityPagePath(entityRef),
          severity: 'high',
          topic: 'project-catalog.deprecation',
          scope: `project-catalog.deprecation:${entityRef}`,
        },
      });
      return owners;
    } catch (error) {
      this.deps.logger.warn(
        `Could not notify the dependents of ${entityRef} of its deprecation: ${error}`,
      );
      return [];
    }
  }
}

import {
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EventParams,
  EventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { projectCatalogPlugin } from '../plugin';

/** A Component as YAML would define it, with the location annotations the catalog adds. */
export function yamlEntity(
  name: string,
  overrides: {
    metadata?: Partial<Entity['metadata']>;
    spec?: Record<string, unknown>;
    relations?: Entity['relations'];
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location':
          'file:/srv/catalog-info/components.yaml',
        'backstage.io/managed-by-origin-location':
          'file:/srv/catalog-info/all.yaml',
      },
      ...overrides.metadata,
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-payments',
      ...overrides.spec,
    },
    ...(overrides.relations ? { relations: overrides.relations } : {}),
  };
}

/** Entities whose name starts with `secret-` are hidden from users, as a permission policy would. */
function catalogWithSecrets(entities: Entity[]) {
  const inner = catalogServiceMock({ entities });
  const visible = (credentials?: BackstageCredentials) =>
    credentials?.principal && (credentials.principal as any).type === 'service'
      ? entities
      : entities.filter(e => !e.metadata.name.startsWith('secret-'));
  const hide = (e: Entity | undefined, c?: BackstageCredentials) =>
    e && visible(c).some(v => v.metadata.name === e.metadata.name)
      ? e
      : undefined;
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      ({
        ...inner,
        getEntityByRef: async (ref: any, options: any) =>
          hide(await inner.getEntityByRef(ref, options), options?.credentials),
        getEntitiesByRefs: async (req: any, options: any) => {
          const { items } = await inner.getEntitiesByRefs(req, options);
          return {
            items: items.map(e => hide(e as Entity, options?.credentials)),
          };
        },
        getEntities: (req: any, options: any) =>
          inner.getEntities(req, options),
        refreshEntity: async () => {},
      } as any),
  });
}

export interface ProjectCatalogTestBackend {
  server: any;
  published: EventParams[];
  notifications: NotificationSendOptions[];
  auditEvents: Array<{ eventId: string; outcome: string }>;
  /** Permission names to deny, changeable between requests. */
  deny: Set<string>;
  /** Permission names to deny to one user (by entity ref), changeable between requests. */
  denyTo: Map<string, Set<string>>;
  stop(): Promise<void>;
}

/**
 * The Project Catalog backend on a real database, with a catalog of `entities`, a permission
 * service that allows everything but `deny` (and `denyTo` per user), and recorded events, notifications and auditor
 * events.
 */
export async function startProjectCatalog(options: {
  knex: Knex;
  entities: Entity[];
  config?: Record<string, unknown>;
}): Promise<ProjectCatalogTestBackend> {
  const published: EventParams[] = [];
  const notifications: NotificationSendOptions[] = [];
  const auditEvents: Array<{ eventId: string; outcome: string }> = [];
  const deny = new Set<string>();
  const denyTo = new Map<string, Set<string>>();
  const events: EventsService = {
    publish: async params => {
      published.push(params);
    },
    subscribe: async () => {},
  };
  const backend = await startTestBackend({
    features: [
      projectCatalogPlugin,
      catalogWithSecrets(options.entities),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.permissions.mock({
        authorize: async (requests, authorizeOptions) => {
          const user = (
            authorizeOptions?.credentials?.principal as {
              userEntityRef?: string;
            }
          )?.userEntityRef;
          const denied = (name: string) =>
            deny.has(name) || Boolean(user && denyTo.get(user)?.has(name));
          return requests.map(r => ({
            result: denied(r.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          }));
        },
      }).factory,
      mockServices.auditor.mock({
        createEvent: async ({ eventId }) => ({
          success: async () => {
            auditEvents.push({ eventId, outcome: 'success' });
          },
          fail: async () => {
            auditEvents.push({ eventId, outcome: 'fail' });
          },
        }),
      }).factory,
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (n: NotificationSendOptions) => {
            notifications.push(n);
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: (options.config ?? {}) as JsonObject,
      }),
    ],
  });
  return {
    server: backend.server,
    published,
    notifications,
    auditEvents,
    deny,
    denyTo,
    stop: () => backend.stop(),
  };
}

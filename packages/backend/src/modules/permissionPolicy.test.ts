import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { dashChangeCreatePermission } from '@dash-suite/plugin-dash-common';
import { SuitePermissionPolicy } from './permissionPolicy';

const read = createPermission({
  name: 'dash.timeline.read',
  attributes: { action: 'read' },
});
const refresh = createPermission({
  name: 'dash.refresh',
  attributes: { action: 'update' },
});
const editMetadata = createPermission({
  name: 'project-catalog.metadata.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});
const pageOnCall = createPermission({
  name: 'project-catalog.oncall.page',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});
const catalogDelete = createPermission({
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
});
const catalogRead = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

function user(ref: string, groups: string[] = []): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...groups],
    },
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
    token: 'token',
    credentials: {} as any,
  } as PolicyQueryUser;
}

describe('SuitePermissionPolicy', () => {
  const policy = SuitePermissionPolicy.fromConfig(
    new ConfigReader({
      permission: {
        suite: { writers: ['group:default/team-sre', 'user:default/Noah'] },
      },
    }),
  );

  it('allows every read of the suite', async () => {
    await expect(
      policy.handle({ permission: read }, user('user:default/someone')),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('allows writes to members of a listed group and to listed users, case-insensitively', async () => {
    await expect(
      policy.handle(
        { permission: refresh },
        user('user:default/diego', ['group:default/team-sre']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: editMetadata }, user('user:default/noah')),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies writes to everyone else and to unauthenticated callers', async () => {
    await expect(
      policy.handle(
        { permission: refresh },
        user('user:default/mei', ['group:default/team-storefront']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(policy.handle({ permission: refresh })).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it("lets an entity's owners edit its metadata through the catalog's isEntityOwner condition", async () => {
    await expect(
      policy.handle(
        { permission: editMetadata },
        user('user:default/mei', ['group:default/team-storefront']),
      ),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/mei', 'group:default/team-storefront'],
        },
      },
    });
    // Not a resource permission an owner gets: still refused.
    await expect(
      policy.handle({ permission: refresh }, user('user:default/mei')),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it("lets an entity's owners and the writers post changes to it, and no anonymous caller", async () => {
    await expect(
      policy.handle(
        { permission: dashChangeCreatePermission },
        user('user:default/mei', ['group:default/team-storefront']),
      ),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/mei', 'group:default/team-storefront'],
        },
      },
    });
    await expect(
      policy.handle(
        { permission: dashChangeCreatePermission },
        user('user:default/diego', ['group:default/team-sre']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: dashChangeCreatePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it("lets every signed-in user page a service's on-call, and no anonymous caller", async () => {
    await expect(
      policy.handle(
        { permission: pageOnCall },
        user('user:default/mei', ['group:default/team-storefront']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(policy.handle({ permission: pageOnCall })).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('leaves permissions outside the suite alone', async () => {
    await expect(
      policy.handle({ permission: catalogDelete }, user('user:default/mei')),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it("allows every signed-in user with '*' and nobody without a list", async () => {
    const open = new SuitePermissionPolicy(['*']);
    const closed = SuitePermissionPolicy.fromConfig(new ConfigReader({}));
    const mei = user('user:default/mei');
    await expect(open.handle({ permission: refresh }, mei)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(closed.handle({ permission: refresh }, mei)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  describe('hidden entities', () => {
    const hiding = SuitePermissionPolicy.fromConfig(
      new ConfigReader({
        permission: {
          suite: {
            writers: [],
            hidden: [
              {
                entities: ['component:default/payments-api'],
                from: ['user:default/Visitor'],
              },
              {
                entities: ['resource:ops/ledger-db'],
                from: ['group:default/contractors'],
              },
            ],
          },
        },
      }),
    );
    const entityIs = (kind: string, namespace: string, name: string) => ({
      allOf: [
        {
          rule: 'IS_ENTITY_KIND',
          resourceType: 'catalog-entity',
          params: { kinds: [kind] },
        },
        {
          rule: 'HAS_METADATA',
          resourceType: 'catalog-entity',
          params: { key: 'namespace', value: namespace },
        },
        {
          rule: 'HAS_METADATA',
          resourceType: 'catalog-entity',
          params: { key: 'name', value: name },
        },
      ],
    });

    it('lets a listed user or group member read every entity but the hidden ones', async () => {
      await expect(
        hiding.handle(
          { permission: catalogRead },
          user('user:default/visitor'),
        ),
      ).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          not: { anyOf: [entityIs('component', 'default', 'payments-api')] },
        },
      });
      await expect(
        hiding.handle(
          { permission: catalogRead },
          user('user:default/visitor', ['group:default/contractors']),
        ),
      ).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          not: {
            anyOf: [
              entityIs('component', 'default', 'payments-api'),
              entityIs('resource', 'ops', 'ledger-db'),
            ],
          },
        },
      });
    });

    it('leaves everyone else, and the suite’s own reads, allowed', async () => {
      await expect(
        hiding.handle({ permission: catalogRead }, user('user:default/mei')),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
      await expect(
        hiding.handle({ permission: read }, user('user:default/visitor')),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    });

    it('refuses a hidden entity without a kind when it starts', () => {
      expect(
        () =>
          new SuitePermissionPolicy(
            [],
            [{ entities: ['payments-api'], from: ['user:default/visitor'] }],
          ),
      ).toThrow(/payments-api/);
    });
  });
});

import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DashEvent, DashOnCallEntry } from '@dash-suite/plugin-dash-common';
import {
  SourceContext,
  dashSourcesExtensionPoint,
} from '@dash-suite/plugin-dash-node';
import request from 'supertest';
import { dashPlugin } from './plugin';
import {
  alertsResponseSchema,
  linksResponseSchema,
  onCallResponseSchema,
  timelineResponseSchema,
} from './schema/schemas';
import { FakeSource, entity } from './testUtils/fakeSource';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const ALLOWED = 'component:default/cart-service';
const DISALLOWED = 'component:default/sneaky-service';
const HOUR = 3600_000;

/**
 * A fake source with on-call, firing alerts and an allow-list of the values of its annotation;
 * it counts every call that would reach its upstream.
 */
class GuardedSource extends FakeSource {
  liveCalls: string[] = [];
  /** Annotation values it may read; undefined: all of them. */
  allow?: string[];
  /** Makes `configurationProblem` (or `accessProblem`) throw, like a buggy module. */
  throwIn?: 'configuration' | 'access';

  constructor(id: string, private readonly annotationName = `test/${id}`) {
    super(id, id.toUpperCase(), annotationName);
  }

  configurationProblem(): string | undefined {
    if (this.throwIn === 'configuration')
      throw new Error('config check blew up');
    return super.configurationProblem();
  }

  accessProblem(e: Entity): string | undefined {
    if (this.throwIn === 'access') throw new Error('access check blew up');
    const value = e.metadata.annotations?.[this.annotationName] ?? '';
    return !this.allow || this.allow.includes(value)
      ? undefined
      : `'${value}' is not in dash.sources.${this.id}.allow`;
  }

  async getOnCall(e: Entity, context: SourceContext) {
    return context.upstream.call(async () => {
      this.liveCalls.push(`oncall:${e.metadata.name}`);
      const entry: DashOnCallEntry = {
        source: this.id,
        entityRef: `component:default/${e.metadata.name}`,
        escalationLevel: 1,
        user: { name: `on call for ${e.metadata.name}` },
      };
      return [entry];
    });
  }

  async getFiringAlerts(e: Entity, context: SourceContext) {
    return context.upstream.call(async () => {
      this.liveCalls.push(`alerts:${e.metadata.name}`);
      return [] as DashEvent[];
    });
  }
}

const entities = [
  entity('cart-service', { 'test/github': 'acme/cart', 'test/pd': 'PCART' }),
  entity('sneaky-service', {
    'test/github': 'victim/private',
    'test/pd': 'PSECRET',
  }),
];

describe.each(databases.eachSupportedId())(
  'DASH source checks on %p',
  databaseId => {
    let server: any;
    let github: GuardedSource;
    let pd: GuardedSource;
    const now = Date.now();

    async function start() {
      github = new GuardedSource('github');
      pd = new GuardedSource('pd');
      for (const ref of [ALLOWED, DISALLOWED]) {
        github.events.push({
          id: `github:${ref}`,
          source: 'github',
          kind: 'commit',
          entityRef: ref,
          startTime: new Date(now - HOUR).toISOString(),
          title: `commit of ${ref}`,
          severity: 'info',
          attributes: {},
        });
      }
      github.links = () => [
        { title: 'Repository', url: 'https://github.example/repo' },
      ];
      pd.links = () => [
        { title: 'Service', url: 'https://pd.example/service' },
      ];
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          dashPlugin,
          createBackendModule({
            pluginId: 'dash',
            moduleId: 'guarded-sources',
            register(reg) {
              reg.registerInit({
                deps: { sources: dashSourcesExtensionPoint },
                async init({ sources }) {
                  sources.addSource(github);
                  sources.addSource(pd);
                },
              });
            },
          }),
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              dash: {
                refresh: { maxWaitMs: 3000, prewarm: { enabled: false } },
                guard: { timeoutMs: 500, retries: 0 },
              },
            },
          }),
        ],
      });
      server = backend.server;
    }

    const get = (path: string, entityRef: string) =>
      request(server).get(`/api/dash/${path}`).query({ entityRef });

    it('reports not-allowed with the reason and never calls the upstream for a disallowed entity', async () => {
      await start();
      github.allow = ['acme/cart'];
      pd.allow = ['PCART'];

      const timeline = await get('timeline', DISALLOWED);
      expect(timeline.status).toBe(200);
      const body = timelineResponseSchema.parse(timeline.body);
      expect(body.events).toEqual([]);
      expect(body.sources.map(s => [s.id, s.status, s.message]).sort()).toEqual(
        [
          [
            'github',
            'not-allowed',
            "'victim/private' is not in dash.sources.github.allow",
          ],
          ['pd', 'not-allowed', "'PSECRET' is not in dash.sources.pd.allow"],
        ],
      );

      const oncall = await get('oncall', DISALLOWED);
      expect(oncall.status).toBe(200);
      expect(onCallResponseSchema.parse(oncall.body)).toMatchObject({
        onCall: [],
        sources: expect.arrayContaining([
          expect.objectContaining({ id: 'pd', status: 'not-allowed' }),
          expect.objectContaining({ id: 'github', status: 'not-allowed' }),
        ]),
      });
      const alerts = await get('alerts', DISALLOWED);
      expect(alerts.status).toBe(200);
      expect(
        alertsResponseSchema.parse(alerts.body).sources.map(s => s.status),
      ).toEqual(['not-allowed', 'not-allowed']);
      const links = await get('links', DISALLOWED);
      expect(links.status).toBe(200);
      expect(linksResponseSchema.parse(links.body).links).toEqual([]);

      // Nothing reached either upstream for the disallowed entity.
      expect(github.calls).toEqual([]);
      expect(pd.calls).toEqual([]);
      expect(github.liveCalls).toEqual([]);
      expect(pd.liveCalls).toEqual([]);

      // The allowed entity is read as before.
      const allowed = await get('timeline', ALLOWED);
      expect(
        timelineResponseSchema.parse(allowed.body).events.map(e => e.id),
      ).toEqual([`github:${ALLOWED}`]);
      const allowedOnCall = await get('oncall', ALLOWED);
      expect(allowedOnCall.body.onCall).toHaveLength(2);
      expect(pd.liveCalls).toEqual(['oncall:cart-service']);
    });

    it.each(['configuration', 'access'] as const)(
      'degrades only the source whose %s check throws, on every route',
      async where => {
        await start();
        pd.throwIn = where;
        for (const path of ['timeline', 'oncall', 'alerts']) {
          const res = await get(path, ALLOWED);
          expect({ path, status: res.status }).toEqual({ path, status: 200 });
          const states = res.body.sources as Array<{
            id: string;
            status: string;
            message?: string;
          }>;
          expect(states.find(s => s.id === 'pd')).toMatchObject({
            status: 'error',
            message: expect.stringContaining('could not check'),
          });
          // The details of the throw stay in the log.
          expect(JSON.stringify(res.body)).not.toContain('blew up');
          expect(states.find(s => s.id === 'github')?.status).not.toBe('error');
        }
        const links = await get('links', ALLOWED);
        expect(links.status).toBe(200);
        // The broken source offers no links; the other one still does.
        expect(
          linksResponseSchema.parse(links.body).links.map(l => l.source),
        ).toEqual(['github']);
        expect(pd.calls).toEqual([]);
        expect(pd.liveCalls).toEqual([]);
        expect(github.liveCalls.sort()).toEqual([
          'alerts:cart-service',
          'oncall:cart-service',
        ]);
      },
    );
  },
);

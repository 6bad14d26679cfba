import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import fc from 'fast-check';
import request from 'supertest';
import { dashPlugin } from './plugin';
import { fakeSourcesModule } from './testUtils/testBackendParts';
import { changeResponseSchema, timelineResponseSchema } from './schema/schemas';
import { FakeSource, entity } from './testUtils/fakeSource';

/**
 * `POST /changes` (ids scoped by poster, a permission per entity, concurrent posts) and input or
 * upstream data that used to become a 500 (NUL characters, over-long values), on both
 * databases.
 */

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const CART = 'component:default/cart-service';
const INVENTORY = 'component:default/inventory-service';
const MIN = 60_000;

const ALICE = 'user:default/alice';
const DEPLOYCTL = 'external:deployctl';
const userHeader = (ref: string) =>
  `Bearer mock-user-token:${JSON.stringify({ sub: ref })}`;
const serviceHeader = (subject: string) =>
  `Bearer mock-service-token:${JSON.stringify({ sub: subject })}`;

type Decide = (
  request: EvaluatePermissionRequest,
  credentials: BackstageCredentials,
) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;

describe.each(databases.eachSupportedId())(
  'POST /changes and hostile input on %p',
  databaseId => {
    let server: any;
    let github: FakeSource;
    const now = Date.now();

    async function start(decide: Decide = () => AuthorizeResult.ALLOW) {
      github = new FakeSource('github', 'GitHub');
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          dashPlugin,
          fakeSourcesModule(github),
          catalogServiceMock.factory({
            entities: [
              entity('cart-service', {}),
              entity('inventory-service', { 'test/github': 'acme/inventory' }),
            ],
          }),
          mockServices.database.factory({ knex }),
          mockServices.permissions.mock({
            authorize: async (requests, options) =>
              requests.map(r => ({
                result: decide(
                  r as EvaluatePermissionRequest,
                  (options as { credentials: BackstageCredentials })
                    .credentials,
                ),
              })),
          }).factory,
          mockServices.rootConfig.factory({
            data: {
              dash: {
                refresh: { maxWaitMs: 3000, prewarm: { enabled: false } },
                guard: { timeoutMs: 2000, retries: 0 },
              },
            },
          }),
        ],
      });
      server = backend.server;
    }

    const change = (overrides: Record<string, unknown> = {}) => ({
      id: 'deploy-7',
      entityRef: CART,
      time: new Date(now - 30 * MIN).toISOString(),
      title: 'Deploy cart-service v7',
      type: 'deploy',
      ...overrides,
    });

    /** The stored change events of the cart, read back through the timeline. */
    async function storedChanges(time: string): Promise<DashEvent[]> {
      const t = Date.parse(time);
      const res = await request(server)
        .get('/api/dash/timeline')
        .query({
          entityRef: CART,
          sources: 'changes',
          from: new Date(t - MIN).toISOString(),
          to: new Date(t + MIN).toISOString(),
        });
      expect(res.status).toBe(200);
      return timelineResponseSchema.parse(res.body).events;
    }

    it('answers a NUL character or an unpaired surrogate anywhere in the input with 400, never 500', async () => {
      await start();
      const bodies: Array<[Record<string, unknown>, RegExp]> = [
        [change({ title: 'Deploy\u0000v7' }), /^title: must not contain/],
        [
          change({ url: 'https://deploy.example/runs/7\u0000' }),
          /^url: must not contain/,
        ],
        [change({ version: 'v7\u0000' }), /^version: must not contain/],
        [
          change({ environment: '\u0000prod' }),
          /^environment: must not contain/,
        ],
        [
          change({ actor: { name: 'deploy\u0000ctl' } }),
          /^actor\.name: must not contain/,
        ],
        // An actor field the API does not know is refused, not dropped.
        [
          change({ actor: { name: 'deploy-bot', '': '' } }),
          /^actor: Unrecognized key/,
        ],
        [
          change({ details: { pipeline: 'main\u0000' } }),
          /^details\.pipeline: must not contain/,
        ],
        [
          change({ details: { 'pipe\u0000line': 'main' } }),
          /^details: key "pipe\\u0000line" must not contain a NUL/,
        ],
        [change({ title: 'Deploy \ud800 v7' }), /^title: must not contain/],
        [
          JSON.parse(
            JSON.stringify(change()).replace(
              /}$/,
              ',"details":{"__proto__":1}}',
            ),
          ),
          /^details: key "__proto__" is a reserved name/,
        ],
        [change({ id: 'deploy\u00007' }), /^id: /],
        [change({ entityRef: `${CART}\u0000` }), /^entityRef: must not/],
      ];
      for (const [body, message] of bodies) {
        const res = await request(server).post('/api/dash/changes').send(body);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ status: 400, message: expect.stringMatching(message) });
      }
      const refresh = await request(server)
        .post('/api/dash/refresh')
        .send({ entityRef: INVENTORY, sources: ['git\u0000hub'] });
      expect(refresh.status).toBe(400);
      for (const query of [
        { entityRef: `${CART}\u0000` },
        { entityRef: CART, from: '2026-11-22T10:00:00\u0000Z' },
        { entityRef: CART, sources: 'changes\u0000' },
      ]) {
        const res = await request(server)
          .get('/api/dash/timeline')
          .query(query);
        expect(res.status).toBe(400);
      }
      // Nothing was stored.
      expect(await storedChanges(change().time)).toEqual([]);
    });

    it('answers generated queries with NUL characters, surrogates and long values with 200, 400 or 404, never 500', async () => {
      await start();
      const value = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.string({ minLength: 250, maxLength: 600 }),
        fc
          .string({ unit: 'binary', maxLength: 10 })
          .map(s => `component:default/${s}`),
        fc.constantFrom(
          CART,
          `${CART}\u0000`,
          '\u0000',
          '2026-11-22T10:00:00Z',
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.constantFrom('entityRef', 'from', 'to', 'sources', 'kinds'),
            value,
          ),
          fc.constantFrom('/timeline', '/deploys', '/oncall', '/links'),
          async (query, path) => {
            const res = await request(server)
              .get(`/api/dash${path}`)
              .query(query);
            expect([200, 400, 404]).toContain(res.status);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('answers generated POST bodies with 2xx or 400, never 500, and reads back what it accepted intact', async () => {
      await start();
      const hostile = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.string({ minLength: 190, maxLength: 2100 }),
        fc.constantFrom('\u0000', 'a\u0000b', '\ud83d', '💥🚀 é', ''),
      );
      const anything = fc.oneof(
        hostile,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })),
      );
      const field = <T>(valid: fc.Arbitrary<T>) =>
        fc.oneof(
          { weight: 16, arbitrary: valid },
          { weight: 2, arbitrary: hostile },
          { weight: 1, arbitrary: anything },
        );
      const minutesAgo = fc
        .integer({ min: 1, max: 600 })
        .map(m => new Date(now - m * MIN).toISOString());
      const body = fc.record(
        {
          id: field(fc.stringMatching(/^[A-Za-z0-9._:/@+-]{1,200}$/)),
          entityRef: fc.constant(CART),
          time: field(minutesAgo),
          title: field(fc.string({ unit: 'grapheme', minLength: 1 })),
          type: field(fc.constantFrom('deploy', 'config', 'rollback')),
          environment: field(fc.string({ unit: 'grapheme', maxLength: 100 })),
          version: field(fc.string({ maxLength: 200 })),
          actor: field(
            fc.record(
              {
                name: fc.string({ unit: 'grapheme', minLength: 1 }),
                email: fc.string({ maxLength: 200 }),
              },
              { requiredKeys: ['name'] },
            ),
          ),
          url: field(
            fc.webUrl({ withQueryParameters: true, withFragments: true }),
          ),
          details: field(
            fc.dictionary(
              fc.string({ unit: 'grapheme', maxLength: 20 }),
              fc.oneof(
                fc.string({ unit: 'grapheme', maxLength: 50 }),
                fc.integer(),
                fc.boolean(),
              ),
              { maxKeys: 5 },
            ),
          ),
        },
        {
          requiredKeys: ['id', 'entityRef', 'time', 'title', 'type'],
        },
      );
      let accepted = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(body, async generated => {
          // What the server receives: the JSON of the body.
          const sent = JSON.parse(JSON.stringify(generated));
          const res = await request(server)
            .post('/api/dash/changes')
            .send(sent);
          expect([200, 201, 400]).toContain(res.status);
          // A refusal is an input error with a message, nothing else.
          expect(
            res.status !== 400 || res.body.error?.name === 'InputError',
          ).toBe(true);
          if (res.status === 400) {
            refused += 1;
            return;
          }
          accepted += 1;
          const { event } = changeResponseSchema.parse(res.body);
          const stored = (await storedChanges(sent.time)).find(
            e => e.id === event.id,
          );
          expect(stored).toBeDefined();
          expect(stored!.title).toBe(sent.title);
          expect(stored!.url).toBe(sent.url);
          expect(stored!.actor).toEqual(sent.actor);
          // An empty environment or version is no environment or version.
          expect(stored!.attributes.environment).toEqual(
            sent.environment || undefined,
          );
          expect(stored!.attributes.version).toEqual(sent.version || undefined);
          expect(stored!.attributes.details).toEqual(sent.details);
        }),
        { numRuns: 100 },
      );
      // The property saw both answers, or it proved little.
      expect(accepted).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    });

    it('keeps events of a source that sends over-long or NUL-laden values, drops only what cannot be stored, and says so', async () => {
      await start();
      const at = (m: number) => new Date(now - m * MIN).toISOString();
      const base = {
        source: 'github',
        kind: 'deploy' as const,
        severity: 'info' as const,
        entityRef: INVENTORY,
        attributes: {},
      };
      github.events = [
        { ...base, id: 'github:good', title: 'Deploy v1', startTime: at(50) },
        {
          ...base,
          id: `github:${'x'.repeat(600)}`,
          title: 'Id too long to store',
          startTime: at(40),
        },
        {
          ...base,
          id: 'github:noisy\u0000',
          title: `Deploy\u0000 ${'y'.repeat(900)}`,
          status: `s${'\u0000'}${'u'.repeat(200)}`,
          url: 'https://github.example/acme/inventory/actions/runs/1',
          actor: { name: 'bot\u0000' },
          attributes: { note: 'a\u0000b', nested: [{ deep: '\u0000' }] },
          startTime: at(30),
        },
      ];
      const res = await request(server)
        .get('/api/dash/timeline')
        .query({ entityRef: INVENTORY, from: at(120) });
      expect(res.status).toBe(200);
      const body = timelineResponseSchema.parse(res.body);
      expect(body.events.map(e => e.id)).toEqual([
        'github:good',
        'github:noisy',
      ]);
      const noisy = body.events[1];
      expect(noisy.title).toBe(`Deploy ${'y'.repeat(900)}`.slice(0, 500));
      expect(noisy.status).toBe(`s${'u'.repeat(63)}`);
      expect(noisy.actor).toEqual({ name: 'bot' });
      expect(noisy.attributes).toEqual({ note: 'ab', nested: [{ deep: '' }] });
      const [state] = body.sources;
      expect(state).toMatchObject({ id: 'github', status: 'ok' });
      expect(state.message).toBe(
        'Skipped 1 of 3 event(s) from GitHub that cannot be stored: id longer than 512 characters (1)',
      );
    });

    it("scopes ids by poster: another poster's id makes a second event, never replaces the first", async () => {
      await start();
      const body = change({
        title: 'Deploy by Alice',
        url: 'https://deploy.example/alice/7',
        actor: { name: 'alice' },
      });
      const alice = await request(server)
        .post('/api/dash/changes')
        .set('authorization', userHeader(ALICE))
        .send(body);
      expect(alice.status).toBe(201);
      expect(alice.body.event.id).toBe(`changes:deploy-7#${ALICE}`);

      const other = await request(server)
        .post('/api/dash/changes')
        .set('authorization', serviceHeader(DEPLOYCTL))
        .send({
          ...body,
          title: 'Hijacked',
          url: 'https://evil.example/',
          actor: { name: 'mallory' },
        });
      expect(other.status).toBe(201);
      expect(other.body.created).toBe(true);
      expect(other.body.event.id).toBe(`changes:deploy-7#${DEPLOYCTL}`);

      // Alice reposting her id updates her own event.
      const again = await request(server)
        .post('/api/dash/changes')
        .set('authorization', userHeader(ALICE))
        .send({ ...body, title: 'Deploy by Alice (retried)' });
      expect(again.status).toBe(200);
      expect(again.body.created).toBe(false);

      const stored = await storedChanges(body.time);
      expect(
        stored.map(e => [e.id, e.title, e.url, e.actor?.name]).sort(),
      ).toEqual([
        [
          `changes:deploy-7#${DEPLOYCTL}`,
          'Hijacked',
          'https://evil.example/',
          'mallory',
        ],
        [
          `changes:deploy-7#${ALICE}`,
          'Deploy by Alice (retried)',
          'https://deploy.example/alice/7',
          'alice',
        ],
      ]);
    });

    it('checks dash.change.create on the entity the change is posted to', async () => {
      const asked: Array<{ resourceRef?: string; principal: string }> = [];
      await start((r, credentials) => {
        const p = credentials.principal as {
          userEntityRef?: string;
          subject?: string;
        };
        const principal = p.userEntityRef ?? p.subject ?? 'none';
        const resourceRef = (r as { resourceRef?: string }).resourceRef;
        asked.push({ resourceRef, principal });
        return r.permission.name === 'dash.change.create' &&
          principal === ALICE &&
          resourceRef === CART
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY;
      });
      const allowed = await request(server)
        .post('/api/dash/changes')
        .set('authorization', userHeader(ALICE))
        .send(change());
      expect(allowed.status).toBe(201);
      const denied = await request(server)
        .post('/api/dash/changes')
        .set('authorization', userHeader(ALICE))
        .send(change({ entityRef: INVENTORY }));
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        `You are not allowed to dash.change.create on ${INVENTORY}`,
      );
      expect(asked).toEqual([
        { resourceRef: CART, principal: ALICE },
        { resourceRef: INVENTORY, principal: ALICE },
      ]);
    });

    it('answers concurrent identical posts with exactly one 201', async () => {
      await start();
      const tenAtOnce = async (id: string) => {
        const body = change({ id });
        const answers = await Promise.all(
          Array.from({ length: 10 }, () =>
            request(server)
              .post('/api/dash/changes')
              .set('authorization', serviceHeader(DEPLOYCTL))
              .send(body),
          ),
        );
        return {
          statuses: answers.map(a => a.status).sort(),
          created: answers.filter(a => a.body.created).length,
        };
      };
      const once = { statuses: [...Array(9).fill(200), 201], created: 1 };
      // Three rounds: the later ones run on a warm connection pool, truly side by side.
      expect(await tenAtOnce('concurrent-1')).toEqual(once);
      expect(await tenAtOnce('concurrent-2')).toEqual(once);
      expect(await tenAtOnce('concurrent-3')).toEqual(once);
      const stored = await storedChanges(change().time);
      expect(stored.map(e => e.id).sort()).toEqual([
        `changes:concurrent-1#${DEPLOYCTL}`,
        `changes:concurrent-2#${DEPLOYCTL}`,
        `changes:concurrent-3#${DEPLOYCTL}`,
      ]);
    });
  },
);

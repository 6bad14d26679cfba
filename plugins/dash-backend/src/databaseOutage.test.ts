/*
 * A database outage, without touching the shared PostgreSQL server: the backend talks to its
 * test database through a TCP proxy on 127.0.0.1, and the test cuts the proxy (every open
 * connection reset, new ones refused), then restores it. Reads and posts during the cut answer
 * 503 with a plain message (never a 500, never the driver's text); after the cut the backend
 * answers again by itself (knex's pool makes new connections) and nothing is lost.
 */
import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { Knex } from 'knex';
import net from 'node:net';
import request from 'supertest';
import { DATABASE_UNAVAILABLE_MESSAGE } from './database/databaseErrors';
import { dashPlugin } from './plugin';
import { FakeSource, entity } from './testUtils/fakeSource';
import { fakeSourcesModule } from './testUtils/testBackendParts';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const ids = databases.eachSupportedId();
const CART = 'component:default/cart-service';
const HOUR = 3600_000;

/** A TCP proxy that can be cut and restored on the same port. */
class Proxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    this.server = net.createServer(client => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async down(): Promise<void> {
    const closed = new Promise<void>(resolve =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    for (const s of this.sockets) s.resetAndDestroy();
    await closed;
    this.server = undefined;
  }
}

(ids.length
  ? describe.each(ids)
  : describe.skip.each([['POSTGRES_15' as const]]))(
  'a database outage on %p',
  databaseId => {
    let server: any;
    let stop: () => Promise<void>;
    let proxy: Proxy;
    let proxied: Knex;
    const source = new FakeSource('github', 'GitHub');
    const now = Date.now();
    source.events = Array.from({ length: 5 }, (_, i) => ({
      id: `github:cart:commit-${i}`,
      source: 'github',
      kind: 'commit' as const,
      title: `commit ${i}`,
      severity: 'info' as const,
      entityRef: CART,
      startTime: new Date(now - (i + 1) * HOUR).toISOString(),
      attributes: {},
    }));

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const connection = (knex.client.config as Knex.Config)
        .connection as Knex.PgConnectionConfig;
      proxy = new Proxy({
        host: connection.host ?? '127.0.0.1',
        port: Number(connection.port ?? 5432),
      });
      await proxy.up();
      proxied = knexFactory({
        client: 'pg',
        connection: { ...connection, host: '127.0.0.1', port: proxy.port },
        pool: { min: 0, max: 5 },
        acquireConnectionTimeout: 5_000,
        // knex prints every refused connection to the console; the test checks them itself.
        log: { warn() {}, error() {}, debug() {}, deprecate() {} },
      });
      const backend = await startTestBackend({
        features: [
          dashPlugin,
          fakeSourcesModule(source),
          catalogServiceMock.factory({
            entities: [entity('cart-service', { 'test/github': 'acme/cart' })],
          }),
          mockServices.database.factory({ knex: proxied }),
          mockServices.rootConfig.factory({
            data: {
              dash: {
                refresh: { maxWaitMs: 3000, prewarm: { enabled: false } },
              },
            },
          }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      await proxy?.up().catch(() => undefined);
      await stop?.();
      await proxied?.destroy();
      await proxy?.down();
    });

    const timeline = () =>
      request(server)
        .get('/api/dash/timeline')
        .query({
          entityRef: CART,
          from: new Date(now - 24 * HOUR).toISOString(),
        });

    it('answers 503 with a plain message while the database is away, and recovers by itself', async () => {
      const before = await timeline();
      expect(before.status).toBe(200);
      expect(before.body.events).toHaveLength(5);

      await proxy.down();
      const during: request.Response[] = [];
      for (let i = 0; i < 6; i++) {
        during.push(await timeline());
        during.push(
          await request(server)
            .post('/api/dash/changes')
            .send({
              entityRef: CART,
              id: `deploy-${i}`,
              type: 'deploy',
              title: 'Deploy',
              time: new Date(now - 60_000).toISOString(),
            }),
        );
      }
      for (const res of during) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body.error).toEqual({
          name: 'ServiceUnavailableError',
          message: DATABASE_UNAVAILABLE_MESSAGE,
        });
        // Nothing of the driver's text: no host, no port.
        expect(res.text).not.toContain(String(proxy.port));
        expect(res.text).not.toMatch(/ECONN|127\.0\.0\.1|5432/);
      }

      await proxy.up();
      const deadline = Date.now() + 15_000;
      let after = await timeline();
      while (after.status !== 200 && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 250));
        after = await timeline();
      }
      expect(after.status).toBe(200);
      expect(after.body.events.map((e: { id: string }) => e.id).sort()).toEqual(
        source.events.map(e => e.id).sort(),
      );
    });
  },
);

/*
 * A backend process killed (SIGKILL) during a refresh, then restarted on the same SQLite file:
 * no event is lost, the dead process's lease does not outlive its expiry, and the next read
 * refreshes. A real child process (src/__testUtils__/dashChildBackend.ts) against the upstream
 * sandbox, with GitHub made slow so that the kill lands mid-refresh.
 *
 * It starts two backend processes, so it runs only when asked:
 *
 *   DASH_FAULT_TESTS=1 /tmp/t.sh packages/backend/src/dashProcessKill.test.ts
 */
import {
  Sandbox,
  serviceEntity,
  startSandbox,
} from '@dash-suite/upstream-sandbox';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { sandboxConfig } from './__testUtils__/sandboxConfig';

jest.setTimeout(240_000);

const HOUR = 3600_000;
const TOKEN = 'dash-kill-test-static-token-5c1e';
const LEASE_SECONDS = 4;
const REF = 'component:default/payments-api';

const skipped =
  process.env.DASH_FAULT_TESTS === '1'
    ? undefined
    : 'set DASH_FAULT_TESTS=1 to run it (it starts two backend processes)';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Child {
  url: string;
  process: ChildProcess;
  output: string[];
  exited: () => boolean;
}

async function startChild(
  sandbox: Sandbox,
  dir: string,
  entities: unknown[],
): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const base = sandboxConfig(sandbox);
  const config = {
    backend: {
      baseUrl: url,
      listen: { port, host: '127.0.0.1' },
      database: { client: 'better-sqlite3', connection: { directory: dir } },
      auth: {
        externalAccess: [
          { type: 'static', options: { token: TOKEN, subject: 'kill-test' } },
        ],
      },
    },
    integrations: base.integrations,
    dash: {
      sources: { github: base.dash.sources.github },
      refresh: {
        maxWaitMs: 1000,
        freshnessSeconds: 1,
        leaseSeconds: LEASE_SECONDS,
        prewarm: { enabled: false },
      },
      guard: { timeoutMs: 60_000, retries: 0 },
    },
  };
  const configFile = path.join(dir, `app-config.${port}.json`);
  fs.writeFileSync(configFile, JSON.stringify(config));
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, '__testUtils__/dashChildBackend.ts'),
      '--config',
      configFile,
    ],
    {
      cwd: path.resolve(__dirname, '..'),
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        DASH_CHILD_ENTITIES: JSON.stringify(entities),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  child.stdout!.on('data', d => output.push(String(d)));
  child.stderr!.on('data', d => output.push(String(d)));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !exited()) {
    try {
      const res = await fetch(`${url}/api/dash/openapi.json`);
      if (res.ok) return { url, process: child, output, exited };
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 300));
  }
  child.kill('SIGKILL');
  throw new Error(
    `The backend did not start:\n${output.join('').slice(-3000)}`,
  );
}

async function kill(child: Child | undefined) {
  if (!child || child.exited()) return;
  child.process.kill('SIGKILL');
  for (let i = 0; i < 100 && !child.exited(); i++) {
    await new Promise(r => setTimeout(r, 50));
  }
}

(skipped ? describe.skip : describe)(
  `a backend killed mid-refresh${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    let sandbox: Sandbox;
    let dir: string;
    let first: Child | undefined;
    let second: Child | undefined;
    let db: Knex | undefined;

    beforeAll(async () => {
      sandbox = await startSandbox({ scenario: 'demo', seed: 42 });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-kill-'));
    });

    afterAll(async () => {
      await kill(first);
      await kill(second);
      await db?.destroy();
      await sandbox?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const timeline = async (child: Child) => {
      const query = new URLSearchParams({
        entityRef: REF,
        from: new Date(sandbox.scenario.now - 24 * HOUR).toISOString(),
        to: new Date(sandbox.scenario.now + HOUR).toISOString(),
      });
      const res = await fetch(`${child.url}/api/dash/timeline?${query}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(200);
      return res.json() as Promise<{
        events: Array<{ id: string; source: string }>;
        sources: Array<{ id: string; status: string }>;
      }>;
    };

    const feed = async () => {
      db ??= knexFactory({
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'dash.sqlite') },
        useNullAsDefault: true,
      });
      return db('dash_feeds')
        .where({ source: 'github', entity_ref: REF })
        .first();
    };

    it('loses no event, lets the lease expire, and refreshes on the next read', async () => {
      const entities = sandbox.scenario.services.map(serviceEntity);
      first = await startChild(sandbox, dir, entities);

      // A first, complete refresh (on a loaded machine it may take longer than the 1 s wait:
      // read again, bounded, until it is done).
      let cold = await timeline(first);
      for (let i = 0; i < 60 && cold.sources[0]?.status === 'refreshing'; i++) {
        await new Promise(r => setTimeout(r, 500));
        cold = await timeline(first);
      }
      expect(cold.sources).toEqual([
        expect.objectContaining({ id: 'github', status: 'ok' }),
      ]);
      const stored = cold.events.map(e => e.id).sort();
      expect(stored.length).toBeGreaterThan(5);
      const before = await feed();
      expect(before.lease_owner).toBeNull();

      // GitHub slows down; once the feed is stale a read starts a refresh behind its answer.
      sandbox.setFaults('github', { latencyMs: 60_000 });
      await new Promise(r => setTimeout(r, 1200));
      const callsBefore = sandbox.requests({ upstream: 'github' }).length;
      await timeline(first);
      let leased = await feed();
      for (let i = 0; i < 50 && !leased.lease_owner; i++) {
        await new Promise(r => setTimeout(r, 100));
        leased = await feed();
      }
      expect(leased.lease_owner).toBeTruthy();
      const deadOwner = leased.lease_owner;

      // Killed mid-refresh: the lease stays in the database, held by a dead process.
      await kill(first);
      const orphan = await feed();
      expect(orphan.lease_owner).toBe(deadOwner);
      expect(Number(orphan.lease_expires_ms)).toBeLessThanOrEqual(
        Date.now() + LEASE_SECONDS * 1000,
      );
      sandbox.setFaults('github', undefined);

      // Restarted on the same file: everything stored is still there at once...
      second = await startChild(sandbox, dir, entities);
      const restarted = await timeline(second);
      expect(restarted.events.map(e => e.id).sort()).toEqual(
        expect.arrayContaining(stored),
      );
      // ...and once the dead lease has expired, the next read refreshes.
      const expiresAt = Number(orphan.lease_expires_ms);
      while (Date.now() <= expiresAt + 100) {
        await new Promise(r => setTimeout(r, 200));
      }
      await new Promise(r => setTimeout(r, 1100)); // stale again
      let refreshed = await feed();
      const deadline = Date.now() + 20_000;
      while (
        Date.now() < deadline &&
        !(
          Number(refreshed.fetched_ms) > Number(before.fetched_ms) &&
          refreshed.lease_owner === null
        )
      ) {
        await timeline(second);
        await new Promise(r => setTimeout(r, 300));
        refreshed = await feed();
      }
      expect(Number(refreshed.fetched_ms)).toBeGreaterThan(
        Number(before.fetched_ms),
      );
      expect(refreshed.lease_owner).toBeNull();
      expect(refreshed.status).toBe('ok');
      expect(sandbox.requests({ upstream: 'github' }).length).toBeGreaterThan(
        callsBefore,
      );
      const after = await timeline(second);
      expect(after.events.map(e => e.id).sort()).toEqual(
        expect.arrayContaining(stored),
      );
      // Fresh for one second only: a read may already be refreshing again, never failing.
      expect(['ok', 'refreshing']).toContain(after.sources[0].status);
    });
  },
);

/*
 * Benchmarks of the DASH backend (`npm run bench`), against the upstream sandbox with the real
 * source modules and a real backend process. Not timed tests: figures are printed with the
 * command and written to artifacts/bench/dash-backend.md.
 *
 *  1. Warm timeline read of 2,000 events: p50/p95/p99 over sequential requests, on SQLite and,
 *     when it answers on 127.0.0.1:5432, PostgreSQL.
 *  2. 100 concurrent cold requests for one entity: upstream calls counted by the sandbox,
 *     against one cold request for an identical entity.
 *  3. Cold fan-out over four sources with 300 ms added upstream latency: the p50 of a cold
 *     timeline with all four sources against the p50 with each source alone.
 *
 * BENCH_ONLY=warm runs only the first measurement, on SQLite.
 */
import { startSandbox, Sandbox } from '@dash-suite/upstream-sandbox';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { sandboxConfig } from '../src/__testUtils__/sandboxConfig';

const repoRoot = path.resolve(__dirname, '../../..');
const COMMAND = 'npm run bench -w packages/backend';
const WARM_EVENTS = 2000;
const WARM_REQUESTS = 300;
const FANOUT_ROUNDS = 5;
const SOURCES = ['pagerduty', 'github', 'grafana', 'kibana'];
const PG = 'postgresql://postgres@127.0.0.1:5432';
const PG_PREFIX = 'dash_bench_';

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

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

async function reachable(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 1000);
  });
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, i)];
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

/** Entities the bench needs, annotated like payments-api but with no dependencies. */
function benchCatalog(sandbox: Sandbox, dir: string): string {
  const payments = sandbox.scenario.services.find(
    s => s.name === 'payments-api',
  )!;
  const names = ['bench-warm', 'bench-cold-one', 'bench-cold-many'];
  for (let r = 0; r < FANOUT_ROUNDS; r++) {
    for (const s of [...SOURCES, 'all']) names.push(`bench-fan-${s}-${r}`);
  }
  const docs = names.map(name =>
    JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, annotations: payments.annotations },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'group:default/team-sre',
      },
    }),
  );
  const file = path.join(dir, 'bench-entities.yaml');
  fs.writeFileSync(file, docs.join('\n---\n'));
  return file;
}

interface Backend {
  url: string;
  token: string;
  stop(): Promise<void>;
}

async function startBackend(
  sandbox: Sandbox,
  database: object,
  entitiesFile: string,
  dir: string,
): Promise<Backend> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const config = {
    app: { baseUrl: url },
    backend: {
      baseUrl: url,
      listen: { port, host: '127.0.0.1' },
      database,
      cors: { origin: url },
    },
    auth: {
      providers: {
        guest: {
          userEntityRef: 'user:default/guest',
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    permission: { enabled: true, suite: { writers: ['*'] } },
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Domain',
            'Group',
            'User',
          ],
        },
      ],
      locations: [
        { type: 'file', target: path.join(repoRoot, 'catalog-info/all.yaml') },
        { type: 'file', target: entitiesFile },
      ],
    },
    ...sandboxConfig(sandbox),
    dash: {
      ...sandboxConfig(sandbox).dash,
      refresh: {
        maxWaitMs: 30000,
        freshnessSeconds: 3600,
        prewarm: { enabled: false },
      },
    },
  };
  const configFile = path.join(dir, `app-config.${port}.yaml`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const output: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      configFile,
    ],
    {
      cwd: path.join(repoRoot, 'packages/backend'),
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', d => output.push(String(d)));
  child.stderr!.on('data', d => output.push(String(d)));
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    for (let i = 0; i < 100 && !exited; i++)
      await new Promise(r => setTimeout(r, 100));
    if (!exited) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 180_000;
  let token = '';
  while (Date.now() < deadline) {
    if (exited)
      throw new Error(`The backend exited:\n${output.join('').slice(-3000)}`);
    try {
      const res = await fetch(`${url}/api/auth/guest/refresh`);
      if (res.ok) {
        token = (await res.json()).backstageIdentity.token;
        const entity = await fetch(
          `${url}/api/catalog/entities/by-name/component/default/bench-fan-all-${
            FANOUT_ROUNDS - 1
          }`,
          {
            headers: { authorization: `Bearer ${token}` },
          },
        );
        if (entity.ok) return { url, token, stop };
      }
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  await stop();
  throw new Error(
    `The backend did not get ready:\n${output.join('').slice(-3000)}`,
  );
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

/**
 * Latency of a read on the wire: from sending the request to the last byte of the (gzip) answer,
 * with node:http and without decompressing or parsing, so that the bench client's own work
 * (which a browser does natively, after the fact) is not in the figure.
 */
async function timeToLastByte(
  b: Backend,
  route: string,
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${b.url}/api/dash${route}`,
      {
        agent: keepAlive,
        headers: {
          authorization: `Bearer ${b.token}`,
          'accept-encoding': 'gzip',
        },
      },
      res => {
        res.on('data', () => {});
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}
async function get(
  b: Backend,
  route: string,
): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${b.url}/api/dash${route}`, {
    headers: { authorization: `Bearer ${b.token}` },
  });
  const body = await res.json();
  return { status: res.status, body, ms: performance.now() - started };
}

async function warmRead(
  b: Backend,
): Promise<{ events: number; p50: number; p95: number; p99: number }> {
  const ref = 'component:default/bench-warm';
  const now = Date.now();
  // 2,000 change events in the last 24 hours, posted through the API in parallel batches.
  for (let i = 0; i < WARM_EVENTS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, WARM_EVENTS - i) }, async (_, j) => {
        const n = i + j;
        const res = await fetch(`${b.url}/api/dash/changes`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${b.token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            id: `bench-${n}`,
            entityRef: ref,
            time: new Date(
              now - 60_000 - (n * 23 * 3600_000) / WARM_EVENTS,
            ).toISOString(),
            title: `Bench change ${n}`,
            type: n % 3 ? 'config' : 'deploy',
            environment: 'production',
          }),
        });
        if (res.status !== 201)
          throw new Error(`POST /changes answered ${res.status}`);
      }),
    );
  }
  const query = `/timeline?entityRef=${ref}&from=${new Date(
    now - 24 * 3600_000,
  ).toISOString()}&to=${new Date(now).toISOString()}`;
  const first = await get(b, query); // cold: fetches the four sources once
  const events = first.body.events.length;
  for (let i = 0; i < 10; i++) await get(b, query);
  const times: number[] = [];
  for (let i = 0; i < WARM_REQUESTS; i++) {
    const r = await timeToLastByte(b, query);
    if (r.status !== 200) throw new Error(`timeline answered ${r.status}`);
    times.push(r.ms);
  }
  times.sort((x, y) => x - y);
  return {
    events,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  };
}

function total(
  counters: Record<string, Record<string, number>>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counters).map(([upstream, routes]) => [
      upstream,
      Object.values(routes).reduce((a, c) => a + c, 0),
    ]),
  );
}

async function concurrentCold(b: Backend, sandbox: Sandbox) {
  const window = `&from=${new Date(Date.now() - 24 * 3600_000).toISOString()}`;
  sandbox.resetCounters();
  const one = await get(
    b,
    `/timeline?entityRef=component:default/bench-cold-one${window}`,
  );
  const single = sandbox.counters();
  sandbox.resetCounters();
  const many = await Promise.all(
    Array.from({ length: 100 }, () =>
      get(b, `/timeline?entityRef=component:default/bench-cold-many${window}`),
    ),
  );
  const hundred = sandbox.counters();
  const statuses = new Set(many.map(r => r.status));
  return { single, hundred, oneStatus: one.status, statuses: [...statuses] };
}

async function fanOut(b: Backend, sandbox: Sandbox) {
  for (const upstream of [
    'pagerduty',
    'github',
    'grafana',
    'kibana',
    'elasticsearch',
  ] as const) {
    sandbox.setFaults(upstream, { latencyMs: 300 });
  }
  const window = `&from=${new Date(Date.now() - 24 * 3600_000).toISOString()}`;
  const results: Record<string, number[]> = {};
  for (let r = 0; r < FANOUT_ROUNDS; r++) {
    for (const s of [...SOURCES, 'all']) {
      const filter = s === 'all' ? '' : `&sources=${s}`;
      const res = await get(
        b,
        `/timeline?entityRef=component:default/bench-fan-${s}-${r}${window}${filter}`,
      );
      const states = (res.body.sources ?? []).map(
        (x: any) => `${x.id}:${x.status}`,
      );
      if (
        res.status !== 200 ||
        states.some((x: string) => !x.endsWith(':ok'))
      ) {
        throw new Error(
          `fan-out ${s} round ${r}: ${res.status} ${states.join(', ')}`,
        );
      }
      (results[s] ??= []).push(res.ms);
    }
  }
  for (const upstream of [
    'pagerduty',
    'github',
    'grafana',
    'kibana',
    'elasticsearch',
  ] as const) {
    sandbox.setFaults(upstream, undefined);
  }
  const p50 = Object.fromEntries(
    Object.entries(results).map(([s, t]) => [
      s,
      percentile(
        [...t].sort((x, y) => x - y),
        50,
      ),
    ]),
  );
  return { p50, rounds: FANOUT_ROUNDS };
}

async function dropBenchDatabases() {
  const client = new Client({ connectionString: `${PG}/postgres` });
  await client.connect();
  const { rows } = await client.query(
    'SELECT datname FROM pg_database WHERE datname LIKE $1',
    [`${PG_PREFIX}%`],
  );
  for (const row of rows)
    await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  await client.end();
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-bench-'));
  const sandbox = await startSandbox({ scenario: 'demo', seed: 42 });
  const entitiesFile = benchCatalog(sandbox, dir);
  const lines: string[] = [];
  const say = (line = '') => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  say('# DASH backend benchmark');
  say();
  say(
    `Command: \`${COMMAND}\` (packages/backend/bench/dash.bench.ts), ${new Date().toISOString()}, Node ${
      process.version
    }, ${os.cpus().length} CPUs.`,
  );
  say(
    'A real backend process (all four source modules) against the upstream sandbox (demo scenario).',
  );
  say();

  // Where the PostgreSQL row of the warm-read table goes, once it is measured.
  let warmRows = 0;
  try {
    // SQLite: all three measurements.
    log('starting a backend on SQLite');
    let backend = await startBackend(
      sandbox,
      { client: 'better-sqlite3', connection: ':memory:' },
      entitiesFile,
      dir,
    );
    try {
      log('warm read');
      const warm = await warmRead(backend);
      if (process.env.BENCH_ONLY === 'warm') {
        say(
          `| SQLite | ${warm.events} | ${WARM_REQUESTS} | ${ms(
            warm.p50,
          )} | ${ms(warm.p95)} | ${ms(warm.p99)} |`,
        );
        return;
      }
      log('100 concurrent cold requests');
      const conc = await concurrentCold(backend, sandbox);
      log('cold fan-out with 300 ms upstream latency');
      const fan = await fanOut(backend, sandbox);

      say('## Warm timeline read');
      say();
      say(
        `GET /timeline of one entity over 24 h (${WARM_EVENTS} change events posted through POST /changes plus the sandbox's events, all four sources fresh), ${WARM_REQUESTS} sequential requests after 10 warm-up ones; latency from sending the request to the last byte of the gzip answer (node:http, no decompression or parsing in the client), measured on the same machine.`,
      );
      say();
      say(`| Database | Events in the answer | Requests | p50 | p95 | p99 |`);
      say(`| --- | --- | --- | --- | --- | --- |`);
      say(
        `| SQLite | ${warm.events} | ${WARM_REQUESTS} | ${ms(warm.p50)} | ${ms(
          warm.p95,
        )} | ${ms(warm.p99)} |`,
      );
      warmRows = lines.length;

      say();
      say('## 100 concurrent cold requests for one entity');
      say();
      say('Upstream calls counted by the sandbox, per upstream:');
      say();
      say(
        '| Upstream | 1 cold request (bench-cold-one) | 100 concurrent cold requests (bench-cold-many) |',
      );
      say('| --- | --- | --- |');
      const one = total(conc.single);
      const hundred = total(conc.hundred);
      for (const u of Object.keys(one))
        say(`| ${u} | ${one[u]} | ${hundred[u]} |`);
      say();
      say(
        `Answers: ${conc.statuses.join(
          ', ',
        )} (all 100). The two entities carry the same annotations, so one refresh of each feed costs the same calls.`,
      );
      say(
        Object.keys(one).every(u => hundred[u] === one[u])
          ? '**Result: the 100 concurrent requests cost exactly what one request costs: one refresh per feed.**'
          : '**Result: the 100 concurrent requests did NOT cost the same as one request.**',
      );

      say();
      say('## Cold fan-out, 300 ms added to every upstream call');
      say();
      say(
        `p50 of ${fan.rounds} cold timeline requests each (a fresh entity every time), one source at a time and all four together:`,
      );
      say();
      say('| Sources | p50 |');
      say('| --- | --- |');
      for (const s of [...SOURCES, 'all'])
        say(`| ${s === 'all' ? 'all four' : s} | ${ms(fan.p50[s])} |`);
      const slowest = Math.max(...SOURCES.map(s => fan.p50[s]));
      say();
      say(
        `All four / slowest single source: ${(fan.p50.all / slowest).toFixed(
          2,
        )} (target: at most 1.2).`,
      );

      await backend.stop();

      if (await reachable(5432)) {
        log('starting a backend on PostgreSQL');
        await dropBenchDatabases();
        backend = await startBackend(
          sandbox,
          { client: 'pg', connection: PG, prefix: PG_PREFIX },
          entitiesFile,
          dir,
        );
        const pgWarm = await warmRead(backend);
        lines.splice(
          warmRows,
          0,
          `| PostgreSQL 15 | ${pgWarm.events} | ${WARM_REQUESTS} | ${ms(
            pgWarm.p50,
          )} | ${ms(pgWarm.p95)} | ${ms(pgWarm.p99)} |`,
        );
        process.stdout.write(
          `| PostgreSQL 15 | ${pgWarm.events} | ${WARM_REQUESTS} | ${ms(
            pgWarm.p50,
          )} | ${ms(pgWarm.p95)} | ${ms(pgWarm.p99)} |\n`,
        );
        await backend.stop();
        await dropBenchDatabases();
      } else {
        lines.splice(
          warmRows,
          0,
          '| PostgreSQL | not measured: nothing answered on 127.0.0.1:5432 | | | | |',
        );
      }
    } finally {
      await backend.stop();
    }
  } finally {
    await sandbox.stop();
  }
  const out = path.join(repoRoot, 'artifacts/bench/dash-backend.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${lines.join('\n')}\n`);
  log(`report written to ${path.relative(repoRoot, out)}`);
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});

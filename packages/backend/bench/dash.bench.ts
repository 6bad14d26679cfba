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
 *  4. The crowd part (bench/crowd.ts), with autocannon: DASH warm timelines against Backstage's
 *     proxy, the backend's ceiling, live polling by 200 viewers, and the uncached warm read
 *     against a raw knex read.
 *  5. The replicas part (bench/replicas.ts): two backend processes on one PostgreSQL behind the
 *     same load as one; both serve, and the upstream calls stay those of one. Needs PostgreSQL
 *     on 127.0.0.1:5432 (skipped without it).
 *
 *  6. The scale part (bench/scale.ts): scheduled pre-warming of 1,000 entities (10,000 with
 *     BENCH_SCALE_SIZES) against realistic rate budgets, in scaled time. Needs PostgreSQL
 *     (skipped without it).
 *
 * BENCH_ONLY=warm runs only the first measurement, on SQLite; BENCH_ONLY=crowd only the fourth;
 * BENCH_ONLY=replicas only the fifth; BENCH_ONLY=scale only the sixth.
 */
import { startSandbox, Sandbox } from '@dash-suite/upstream-sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crowdBench } from './crowd';
import { replicasBench } from './replicas';
import { scaleBench } from './scale';
import { Backend, repoRoot, startBackend } from './lib/backendProcess';
import { writeBenchCatalog } from './lib/benchCatalog';
import {
  getJson as get,
  postChanges,
  timeToLastByte,
  timelinePath,
} from './lib/http';
import { reachable } from './lib/net';
import { PG, dropDatabases } from './lib/postgres';
import { ms, percentile } from './lib/stats';

const WARM_EVENTS = 2000;
const WARM_REQUESTS = 300;
/** Cold fan-out rounds per source filter (BENCH_FANOUT_ROUNDS; 3 keeps `npm run bench` short). */
const FANOUT_ROUNDS = Math.max(
  1,
  Math.min(20, Number(process.env.BENCH_FANOUT_ROUNDS) || 3),
);
const SOURCES = ['pagerduty', 'github', 'grafana', 'kibana'];
const PG_PREFIX = 'dash_bench_';

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Entities the bench needs, annotated like payments-api but with no dependencies. */
function benchCatalog(sandbox: Sandbox, dir: string): string {
  const payments = sandbox.scenario.services.find(
    s => s.name === 'payments-api',
  )!;
  const names = ['bench-warm', 'bench-cold-one', 'bench-cold-many'];
  for (let r = 0; r < FANOUT_ROUNDS; r++) {
    for (const s of [...SOURCES, 'all']) names.push(`bench-fan-${s}-${r}`);
  }
  return writeBenchCatalog(dir, names, payments.annotations);
}

function startDemoBackend(
  sandbox: Sandbox,
  database: object,
  entitiesFile: string,
  dir: string,
): Promise<Backend> {
  return startBackend({
    sandbox,
    database,
    entitiesFile,
    dir,
    readyEntity: `bench-fan-all-${FANOUT_ROUNDS - 1}`,
  });
}

async function warmRead(
  b: Backend,
): Promise<{ events: number; p50: number; p95: number; p99: number }> {
  const ref = 'component:default/bench-warm';
  const now = Date.now();
  // 2,000 change events in the last 24 hours, posted through the API in parallel batches.
  await postChanges(b, ref, WARM_EVENTS, now);
  const query = timelinePath(ref, now - 24 * 3600_000, now).replace(
    /^\/api\/dash/,
    '',
  );
  const first = await get(b, query); // cold: fetches the four sources once
  const events = first.body.events.length;
  for (let i = 0; i < 10; i++) await get(b, query);
  const times: number[] = [];
  for (let i = 0; i < WARM_REQUESTS; i++) {
    const r = await timeToLastByte(b, `/api/dash${query}`);
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
      // `all`: the four sources together (the demo backend also has Slack and Kubernetes
      // sources, which the bench does not configure).
      const filter = `&sources=${s === 'all' ? SOURCES.join(',') : s}`;
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

function dropBenchDatabases() {
  return dropDatabases([PG_PREFIX]);
}

/** The first three measurements, on their own sandbox and backends. */
async function sourceMeasurements(
  lines: string[],
  say: (line?: string) => void,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-bench-'));
  const sandbox = await startSandbox({ scenario: 'demo', seed: 42 });
  const entitiesFile = benchCatalog(sandbox, dir);
  say(
    'A real backend process (all four source modules) against the upstream sandbox (demo scenario).',
  );
  say();

  // Where the PostgreSQL row of the warm-read table goes, once it is measured.
  let warmRows = 0;
  try {
    // SQLite: all three measurements.
    log('starting a backend on SQLite');
    let backend = await startDemoBackend(
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
        backend = await startDemoBackend(
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
}

async function main() {
  const only = process.env.BENCH_ONLY;
  const lines: string[] = [];
  const say = (line = '') => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  const switches = [
    'BENCH_ONLY',
    'BENCH_CROWD_SECONDS',
    'BENCH_LIVE_SECONDS',
    'BENCH_SCALE_SIZES',
    'BENCH_SCALE_GITHUB_RATE',
    'BENCH_SCALE_MAX_MINUTES',
    'BENCH_FANOUT_ROUNDS',
  ]
    .filter(name => process.env[name])
    .map(name => `${name}=${process.env[name]} `)
    .join('');
  const command = `${switches}npm run bench -w packages/backend`;
  const cpus = os.cpus();
  say('# DASH backend benchmark');
  say();
  say(
    `Command: \`${command}\` (packages/backend/bench/dash.bench.ts), ${new Date().toISOString()}.`,
  );
  say(
    `Machine: ${cpus.length} cores (${cpus[0]?.model ?? 'unknown CPU'}), ${(
      os.totalmem() /
      2 ** 30
    ).toFixed(1)} GiB memory, Node ${
      process.version
    }, ${os.platform()} ${os.release()}; load average ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min) at the start.`,
  );
  say();
  if (!only || only === 'warm') {
    await sourceMeasurements(lines, say);
    if (only === 'warm') return;
    say();
  }
  if (!only || only === 'crowd') await crowdBench(say, log);
  if (!only || only === 'replicas') {
    if (!only) say();
    await replicasBench(say, log);
  }
  if (!only || only === 'scale') {
    if (!only) say();
    await scaleBench(say, log);
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

/*
 * The replicas part of the DASH backend benchmark (issue 13): two backend processes on one
 * PostgreSQL database behind the same load as one. Both must serve, and the upstream calls must
 * stay those of one replica: the RefreshEngine's lease row in the database lets one replica
 * refresh a feed while the other waits for it and reads what it stored.
 *
 * Run A: one backend on a fresh PostgreSQL prefix, autocannon at 100 connections for 15 s over
 * the 24 h timelines of 20 cold bench entities, round robin. Run B: two backends on one other
 * fresh prefix (the same `backend.database` for both), the same load split between them (50
 * connections each, run concurrently, the same rotation). The upstream sandbox (its own process)
 * counts the upstream calls of each run. Skipped when nothing answers on 127.0.0.1:5432; the
 * databases it creates are dropped at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Backend, BackendOptions, startBackend } from './lib/backendProcess';
import { writeBenchCatalog } from './lib/benchCatalog';
import { LoadResult, describeAnswers, runLoad } from './lib/autocannonRun';
import { reachable } from './lib/net';
import { PG, dropDatabases } from './lib/postgres';
import { RemoteSandbox, startRemoteSandbox } from './lib/remoteSandbox';
import { ms, ratio } from './lib/stats';

const ENTITIES = 20;
const CONNECTIONS = 100;
const SECONDS = 15;
const DAY_MS = 24 * 3600_000;
/** One fresh prefix per run; both end in `_`, the per-plugin databases follow. */
const PREFIX_ONE = 'dash_bench_rep1_';
const PREFIX_TWO = 'dash_bench_rep2_';

interface ReplicasRun {
  /** One load result per replica. */
  loads: LoadResult[];
  /** Upstream calls over the whole run, all replicas together. */
  upstreamCalls: number;
  perRoute: Array<[string, number]>;
}

/** autocannon against one replica, each request for the next entity's timeline. */
function entityLoad(
  b: Backend,
  paths: string[],
  connections: number,
): Promise<LoadResult> {
  let next = 0;
  return runLoad({
    url: b.url,
    connections,
    duration: SECONDS,
    headers: { authorization: `Bearer ${b.token}`, 'accept-encoding': 'gzip' },
    requests: [
      {
        method: 'GET',
        setupRequest: req => {
          req.path = paths[next++ % paths.length];
          return req;
        },
      },
    ],
  });
}

/** The load split evenly between the replicas, run concurrently; upstream calls counted. */
async function measure(
  backends: Backend[],
  sandbox: RemoteSandbox,
  paths: string[],
): Promise<ReplicasRun> {
  await sandbox.resetCounters();
  const loads = await Promise.all(
    backends.map(b => entityLoad(b, paths, CONNECTIONS / backends.length)),
  );
  // Calls still in flight when autocannon stopped (the sandbox adds no latency here).
  await new Promise(r => setTimeout(r, 1000));
  const perRoute = await sandbox.callsPerRoute();
  return {
    loads,
    upstreamCalls: perRoute.reduce((a, [, n]) => a + n, 0),
    perRoute,
  };
}

/** The 24 h timelines of the entities, one path each (absolute, `/api/dash/...`). */
function timelinePaths(names: string[]): string[] {
  const to = Date.now();
  const window = `&from=${new Date(to - DAY_MS).toISOString()}&to=${new Date(
    to,
  ).toISOString()}`;
  return names.map(
    name => `/api/dash/timeline?entityRef=component:default/${name}${window}`,
  );
}

const ok200 = (l: LoadResult) => l.statuses['200'] ?? 0;

export async function replicasBench(
  say: (line?: string) => void,
  log: (m: string) => void,
): Promise<void> {
  say('## Replicas');
  say();
  if (!(await reachable(5432))) {
    say(
      'Not measured: nothing answered on 127.0.0.1:5432 (two replicas need one PostgreSQL database to share).',
    );
    return;
  }
  const started = Date.now();
  const stopAll = async (backends: Backend[]) => {
    await Promise.all(backends.map(b => b.stop()));
  };
  let one: ReplicasRun;
  let two: ReplicasRun;
  let version: string;
  log('replicas: starting the upstream sandbox process');
  const sandbox = await startRemoteSandbox();
  let dir: string | undefined;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-replicas-'));
    version = await dropDatabases([PREFIX_ONE, PREFIX_TWO]);
    const payments = sandbox.services.find(s => s.name === 'payments-api');
    if (!payments) throw new Error('the sandbox has no payments-api');
    const names = Array.from(
      { length: ENTITIES },
      (_, i) => `bench-replica-${String(i).padStart(2, '0')}`,
    );
    const base = {
      sandbox,
      entitiesFile: writeBenchCatalog(dir, names, payments.annotations),
      dir,
      readyEntity: names[names.length - 1],
    };
    const options = (prefix: string): BackendOptions => ({
      ...base,
      database: { client: 'pg', connection: PG, prefix },
    });

    log(`replicas: run A, one backend on PostgreSQL (${PREFIX_ONE}*)`);
    const single = [await startBackend(options(PREFIX_ONE))];
    try {
      log(
        `replicas: run A, ${CONNECTIONS} connections for ${SECONDS} s over ${ENTITIES} cold entities`,
      );
      one = await measure(single, sandbox, timelinePaths(names));
    } finally {
      await stopAll(single);
    }
    log(
      `replicas: run A upstream calls: ${one.perRoute
        .map(([route, n]) => `${route} ×${n}`)
        .join(', ')}`,
    );

    log(`replicas: run B, two backends on PostgreSQL (${PREFIX_TWO}*)`);
    const pair: Backend[] = [];
    try {
      // One after the other: the first one creates the databases and runs the migrations.
      pair.push(await startBackend(options(PREFIX_TWO)));
      pair.push(await startBackend(options(PREFIX_TWO)));
      log(
        `replicas: run B, ${
          CONNECTIONS / 2
        } connections on each for ${SECONDS} s over the same ${ENTITIES} cold entities`,
      );
      two = await measure(pair, sandbox, timelinePaths(names));
    } finally {
      await stopAll(pair);
    }
    log(
      `replicas: run B upstream calls: ${two.perRoute
        .map(([route, n]) => `${route} ×${n}`)
        .join(', ')}`,
    );
  } finally {
    await sandbox.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await dropDatabases([PREFIX_ONE, PREFIX_TWO]).catch(e =>
      log(`replicas: could not drop the bench databases: ${e}`),
    );
  }
  log(
    `replicas: the part took ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );

  say(
    `Two backend processes on one PostgreSQL (${version}) against one, behind the same load. ${ENTITIES} bench entities annotated like the sandbox's payments-api (so each costs the same upstream calls to fetch), all cold at the start of each run (a fresh database prefix per run: \`${PREFIX_ONE}\` for A, \`${PREFIX_TWO}\` for B). Run A: one backend, autocannon at ${CONNECTIONS} connections for ${SECONDS} s, every request for the 24 h timeline of the next entity, round robin (\`accept-encoding: gzip\`, the guest token). Run B: two backend processes with the same \`backend.database\`, the same load split between them: two autocannon runs at the same time, ${
      CONNECTIONS / 2
    } connections each, the same duration and the same rotation (both start with the first entity). Upstream calls: counted by the sandbox (its own process, demo scenario, no added latency) from the start of the load to a second after its end, over both replicas in B; latency from sending a request to its last byte (no decompression). Refresh settings of the bench backends: freshness 1 h, pre-warming off, so every upstream call is a cold fetch a request asked for. Both runs start cold: their first seconds, until every entity's feeds are fetched, are requests waiting for those fetches, and the p97.5 includes them.`,
  );
  say();
  say(
    '| Run | Replicas | Requests | req/s | p50 | p97.5 | Upstream calls | Upstream calls per entity | Answers |',
  );
  say('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const [a] = one.loads;
  say(
    `| A | 1 | ${a.requests} | ${a.reqPerSec.toFixed(0)} | ${ms(a.p50)} | ${ms(
      a.p97_5,
    )} | ${one.upstreamCalls} | ${(one.upstreamCalls / ENTITIES).toFixed(
      1,
    )} | ${describeAnswers(a)} |`,
  );
  two.loads.forEach((l, i) => {
    say(
      `| B, replica ${i + 1} | 1 of 2 | ${l.requests} | ${l.reqPerSec.toFixed(
        0,
      )} | ${ms(l.p50)} | ${ms(
        l.p97_5,
      )} | (counted over both) | | ${describeAnswers(l)} |`,
    );
  });
  const requestsB = two.loads.reduce((s, l) => s + l.requests, 0);
  const reqPerSecB = two.loads.reduce((s, l) => s + l.reqPerSec, 0);
  const statusesB: Record<string, number> = {};
  let errorsB = 0;
  for (const l of two.loads) {
    for (const [s, n] of Object.entries(l.statuses))
      statusesB[s] = (statusesB[s] ?? 0) + n;
    errorsB += l.errors;
  }
  say(
    `| B, both | 2 | ${requestsB} | ${reqPerSecB.toFixed(
      0,
    )} | (per replica above) | (per replica above) | ${two.upstreamCalls} | ${(
      two.upstreamCalls / ENTITIES
    ).toFixed(1)} | ${describeAnswers({
      ...two.loads[0],
      statuses: statusesB,
      errors: errorsB,
    })} |`,
  );
  say();
  say(
    `Upstream calls B / A: ${ratio(
      two.upstreamCalls,
      one.upstreamCalls,
    )} (goal: about 1, the lease making two replicas fetch what one fetches).`,
  );
  const served = two.loads.map(ok200);
  say(
    served.every(n => n > 0)
      ? `Both replicas served: ${served
          .map((n, i) => `replica ${i + 1} answered ${n} × 200`)
          .join(', ')}.`
      : `**Not both replicas served:** ${served
          .map((n, i) => `replica ${i + 1} answered ${n} × 200`)
          .join(', ')}.`,
  );
}

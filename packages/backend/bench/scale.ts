/*
 * The scale part of the DASH backend benchmark (issue 13): scheduled pre-warming of 1,000
 * entities (BENCH_SCALE_SIZES=1000,10000 for more sizes) across four sources (GitHub, PagerDuty,
 * Grafana, Kibana) against realistic rate budgets.
 *
 * The upstream sandbox (in this process) serves its scale scenario and enforces PagerDuty's 960
 * requests per minute and GitHub's 5,000 per hour per token, in fixed windows, answering 429
 * (PagerDuty) and 403 (GitHub) past them. The backend (bench/scaleBackend.ts: the DASH backend
 * and the four modules over a static catalog, on PostgreSQL) pre-warms with the guard budgets
 * the READMEs advise: PagerDuty 800 per minute, GitHub 80 per minute (4,800 per hour), each
 * with its default burst (a sixth of a minute's budget), so that no budget window sees more
 * than its limit, burst included.
 *
 * At those budgets GitHub alone needs hours for 1,000 entities, so time is scaled by a factor k:
 * the sandbox's budget windows last 1/k of their real length (`rateLimits.windowScale`), the
 * guards get k times their budgets (but the same bursts, a number of calls), more calls in
 * flight (GUARD_CONCURRENCY: each lasts k times longer in scaled time) and a k times shorter
 * budget wait. Figures that depend on the budgets are given in scaled time
 * (real seconds × k); what is measured against the goal, time to all fresh over the least time
 * the budgets allow, does not depend on k while the budgets, not the CPU, are what limits. k is
 * chosen per size so that the budgets' minimum lasts about TARGET_REAL_SECONDS of real time.
 *
 * Reported per size: time from the first upstream call to every feed fetched, against the
 * budgets' minimum (each budgeted upstream's calls divided by its budget; the largest); the
 * most calls any budget window of each upstream saw (from counters sampled every 50 ms), and the
 * refusals (429/403) the sandbox answered; database size (PostgreSQL, this plugin's database,
 * after minus before) per 1,000 entities per day of events; the backend's peak and final RSS and
 * its CPU seconds. Skipped when nothing answers on 127.0.0.1:5432.
 */
import { startSandbox, Sandbox } from '@dash-suite/upstream-sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { sandboxConfig } from '../src/__testUtils__/sandboxConfig';
import { startBackend } from './lib/backendProcess';
import { cpuSeconds } from './lib/cpu';
import { reachable } from './lib/net';
import { PG, dropDatabases } from './lib/postgres';

const PREFIX = 'dash_bench_scale_';
const SOURCES = 4;
const EVENTS_PER_DAY = 20;
/**
 * GitHub calls per second (real) that its scaled budget allows: k follows from it. Kept below
 * what the sandbox and the backend can serve on two cores, so that the budget, not the CPU,
 * is what limits.
 */
const GITHUB_REAL_RATE = Number(process.env.BENCH_SCALE_GITHUB_RATE ?? 40);
/** Pre-warm workers per source. */
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 8);
/** Calls in flight per source (the default 4 at real latencies; see the guard setting). */
const GUARD_CONCURRENCY = 64;
/**
 * The longest one size may take (real): 10 minutes, or 0.3 s per entity when more (10,000
 * entities need about 38 minutes of GitHub's scaled budget); BENCH_SCALE_MAX_MINUTES caps it.
 */
const maxRunMs = (entities: number) =>
  process.env.BENCH_SCALE_MAX_MINUTES
    ? Number(process.env.BENCH_SCALE_MAX_MINUTES) * 60_000
    : Math.max(10 * 60_000, entities * 300);
const SAMPLE_MS = 50;

/** Upstream budgets (per token) and what the backend's guards are given. */
const BUDGETS = {
  pagerduty: { limit: 960, windowMs: 60_000, guardPerMinute: 800 },
  github: { limit: 5000, windowMs: 3600_000, guardPerMinute: 80 },
} as const;
/**
 * The guards' default burst at those budgets (a sixth of a minute's), not scaled: it is a
 * number of calls, not a time.
 */
const burstOf = (u: Budgeted) => Math.ceil(BUDGETS[u].guardPerMinute / 6);
type Budgeted = keyof typeof BUDGETS;
const UPSTREAMS = ['github', 'pagerduty', 'grafana', 'kibana', 'elasticsearch'];

export interface ScaleResult {
  entities: number;
  k: number;
  feeds: number;
  fresh: number;
  /** Real ms from the first upstream call to the last feed fetched (or the give-up time). */
  realMs: number;
  /** Real ms the budgets allow at least. */
  minimumRealMs: number;
  calls: Record<string, number>;
  /** Most calls within one (scaled) budget window, per budgeted upstream. */
  peak: Record<Budgeted, number>;
  refusals: Record<string, number>;
  events: number;
  dbBytes: number;
  rssPeakBytes?: number;
  rssBytes?: number;
  cpuSeconds?: number;
}

function total(routes: Record<string, number> | undefined): number {
  return Object.values(routes ?? {}).reduce((a, c) => a + c, 0);
}

function writeEntities(sandbox: Sandbox, dir: string): string {
  const file = path.join(dir, 'scale-entities.json');
  const entities = sandbox.scenario.services.map(s => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: s.name,
      namespace: 'default',
      annotations: s.annotations,
    },
    spec: { type: 'service', lifecycle: 'production', owner: s.owner },
  }));
  fs.writeFileSync(file, JSON.stringify(entities));
  return file;
}

function memory(pid: number): { peak?: number; now?: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) * 1024 : undefined;
    };
    return { peak: kb('VmHWM'), now: kb('VmRSS') };
  } catch {
    return {};
  }
}

/** The most calls in any window of `windowMs` (real), from cumulative samples. */
function peakInWindow(samples: Array<[number, number]>, windowMs: number) {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < samples.length; end++) {
    while (samples[end][0] - samples[start][0] > windowMs) start++;
    // Calls between two samples at most a window apart (a lower bound by at most one sample
    // interval's calls; the sandbox's own fixed windows are exact, see the refusals).
    peak = Math.max(peak, samples[end][1] - samples[start][1]);
  }
  return peak;
}

async function runSize(
  entities: number,
  log: (m: string) => void,
): Promise<ScaleResult> {
  const k = Math.max(
    1,
    Math.round((GITHUB_REAL_RATE * 60) / BUDGETS.github.guardPerMinute),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-bench-scale-'));
  log(`scale: ${entities} entities, time scaled ${k}×; starting the sandbox`);
  const sandbox = await startSandbox({
    scenario: 'scale',
    services: entities,
    eventsPerDay: EVENTS_PER_DAY,
    days: 2,
    seed: 13,
    rateLimits: {
      pagerdutyPerMinute: BUDGETS.pagerduty.limit,
      githubPerHour: BUDGETS.github.limit,
      windowScale: k,
    },
  });
  const client = new Client({ connectionString: `${PG}/postgres` });
  let backend: Awaited<ReturnType<typeof startBackend>> | undefined;
  try {
    await dropDatabases([PREFIX]);
    const file = writeEntities(sandbox, dir);
    const sources = sandboxConfig(sandbox).dash.sources;
    backend = await startBackend({
      sandbox,
      database: { client: 'pg', connection: PG, prefix: PREFIX },
      entitiesFile: file,
      dir,
      entry: 'bench/scaleBackend.ts',
      extra: { benchCatalog: { file }, permission: { enabled: false } },
      dash: {
        // In scaled time every call lasts k times longer, so as many more may be in flight.
        guard: { concurrency: GUARD_CONCURRENCY, queue: 1000 },
        sources: {
          ...sources,
          github: {
            ...sources.github,
            guard: {
              requestsPerMinute: BUDGETS.github.guardPerMinute * k,
              burst: burstOf('github'),
            },
          },
          pagerduty: {
            ...sources.pagerduty,
            guard: {
              requestsPerMinute: BUDGETS.pagerduty.guardPerMinute * k,
              burst: burstOf('pagerduty'),
            },
          },
        },
        refresh: {
          // A call waits for budget at most this long, as the default 2.5 s in scaled time.
          maxWaitMs: Math.max(1, Math.round(2500 / k)),
          freshnessSeconds: 3600,
          prewarm: {
            enabled: true,
            // A run stops starting refreshes after 9 minutes (its 10-minute timeout): the next
            // one follows at once, as at the default 5 minutes when a run takes longer.
            frequency: { seconds: 30 },
            windowHours: 24,
            concurrency: CONCURRENCY,
            // The first run starts a second after the backend (default 15 s): the figures are
            // counted from the first upstream call, not from the backend's start.
            initialDelaySeconds: 1,
          },
        },
        liveWatch: { intervalSeconds: 0 },
      },
    });
    await client.connect();
    const database = `${PREFIX}dash`;
    const dbSize = async () =>
      Number(
        (await client.query('SELECT pg_database_size($1) AS size', [database]))
          .rows[0].size,
      );
    const sizeBefore = await dbSize();
    const feedsDb = new Client({ connectionString: `${PG}/${database}` });
    await feedsDb.connect();
    try {
      const feeds = entities * SOURCES;
      const series: Record<string, Array<[number, number]>> = {};
      let firstCallMs: number | undefined;
      let lastFreshMs: number | undefined;
      let fresh = 0;
      const deadline = Date.now() + maxRunMs(entities);
      let nextCheck = 0;
      let nextProgress = 0;
      log(
        `scale: waiting for the pre-warm task (starts 1 s after the backend)`,
      );
      while (Date.now() < deadline) {
        const now = Date.now();
        const counters = sandbox.counters();
        for (const u of UPSTREAMS) {
          (series[u] ??= []).push([now, total(counters[u as 'github'])]);
        }
        if (
          firstCallMs === undefined &&
          UPSTREAMS.some(u => total(counters[u as 'github']) > 0)
        )
          firstCallMs = now;
        if (firstCallMs !== undefined && now >= nextCheck) {
          nextCheck = now + 1000;
          const { rows } = await feedsDb.query(
            'SELECT count(*) AS n FROM dash_feeds WHERE fetched_ms IS NOT NULL',
          );
          fresh = Number(rows[0].n);
          if (now >= nextProgress) {
            nextProgress = now + 10_000;
            log(
              `scale: ${fresh}/${feeds} feeds fetched after ${Math.round(
                (now - firstCallMs) / 1000,
              )} s; calls ${UPSTREAMS.map(
                u => `${u} ${total(counters[u as 'github'])}`,
              ).join(', ')}`,
            );
          }
          if (fresh >= feeds) {
            lastFreshMs = Date.now();
            break;
          }
        }
        await new Promise(r => setTimeout(r, SAMPLE_MS));
      }
      const end = lastFreshMs ?? Date.now();
      const start = firstCallMs ?? end;
      const counters = sandbox.counters();
      const calls = Object.fromEntries(
        UPSTREAMS.map(u => [u, total(counters[u as 'github'])]),
      );
      const minimumRealMs = Math.max(
        ...(Object.keys(BUDGETS) as Budgeted[]).map(
          u => (calls[u] / BUDGETS[u].limit) * (BUDGETS[u].windowMs / k),
        ),
      );
      const peak = Object.fromEntries(
        (Object.keys(BUDGETS) as Budgeted[]).map(u => [
          u,
          peakInWindow(series[u] ?? [], BUDGETS[u].windowMs / k),
        ]),
      ) as Record<Budgeted, number>;
      const statuses = sandbox.statuses();
      const refusals = Object.fromEntries(
        UPSTREAMS.map(u => [
          u,
          Number(statuses[u as 'github']?.['429'] ?? 0) +
            Number(statuses[u as 'github']?.['403'] ?? 0),
        ]),
      );
      const events = Number(
        (await feedsDb.query('SELECT count(*) AS n FROM dash_events')).rows[0]
          .n,
      );
      const mem = memory(backend.pid);
      return {
        entities,
        k,
        feeds,
        fresh,
        realMs: end - start,
        minimumRealMs,
        calls,
        peak,
        refusals,
        events,
        dbBytes: (await dbSize()) - sizeBefore,
        rssPeakBytes: mem.peak,
        rssBytes: mem.now,
        cpuSeconds: cpuSeconds(backend.pid),
      };
    } finally {
      await feedsDb.end();
    }
  } finally {
    await client.end().catch(() => undefined);
    await backend?.stop();
    await sandbox.stop();
    await dropDatabases([PREFIX]).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes?: number) =>
  bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Scaled duration: real ms × k, as minutes or hours. */
function scaled(realMs: number, k: number): string {
  const s = (realMs * k) / 1000;
  return s >= 3600
    ? `${(s / 3600).toFixed(2)} h`
    : `${(s / 60).toFixed(1)} min`;
}

export async function scaleBench(
  say: (line?: string) => void,
  log: (m: string) => void,
): Promise<void> {
  say('## Scale: pre-warming against realistic budgets');
  say();
  if (!(await reachable(5432))) {
    say('Not measured: nothing answered on 127.0.0.1:5432 (PostgreSQL).');
    return;
  }
  // 10,000 entities: the sandbox cannot serve them yet (packages/backend's README, "Scale").
  const sizes = (process.env.BENCH_SCALE_SIZES ?? '1000')
    .split(',')
    .map(Number)
    .filter(n => n > 0);
  const results: ScaleResult[] = [];
  for (const n of sizes) {
    const r = await runSize(n, log);
    results.push(r);
    log(
      `scale: ${n} entities: ${r.fresh}/${r.feeds} feeds fresh in ${(
        r.realMs / 1000
      ).toFixed(1)} s real, minimum ${(r.minimumRealMs / 1000).toFixed(1)} s`,
    );
  }
  say(
    `The sandbox's scale scenario (${EVENTS_PER_DAY} events per service per day per upstream), one Component per service with all four sources' annotations, pre-warmed by the scheduled task (\`prewarm.concurrency: ${CONCURRENCY}\` per source, 24 h window) of a backend with the DASH plugin and its four modules over a static catalog, on PostgreSQL. Budgets: PagerDuty 960 per minute and GitHub 5,000 per hour, enforced by the sandbox in fixed windows; the guards get 800 and 80 per minute, with their default bursts (134 and 14 calls). Time is scaled by k (the budget windows last 1/k; the guards get k times the budget), so durations are given in scaled time; the ratio does not depend on k.`,
  );
  say();
  say(
    "| Entities | k | Feeds fetched | Time to all fresh | Budgets' minimum | Ratio (goal ≤ 1.2) | Calls GitHub / PagerDuty / Grafana / Kibana+ES | Peak GitHub per hour / PagerDuty per minute | Refusals (429/403) | Events | Database per 1,000 entities per day | Backend RSS peak / end | Backend CPU |",
  );
  say(
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const r of results) {
    const refused = Object.values(r.refusals).reduce((a, c) => a + c, 0);
    say(
      `| ${r.entities.toLocaleString('en-US')} | ${r.k} | ${r.fresh} / ${
        r.feeds
      } | ${scaled(r.realMs, r.k)} (${(r.realMs / 1000).toFixed(
        0,
      )} s real) | ${scaled(r.minimumRealMs, r.k)} | ${(
        r.realMs / r.minimumRealMs
      ).toFixed(2)} | ${r.calls.github} / ${r.calls.pagerduty} / ${
        r.calls.grafana
      } / ${r.calls.kibana + r.calls.elasticsearch} | ${
        r.peak.github
      } of 5,000 / ${
        r.peak.pagerduty
      } of 960 | ${refused} | ${r.events.toLocaleString('en-US')} | ${mb(
        r.dbBytes / (r.entities / 1000),
      )} | ${mb(r.rssPeakBytes)} / ${mb(r.rssBytes)} | ${
        r.cpuSeconds?.toFixed(0) ?? 'n/a'
      } s |`,
    );
  }
}

/*
 * Benchmarks of Project Catalog (`npm run bench`), against real backend processes
 * (bench/projectCatalogBackend.ts) on SQLite. Not timed tests: figures are printed and written to
 * artifacts/bench/project-catalog.md with the command.
 *
 *  1. Catalog processing of PC_BENCH_ENTITIES (1,000; 10,000 for the figures in the Project
 *     Catalog backend's README, about 25 minutes) entities with PC_BENCH_OVERLAYS (a tenth of them)
 *     UI edits, with and without the catalog module of Project Catalog: a backend starts on a
 *     fresh catalog whose Project Catalog database already holds the edits, and the bench times
 *     the first full processing pass over every entity (first to last call of a counting
 *     processor) and the wall time until the catalog serves them all. Both runs start from the
 *     same files; only the module that merges the edits differs. PC_BENCH_RUNS (1) runs of each,
 *     alternating.
 *  2. In the demo's setting (the demo catalog, the search collator every 30 s): how long until an
 *     edit is seen by a catalog filter query and by Backstage search, over PC_BENCH_EDITS (2) edits.
 *
 *  0. The overlay processor alone, in this process: preProcessEntity over the same entities
 *     with a snapshot of the same overlays, against a processor that returns the entity, median of
 *     5 rounds: what the module adds per entity, without the catalog's own noise.
 *
 * PC_BENCH_ONLY=processor or PC_BENCH_ONLY=latency runs only that part.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { STOP_GRACE_MS } from './lib/backendProcess';
import { freePort } from './lib/net';
import { Entity } from '@backstage/catalog-model';
import { ProjectCatalogOverlayProcessor } from '@dash-suite/plugin-catalog-backend-module-project-catalog';

const repoRoot = path.resolve(__dirname, '../../..');
const COMMAND = `${[
  'PC_BENCH_ENTITIES',
  'PC_BENCH_OVERLAYS',
  'PC_BENCH_RUNS',
  'PC_BENCH_EDITS',
  'PC_BENCH_ONLY',
]
  .filter(name => process.env[name])
  .map(name => `${name}=${process.env[name]} `)
  .join('')}npm run bench -w packages/backend`;
// 1,000 entities and one run each way by default keep the whole `npm run bench` near 20 minutes
// on a 2-core machine.
const ENTITIES = Number(process.env.PC_BENCH_ENTITIES ?? 1000);
const OVERLAYS = Number(
  process.env.PC_BENCH_OVERLAYS ?? Math.max(1, Math.floor(ENTITIES / 10)),
);
const RUNS = Number(process.env.PC_BENCH_RUNS ?? 1);
const EDITS = Number(process.env.PC_BENCH_EDITS ?? 2);

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Backend {
  url: string;
  token: string;
  /** `[pc-bench] pass=N ms=M` lines: pass number, duration, arrival time. */
  passes: Array<{ pass: number; ms: number; at: number }>;
  stop(): Promise<void>;
}

async function startBackend(options: {
  dir: string;
  withModule: boolean;
  locations: string[];
  searchEverySeconds: number;
  /** An existing data folder (the SQLite files); a new one when absent. */
  data?: string;
  processingIntervalSeconds?: number;
}): Promise<Backend> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const data = options.data ?? fs.mkdtempSync(path.join(options.dir, 'data-'));
  const config = {
    app: { baseUrl: url },
    backend: {
      baseUrl: url,
      listen: { port, host: '127.0.0.1' },
      database: { client: 'better-sqlite3', connection: { directory: data } },
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
      ...(options.processingIntervalSeconds
        ? { processingInterval: { seconds: options.processingIntervalSeconds } }
        : {}),
      rules: [
        {
          allow: [
            'Component',
            'System',
            'Group',
            'User',
            'Location',
            'Domain',
            'API',
            'Resource',
          ],
        },
      ],
      locations: options.locations.map(target => ({ type: 'file', target })),
    },
    search: {
      collators: {
        catalog: {
          schedule: {
            frequency: { seconds: options.searchEverySeconds },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 3 },
          },
        },
      },
    },
  };
  const configFile = path.join(options.dir, `app-config.${port}.json`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const passes: Backend['passes'] = [];
  const output: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'bench/projectCatalogBackend.ts',
      '--config',
      configFile,
    ],
    {
      cwd: path.join(repoRoot, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PC_BENCH_ENTITIES: String(ENTITIES),
        PC_BENCH_WITH_MODULE: options.withModule ? '1' : '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', d => {
    for (const line of String(d).split('\n')) {
      const m = /\[pc-bench\] pass=(\d+) ms=(\d+)/.exec(line);
      if (m) passes.push({ pass: +m[1], ms: +m[2], at: Date.now() });
      else if (line) output.push(line);
    }
  });
  child.stderr!.on('data', d => output.push(String(d)));
  const stop = async () => {
    child.kill('SIGTERM');
    await Promise.race([
      new Promise(r => child.once('exit', r)),
      sleep(STOP_GRACE_MS).then(() => child.kill('SIGKILL')),
    ]);
  };
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/api/auth/guest/refresh`, {
        method: 'POST',
      });
      if (res.ok) {
        const token = (await res.json()).backstageIdentity.token;
        return { url, token, passes, stop };
      }
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  await stop();
  throw new Error(
    `The bench backend did not start:\n${output.slice(-30).join('\n')}`,
  );
}

const benchName = (i: number) => `bench-${String(i).padStart(5, '0')}`;

/**
 * The Project Catalog database of a data folder, holding OVERLAYS edits before any start: the
 * plugin's own migrations (its published `migrations/` folder), then the rows a PATCH writes.
 */
async function seedOverlays(data: string): Promise<void> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(data, 'project-catalog.sqlite') },
    useNullAsDefault: true,
  });
  try {
    await knex.migrate.latest({
      directory: path.join(
        path.dirname(
          require.resolve(
            '@dash-suite/plugin-project-catalog-backend/package.json',
          ),
        ),
        'migrations',
      ),
    });
    const now = Date.now();
    const actor = 'user:default/bench';
    await knex.transaction(async trx => {
      for (let i = 0; i < OVERLAYS; i++) {
        const entityRef = `component:default/${benchName(
          i * Math.floor(ENTITIES / OVERLAYS),
        )}`;
        const set = {
          tags: ['bench', `t${i % 50}`],
          tier: String(1 + (i % 3)),
        };
        await trx('pc_entities').insert({
          entity_ref: entityRef,
          origin: 'catalog',
          version: 1,
          created_by: actor,
          created_ms: now,
          updated_by: actor,
          updated_ms: now,
        });
        await trx('pc_fields').insert(
          Object.entries(set).map(([field, value]) => ({
            entity_ref: entityRef,
            field,
            value: JSON.stringify(value),
            updated_by: actor,
            updated_ms: now,
          })),
        );
      }
      await trx('pc_revision').where('id', 1).update({ revision: OVERLAYS });
    });
  } finally {
    await knex.destroy();
  }
}

function api(b: Backend, pathname: string, init: RequestInit = {}) {
  return fetch(`${b.url}${pathname}`, {
    ...init,
    headers: {
      authorization: `Bearer ${b.token}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
}

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  everyMs: number,
  fn: () => Promise<T | undefined>,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > until)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function componentCount(b: Backend, prefix: string): Promise<number> {
  const res = await api(
    b,
    `/api/catalog/entities/by-query?limit=1&filter=kind=component&fullTextFilterTerm=${prefix}&fullTextFilterFields=metadata.name`,
  );
  return res.ok ? (await res.json()).totalItems : 0;
}

function writeEntities(dir: string): string {
  const file = path.join(dir, 'bench-entities.yaml');
  const docs: string[] = [];
  for (let i = 0; i < ENTITIES; i++) {
    docs.push(
      JSON.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `bench-${String(i).padStart(5, '0')}`,
          description: `Bench service ${i}`,
        },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: `group:default/team-${i % 20}`,
        },
      }),
    );
  }
  fs.writeFileSync(file, docs.join('\n---\n'));
  return file;
}

/** Part 0: the processor's own cost per entity, in this process. */
async function processorRun() {
  const entities: Entity[] = Array.from({ length: ENTITIES }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: benchName(i), namespace: 'default', tags: ['go'] },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-0',
    },
  }));
  const overlays = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < OVERLAYS; i++) {
    overlays.set(
      `component:default/${benchName(i * Math.floor(ENTITIES / OVERLAYS))}`,
      {
        description: `Edited ${i}`,
        tier: String(1 + (i % 3)),
        'annotation:github.com/project-slug': `acme/bench-${i}`,
      },
    );
  }
  const snapshot = { loaded: true, overlays, projects: [] };
  const processor = new ProjectCatalogOverlayProcessor({
    cache: { get: async () => snapshot },
  });
  const emit = () => {};
  const time = async (fn: (e: Entity) => Promise<Entity>) => {
    const t = performance.now();
    for (const e of entities) await fn(e);
    return performance.now() - t;
  };
  const plain: number[] = [];
  const merged: number[] = [];
  for (let round = 0; round < 6; round++) {
    const a = await time(async e => e);
    const b = await time(e => processor.preProcessEntity(e, {} as any, emit));
    if (round > 0) {
      // round 0 warms up the JIT
      plain.push(a);
      merged.push(b);
    }
  }
  return { plainMs: median(plain), processorMs: median(merged) };
}

/** One run of part 1: the first full pass over every entity, and the time to serve them all. */
async function processingRun(dir: string, file: string, withModule: boolean) {
  const label = withModule ? 'with the module' : 'without the module';
  const data = fs.mkdtempSync(path.join(dir, 'data-'));
  await seedOverlays(data);
  const started = Date.now();
  const b = await startBackend({
    dir,
    data,
    withModule,
    locations: [file],
    searchEverySeconds: 3600,
  });
  try {
    const pass = await waitFor(
      'the first full processing pass',
      30 * 60_000,
      1000,
      async () => (b.passes.length ? b.passes[0] : undefined),
    );
    await waitFor(
      `${ENTITIES} entities in the catalog`,
      10 * 60_000,
      1000,
      async () =>
        (await componentCount(b, 'bench-')) >= ENTITIES ? true : undefined,
    );
    const servedS = (Date.now() - started) / 1000;
    let merged: number | undefined;
    if (withModule) {
      merged = await waitFor('the edits merged', 120_000, 1000, async () => {
        const res = await api(
          b,
          '/api/catalog/entities/by-query?limit=1&filter=metadata.tags=bench',
        );
        const n = (await res.json()).totalItems as number;
        return n >= OVERLAYS ? n : undefined;
      });
    }
    log(
      `  ${label}: first pass ${
        pass.ms
      } ms, all ${ENTITIES} served after ${servedS.toFixed(0)} s`,
    );
    return { passMs: pass.ms, servedS, merged };
  } finally {
    await b.stop();
  }
}

async function latencyRun(dir: string) {
  log(
    'Edit latency in the demo setting (demo catalog, search collator every 30 s)',
  );
  const b = await startBackend({
    dir,
    withModule: true,
    locations: [path.join(repoRoot, 'catalog-info/all.yaml')],
    searchEverySeconds: 30,
  });
  const catalogMs: number[] = [];
  const searchMs: number[] = [];
  try {
    const path0 =
      '/api/project-catalog/projects/component/default/notification-service';
    await waitFor('the demo catalog', 120_000, 500, async () => {
      const res = await api(b, path0);
      return res.ok ? true : undefined;
    });
    for (let i = 0; i < EDITS; i++) {
      // notification-service's YAML defines no title: the UI owns it.
      const title = `Notifications ${Date.now().toString(36)}`;
      const view = await (await api(b, path0)).json();
      const t0 = Date.now();
      const res = await api(b, path0, {
        method: 'PATCH',
        body: JSON.stringify({ version: view.version, set: { title } }),
      });
      if (!res.ok) throw new Error(`PATCH: ${res.status} ${await res.text()}`);
      await waitFor('the edit in the catalog', 60_000, 100, async () => {
        const r = await api(
          b,
          `/api/catalog/entities/by-query?limit=1&filter=${encodeURIComponent(
            `metadata.title=${title}`,
          )}`,
        );
        return (await r.json()).totalItems === 1 ? true : undefined;
      });
      catalogMs.push(Date.now() - t0);
      await waitFor('the edit in search', 180_000, 500, async () => {
        const r = await api(
          b,
          `/api/search/query?term=${encodeURIComponent(title)}`,
        );
        const results: Array<{ document: { title: string } }> =
          (await r.json()).results ?? [];
        return results.some(x => x.document.title === title) ? true : undefined;
      });
      searchMs.push(Date.now() - t0);
      log(
        `  edit ${i + 1}: catalog ${catalogMs.at(-1)} ms, search ${searchMs.at(
          -1,
        )} ms`,
      );
    }
  } finally {
    await b.stop();
  }
  return { catalogMs, searchMs };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-bench-'));
  const lines: string[] = [
    '# Project Catalog benchmarks',
    '',
    `Command: \`${COMMAND}\` (bench/projectCatalog.bench.ts). ${new Date().toISOString()}, ${
      os.cpus().length
    } cores, Node ${process.version}, SQLite.`,
    '',
  ];
  try {
    const only = process.env.PC_BENCH_ONLY;
    if (!only || only === 'processor') {
      const p = await processorRun();
      const perEntityUs = ((p.processorMs - p.plainMs) * 1000) / ENTITIES;
      lines.push(
        `## The overlay processor alone: ${ENTITIES.toLocaleString(
          'en-US',
        )} entities, ${OVERLAYS.toLocaleString('en-US')} overlays`,
        '',
        'preProcessEntity over every entity with the snapshot in memory (what runs in each processing pass), median of 5 rounds after a warm-up, against a pass-through.',
        '',
        `| pass-through | overlay processor | added per entity |`,
        '| --- | --- | --- |',
        `| ${p.plainMs.toFixed(1)} ms | ${p.processorMs.toFixed(
          1,
        )} ms | ${perEntityUs.toFixed(1)} µs |`,
        '',
      );
    }
    if (!only) {
      const file = writeEntities(dir);
      const runs: Array<{
        withModule: boolean;
        passMs: number;
        servedS: number;
        merged?: number;
      }> = [];
      for (let r = 0; r < RUNS; r++) {
        for (const withModule of [false, true]) {
          log(
            `Processing ${ENTITIES} entities, run ${r + 1} of ${RUNS}, ${
              withModule ? 'with' : 'without'
            } the module`,
          );
          runs.push({
            withModule,
            ...(await processingRun(dir, file, withModule)),
          });
        }
      }
      const of = (w: boolean) => runs.filter(r => r.withModule === w);
      const a = median(of(false).map(r => r.passMs));
      const b = median(of(true).map(r => r.passMs));
      const row = (w: boolean) =>
        `| ${w ? 'with' : 'without'} the module | ${of(w)
          .map(r => (r.passMs / 1000).toFixed(1))
          .join(', ')} s | ${(median(of(w).map(r => r.passMs)) / 1000).toFixed(
          1,
        )} s | ${of(w)
          .map(r => r.servedS.toFixed(0))
          .join(', ')} s |`;
      lines.push(
        `## Catalog processing: ${ENTITIES.toLocaleString(
          'en-US',
        )} entities, ${OVERLAYS.toLocaleString('en-US')} with UI edits`,
        '',
        `A backend starts on a fresh catalog of ${ENTITIES.toLocaleString(
          'en-US',
        )} Components whose Project Catalog database already holds ${OVERLAYS.toLocaleString(
          'en-US',
        )} edits (tags and tier). The pass is the first full processing pass (first to last entity through a counting processor); "served" is the wall time from start until the catalog answers for all of them. ${RUNS} runs each, alternating.`,
        '',
        '| | first pass, each run | median pass | all served after |',
        '| --- | --- | --- | --- |',
        row(false),
        row(true),
        '',
        `Difference of the medians, with minus without: ${(
          (b - a) /
          1000
        ).toFixed(1)} s (${(((b - a) / a) * 100).toFixed(
          1,
        )} %); the spread between runs of one configuration is ${(
          (Math.max(
            ...runs.map(r =>
              Math.abs(r.passMs - median(of(r.withModule).map(x => x.passMs))),
            ),
          ) *
            2) /
          1000
        ).toFixed(
          1,
        )} s, so a difference smaller than that is noise (the processor's own cost is in the section above). Entities carrying an edited tag with the module: ${of(
          true,
        )
          .map(r => r.merged)
          .join(', ')} of ${OVERLAYS}.`,
        '',
      );
    }
    if (!only || only === 'latency') {
      const latency = await latencyRun(dir);
      lines.push(
        '## Edit to catalog and to search, in the demo setting',
        '',
        `The demo catalog, the search collator every 30 s (as in app-config.yaml); ${EDITS} edits of notification-service's title (its YAML defines none), each polled until a catalog filter query (every 100 ms) and Backstage search (every 500 ms) find it.`,
        '',
        '| | each edit (ms) | median | max |',
        '| --- | --- | --- | --- |',
        `| catalog filter | ${latency.catalogMs.join(', ')} | ${median(
          latency.catalogMs,
        )} ms | ${Math.max(...latency.catalogMs)} ms |`,
        `| search | ${latency.searchMs.join(', ')} | ${(
          median(latency.searchMs) / 1000
        ).toFixed(1)} s | ${(Math.max(...latency.searchMs) / 1000).toFixed(
          1,
        )} s |`,
        '',
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const report = lines.join('\n');
  fs.mkdirSync(path.join(repoRoot, 'artifacts/bench'), { recursive: true });
  fs.writeFileSync(
    path.join(repoRoot, 'artifacts/bench/project-catalog.md'),
    report,
  );
  process.stdout.write(`${report}\n`);
}

main().catch(error => {
  log(String(error?.stack ?? error));
  process.exit(1);
});

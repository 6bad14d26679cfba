/*
 * Benchmarks of Project Catalog (`npm run bench`), against real backend processes
 * (bench/projectCatalogBackend.ts) on SQLite. Not timed tests: figures are printed and written to
 * artifacts/bench/project-catalog.md with the command.
 *
 *  1. Catalog processing of PC_BENCH_ENTITIES (10,000) entities with PC_BENCH_OVERLAYS (1,000)
 *     UI edits, with and without the catalog module of Project Catalog: the time of a full
 *     processing pass (the catalog reprocesses continuously, processingInterval 1 s), median of
 *     PC_BENCH_PASSES passes after the edits were made, and the difference per pass and per
 *     entity. Both runs write the same edits to the Project Catalog backend; only the module that
 *     merges them differs.
 *  2. In the demo's setting (the demo catalog, the search collator every 30 s): how long until an
 *     edit is seen by a catalog filter query and by Backstage search, over PC_BENCH_EDITS edits.
 *
 * PC_BENCH_ONLY=latency runs only the second part.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
const COMMAND = 'npm run bench -w packages/backend';
const ENTITIES = Number(process.env.PC_BENCH_ENTITIES ?? 10000);
const OVERLAYS = Number(process.env.PC_BENCH_OVERLAYS ?? 1000);
const PASSES = Number(process.env.PC_BENCH_PASSES ?? 3);
const EDITS = Number(process.env.PC_BENCH_EDITS ?? 5);

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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
}): Promise<Backend> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const data = fs.mkdtempSync(path.join(options.dir, 'data-'));
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
      processingInterval: { seconds: 1 },
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
      sleep(10_000).then(() => child.kill('SIGKILL')),
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

/** One run of part 1: the median pass after the overlays were written, and the write p50. */
async function processingRun(dir: string, file: string, withModule: boolean) {
  const label = withModule ? 'with the module' : 'without the module';
  log(`Processing ${ENTITIES} entities ${label}: starting`);
  const b = await startBackend({
    dir,
    withModule,
    locations: [file],
    searchEverySeconds: 3600,
  });
  try {
    const started = Date.now();
    await waitFor(
      `${ENTITIES} entities in the catalog`,
      20 * 60_000,
      2000,
      async () =>
        (await componentCount(b, 'bench-')) >= ENTITIES ? true : undefined,
    );
    log(
      `  ${label}: ${ENTITIES} entities ingested in ${(
        (Date.now() - started) /
        1000
      ).toFixed(0)} s`,
    );
    const writes: number[] = [];
    for (let i = 0; i < OVERLAYS; i++) {
      const name = `bench-${String(
        i * Math.floor(ENTITIES / OVERLAYS),
      ).padStart(5, '0')}`;
      const t = performance.now();
      const res = await api(
        b,
        `/api/project-catalog/projects/component/default/${name}`,
        {
          method: 'PATCH',
          body: JSON.stringify({
            version: 0,
            set: { tags: ['bench', `t${i % 50}`], tier: String(1 + (i % 3)) },
          }),
        },
      );
      writes.push(performance.now() - t);
      if (!res.ok)
        throw new Error(`PATCH ${name}: ${res.status} ${await res.text()}`);
    }
    const seeded = Date.now();
    log(
      `  ${label}: ${OVERLAYS} edits written (p50 ${median(writes).toFixed(
        1,
      )} ms)`,
    );
    // Passes that started after the edits: skip the one under way, then take PASSES of them.
    const after = await waitFor(
      `${PASSES + 1} passes after the edits`,
      30 * 60_000,
      1000,
      async () => {
        const done = b.passes.filter(p => p.at - p.ms > seeded);
        return done.length >= PASSES ? done.slice(0, PASSES) : undefined;
      },
    );
    let merged: number | undefined;
    if (withModule) {
      merged = await componentCount(b, 'bench-').then(async () => {
        const res = await api(
          b,
          '/api/catalog/entities/by-query?limit=1&filter=metadata.tags=bench',
        );
        return (await res.json()).totalItems as number;
      });
    }
    const passMs = after.map(p => p.ms);
    log(`  ${label}: passes ${passMs.join(', ')} ms`);
    return { passMs, writeP50: median(writes), merged };
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
    if (process.env.PC_BENCH_ONLY !== 'latency') {
      const file = writeEntities(dir);
      const without = await processingRun(dir, file, false);
      const withModule = await processingRun(dir, file, true);
      const a = median(without.passMs);
      const b = median(withModule.passMs);
      lines.push(
        `## Catalog processing: ${ENTITIES.toLocaleString(
          'en-US',
        )} entities, ${OVERLAYS.toLocaleString('en-US')} with UI edits`,
        '',
        'A full processing pass (every entity through the processors once; processingInterval 1 s), median of the passes that began after the edits were written.',
        '',
        '| | passes (ms) | median pass | edit write p50 |',
        '| --- | --- | --- | --- |',
        `| without the module | ${without.passMs.join(', ')} | ${(
          a / 1000
        ).toFixed(1)} s | ${without.writeP50.toFixed(1)} ms |`,
        `| with the module | ${withModule.passMs.join(', ')} | ${(
          b / 1000
        ).toFixed(1)} s | ${withModule.writeP50.toFixed(1)} ms |`,
        '',
        `Added time per pass: ${((b - a) / 1000).toFixed(1)} s (${(
          ((b - a) / a) *
          100
        ).toFixed(1)} %), ${(((b - a) * 1000) / ENTITIES).toFixed(
          0,
        )} µs per entity. Entities carrying the edited tag in the catalog with the module: ${
          withModule.merged
        }.`,
        '',
      );
    }
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

/*
 * Benchmark of the upstream sandbox at the 'scale' scenario's largest size (not a timed test):
 *   - startSandbox with 10,000 services, median of 5 starts;
 *   - latency of list calls at that size: PagerDuty GET /incidents?service_ids[]=<one service>,
 *     GitHub GET /repos/scale/<repo>/commits, PagerDuty GET /services?limit=100; 500 requests
 *     each, sequential and with concurrency 8, on random services (so most requests also pay
 *     for generating that service's data on first use).
 * Prints the figures with the command that produced them and writes
 * artifacts/bench/upstream-sandbox.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../src';
import { Rng } from '../src/random';

const SERVICES = 10_000;
const STARTS = 5;
const REQUESTS = 500;
const CONCURRENCY = 8;
const COMMAND =
  'npm run bench (packages/upstream-sandbox: node --require @backstage/cli/config/nodeTransform.cjs bench/sandbox.bench.ts)';

function percentile(sorted: number[], q: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  ];
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

interface Row {
  call: string;
  mode: string;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

async function measure(
  name: string,
  mode: string,
  concurrency: number,
  makeUrl: (i: number) => string,
  headers: Record<string, string>,
): Promise<Row> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    // Bounded: REQUESTS requests in total.
    while (next < REQUESTS) {
      const i = next++;
      const t0 = performance.now();
      const res = await fetch(makeUrl(i), {
        headers,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  times.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    call: name,
    mode,
    p50: r(percentile(times, 0.5)),
    p95: r(percentile(times, 0.95)),
    p99: r(percentile(times, 0.99)),
    max: r(times[times.length - 1]),
  };
}

async function main(): Promise<void> {
  const now = Date.now();
  const starts: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const t0 = performance.now();
    const sb = await startSandbox({
      scenario: 'scale',
      services: SERVICES,
      seed: 42 + i,
      now,
    });
    starts.push(performance.now() - t0);
    await sb.stop();
  }
  const startMedian = median(starts);

  const sb = await startSandbox({
    scenario: 'scale',
    services: SERVICES,
    seed: 42,
    now,
    // The per-token budgets would refuse a benchmark's burst; they are tested elsewhere.
    rateLimits: { pagerdutyPerMinute: 1e9, githubPerHour: 1e9 },
  });
  const rows: Row[] = [];
  try {
    const pd = { authorization: `Token token=${sb.tokens.pagerduty}` };
    const gh = { authorization: `token ${sb.tokens.github}` };
    const since = new Date(now - 14 * 86400e3).toISOString();
    for (const [mode, concurrency, seed] of [
      ['sequential', 1, 1],
      [`concurrency ${CONCURRENCY}`, CONCURRENCY, 2],
    ] as Array<[string, number, number]>) {
      const rng = new Rng('bench', seed);
      const svc = () => sb.scenario.services[rng.int(0, SERVICES - 1)];
      rows.push(
        await measure(
          'PagerDuty GET /incidents?service_ids[]=<svc>&since=<14 d>',
          mode,
          concurrency,
          () =>
            `${sb.urls.pagerduty}/incidents?service_ids[]=${
              svc().pagerdutyServiceId
            }&since=${since}&limit=100`,
          pd,
        ),
      );
      rows.push(
        await measure(
          'GitHub GET /repos/scale/<svc>/commits?per_page=100',
          mode,
          concurrency,
          () =>
            `${sb.urls.github}/repos/${svc().githubSlug}/commits?per_page=100`,
          gh,
        ),
      );
      rows.push(
        await measure(
          'PagerDuty GET /services?limit=100&offset=<random>',
          mode,
          concurrency,
          () =>
            `${sb.urls.pagerduty}/services?limit=100&offset=${
              rng.int(0, SERVICES / 100 - 1) * 100
            }`,
          pd,
        ),
      );
    }
  } finally {
    await sb.stop();
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# upstream-sandbox benchmark',
    '',
    `Command: \`${COMMAND}\``,
    '',
    `Date: ${new Date().toISOString()}; Node ${process.version}; ${
      os.cpus().length
    } × ${cpu}; ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    '',
    `## startSandbox({ scenario: 'scale', services: ${SERVICES} })`,
    '',
    `Median of ${STARTS} starts: **${startMedian.toFixed(
      0,
    )} ms** (each: ${starts.map(s => s.toFixed(0)).join(', ')} ms)`,
    '',
    `## List calls at ${SERVICES} services (${REQUESTS} requests per row, random services, ms)`,
    '',
    '| Call | Mode | p50 | p95 | p99 | max |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      r =>
        `| ${r.call} | ${r.mode} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.max} |`,
    ),
    '',
  ];
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  const pkgDir = path.dirname(
    require.resolve('@dash-suite/upstream-sandbox/package.json'),
  );
  const outDir = path.resolve(pkgDir, '..', '..', 'artifacts', 'bench');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'upstream-sandbox.md'), text);
  process.stdout.write(
    `Written to ${path.join(outDir, 'upstream-sandbox.md')}\n`,
  );
}

main().catch(e => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});

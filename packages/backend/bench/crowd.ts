/*
 * The crowd part of the DASH backend benchmark ("when everyone opens the incident at once"),
 * driven by autocannon: DASH warm timelines against the usual way (Backstage's proxy in front of
 * the upstream), the backend's ceiling, live polling by 200 viewers, and the uncached warm read
 * against a raw knex read. Its own upstream sandbox process, and a backend process (the demo
 * backend plus the proxy backend, bench/benchBackend.ts) on SQLite files in a temporary folder.
 *
 * BENCH_LIVE_SECONDS shortens the live polling run (default 120), BENCH_CROWD_SECONDS the crowd
 * and ceiling rows (default 10).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureCeiling, reportCeiling } from './ceiling';
import {
  CROWD_SECONDS,
  CrowdTarget,
  PROXY_LATENCY_MS,
  measureCrowd,
  reportCrowd,
} from './crowdRows';
import {
  LIVE_POLL_SECONDS,
  LIVE_VIEWERS,
  measureLivePolling,
  reportLivePolling,
} from './livePolling';
import { proxyConfig, usualWayPath } from './proxyBackend';
import { measureUncachedRead, reportUncachedRead } from './uncachedRead';
import { Backend, BackendOptions, startBackend } from './lib/backendProcess';
import { writeBenchCatalog } from './lib/benchCatalog';
import { getJson, postChanges, timelinePath } from './lib/http';
import { startRemoteSandbox } from './lib/remoteSandbox';

const SMALL = 'payments-api';
const LARGE = 'bench-warm';
const LARGE_EVENTS = 2000;
const DAY_MS = 24 * 3600_000;

/** A cold read (fetches the sources once), then warm-ups; the number of events answered. */
async function warmUp(b: Backend, timeline: string): Promise<number> {
  const route = timeline.replace(/^\/api\/dash/, '');
  const first = await getJson(b, route);
  if (first.status !== 200)
    throw new Error(`${timeline} answered ${first.status}`);
  for (let i = 0; i < 10; i++) await getJson(b, route);
  return first.body.events.length;
}

/** The usual way's answer once, through the proxy: the number of incidents. */
async function usualWayIncidents(b: Backend, proxyPath: string) {
  const res = await fetch(`${b.url}${proxyPath}`, {
    headers: { authorization: `Bearer ${b.token}` },
  });
  const text = await res.text();
  if (res.status !== 200)
    throw new Error(
      `${proxyPath} answered ${res.status}: ${text.slice(0, 300)}`,
    );
  return JSON.parse(text).incidents.length as number;
}

export async function crowdBench(
  say: (line?: string) => void,
  log: (message: string) => void,
): Promise<void> {
  const liveSeconds = Number(process.env.BENCH_LIVE_SECONDS ?? 120);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-crowd-'));
  const dbDir = path.join(dir, 'db');
  fs.mkdirSync(dbDir);
  log('crowd: starting the upstream sandbox process');
  const sandbox = await startRemoteSandbox();
  try {
    const payments = sandbox.services.find(s => s.name === SMALL);
    if (!payments) throw new Error(`the sandbox has no ${SMALL}`);
    const serviceId = payments.annotations['pagerduty.com/service-id'];
    const options: BackendOptions = {
      sandbox,
      database: { client: 'better-sqlite3', connection: { directory: dbDir } },
      entitiesFile: writeBenchCatalog(dir, [LARGE], payments.annotations),
      dir,
      readyEntity: LARGE,
      entry: 'bench/benchBackend.ts',
      extra: proxyConfig(sandbox),
    };
    log('crowd: starting a backend with the proxy, on SQLite files');
    let backend = await startBackend(options);
    try {
      const to = Date.now();
      const from = to - DAY_MS;
      log(`crowd: posting ${LARGE_EVENTS} change events for ${LARGE}`);
      await postChanges(
        backend,
        `component:default/${LARGE}`,
        LARGE_EVENTS,
        to,
      );
      const smallPath = timelinePath(`component:default/${SMALL}`, from, to);
      const largePath = timelinePath(`component:default/${LARGE}`, from, to);
      const proxyPath = usualWayPath(serviceId, from, to);
      const incidents = await usualWayIncidents(backend, proxyPath);
      const smallEvents = await warmUp(backend, smallPath);
      const largeEvents = await warmUp(backend, largePath);
      const targets: CrowdTarget[] = [
        {
          id: 'proxy',
          label: `proxy: PagerDuty incidents of ${SMALL} (${incidents} incidents, ${PROXY_LATENCY_MS} ms upstream)`,
          path: proxyPath,
        },
        {
          id: 'small',
          label: `DASH ${SMALL} (${smallEvents} events)`,
          path: smallPath,
        },
        {
          id: 'large',
          label: `DASH ${LARGE} (${largeEvents} events)`,
          path: largePath,
        },
      ];
      const crowd = await measureCrowd(backend, sandbox, targets, log);
      const ceiling = await measureCeiling(backend, largePath, log);
      log(`crowd: live polling for ${liveSeconds} s`);
      const live = await measureLivePolling(
        backend,
        sandbox,
        `component:default/${SMALL}`,
        liveSeconds,
      );
      log(
        `crowd: upstream calls during live polling: ${(
          await sandbox.callsPerRoute()
        )
          .map(([route, n]) => `${route} ×${n}`)
          .join(', ')}`,
      );
      await backend.stop();
      log('crowd: restarting the backend with the answer cache off');
      backend = await startBackend({
        ...options,
        dash: { answerCache: { ttlSeconds: 0 } },
      });
      const uncached = await measureUncachedRead(
        backend,
        path.join(dbDir, 'dash.sqlite'),
        `component:default/${LARGE}`,
        largePath,
        { from, to },
      );

      say('## Crowd: DASH against the usual way (autocannon)');
      say();
      say(
        `Each row: autocannon for ${CROWD_SECONDS} s at the given connections, \`accept-encoding: gzip\`, the guest token; latency from sending a request to its last byte (no decompression). The usual way: Backstage's proxy backend (\`@backstage/plugin-proxy-backend\`, \`proxy.endpoints['/pagerduty']\` adding the sandbox's token) in front of the sandbox's PagerDuty with ${PROXY_LATENCY_MS} ms added to every call, asked for the incidents of ${SMALL}'s PagerDuty service (\`${serviceId}\`) over the same 24 h window: one of the calls a page makes per viewer the usual way, where the DASH timeline holds every source. DASH: warm timelines (every feed fresh) of ${SMALL} and of ${LARGE} (${LARGE_EVENTS} change events posted through \`POST /changes\` plus the sandbox's events), same window. Upstream calls per request: counted by the sandbox during the row, divided by the requests answered. The sandbox runs in its own process (demo scenario, rate budgets lifted so that the proxy rows measure latency rather than PagerDuty's 960 calls a minute), the backend (demo backend plus the proxy backend, \`bench/benchBackend.ts\`, SQLite files) in another, autocannon in the bench process: all on this machine.`,
      );
      say();
      reportCrowd(crowd, say);
      say();
      say('## Ceiling');
      say();
      say(
        'The same backend, the same run: what it answers when the route itself costs (almost) nothing.',
      );
      say();
      reportCeiling(ceiling, say);
      say();
      say('## Live polling');
      say();
      say(
        `${LIVE_VIEWERS} viewers of ${SMALL}'s timeline in live mode (\`live=true\`, the last 24 h up to now), each polling every ${LIVE_POLL_SECONDS} s with \`If-None-Match\` set to the ETag of its own last answer; autocannon at an overall rate of ${Math.round(
          LIVE_VIEWERS / LIVE_POLL_SECONDS,
        )} requests a second (it runs one connection per request a second, so the viewers take turns on ${Math.round(
          LIVE_VIEWERS / LIVE_POLL_SECONDS,
        )} connections). Backend CPU: user plus system time of the backend process (/proc/<pid>/stat) over the run; upstream calls: the live-mode refreshes (feeds older than three quarters of \`dash.refresh.liveFreshnessSeconds\`, refreshed before the poll's answer).`,
      );
      say();
      reportLivePolling(live, say);
      say();
      say('## Warm read without the answer cache, against a raw knex read');
      say();
      say(
        `The backend restarted on the same SQLite files with \`dash.answerCache.ttlSeconds: 0\`; ${LARGE}'s timeline read sequentially on the wire, and the same entity's rows of the window read with knex from the dash plugin's SQLite file (in the bench process, while the backend runs), one timeline read and one knex read in turn.`,
      );
      say();
      reportUncachedRead(uncached, say);
    } finally {
      await backend.stop();
    }
  } finally {
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

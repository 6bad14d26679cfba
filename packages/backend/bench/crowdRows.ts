/*
 * Crowd rows: 1, 20 and 100 connections for 10 s each (gzip accepted, guest token) against
 * "the usual way" (one PagerDuty incidents list through Backstage's proxy, 200 ms added upstream
 * latency) and against DASH warm timelines of a small entity and of a 2,000-event one; upstream
 * calls per answered request counted by the sandbox.
 */
import { Backend } from './lib/backendProcess';
import {
  LoadResult,
  allAnswered,
  describeAnswers,
  runLoad,
} from './lib/autocannonRun';
import { RemoteSandbox } from './lib/remoteSandbox';
import { ms, ratio } from './lib/stats';

export const CROWD_CONNECTIONS = [1, 20, 100];
/** Seconds per row; BENCH_CROWD_SECONDS shortens them for a quick check (default 10). */
export const CROWD_SECONDS = Number(process.env.BENCH_CROWD_SECONDS ?? 10);
export const PROXY_LATENCY_MS = 200;

export interface CrowdTarget {
  id: 'proxy' | 'small' | 'large';
  label: string;
  path: string;
}

export interface CrowdRow {
  connections: number;
  target: CrowdTarget;
  load: LoadResult;
  callsPerRequest: number;
}

/** Headers of every crowd request. */
export function crowdHeaders(b: Backend): Record<string, string> {
  return { authorization: `Bearer ${b.token}`, 'accept-encoding': 'gzip' };
}

export async function measureCrowd(
  b: Backend,
  sandbox: RemoteSandbox,
  targets: CrowdTarget[],
  log: (m: string) => void,
): Promise<CrowdRow[]> {
  await sandbox.setFaults('pagerduty', { latencyMs: PROXY_LATENCY_MS });
  const rows: CrowdRow[] = [];
  try {
    for (const target of targets) {
      // Warm-up (not measured): JIT, connection pools, the proxy's agent.
      await runLoad({
        url: `${b.url}${target.path}`,
        headers: crowdHeaders(b),
        connections: 10,
        duration: 2,
      });
    }
    for (const connections of CROWD_CONNECTIONS) {
      for (const target of targets) {
        log(`crowd: ${target.id}, ${connections} connections`);
        await sandbox.resetCounters();
        const load = await runLoad({
          url: `${b.url}${target.path}`,
          headers: crowdHeaders(b),
          connections,
          duration: CROWD_SECONDS,
        });
        // Calls still in flight when autocannon stopped are answered within the latency.
        await new Promise(r => setTimeout(r, PROXY_LATENCY_MS + 300));
        const perRoute = await sandbox.callsPerRoute();
        const calls = perRoute.reduce((a, [, n]) => a + n, 0);
        if (target.id !== 'proxy' && calls > 0) {
          log(
            `crowd: upstream calls during ${target.id}: ${perRoute
              .map(([route, n]) => `${route} ×${n}`)
              .join(', ')}`,
          );
        }
        if (!allAnswered(load, [200])) {
          log(`crowd: ${target.id} answered ${describeAnswers(load)}`);
        }
        rows.push({
          connections,
          target,
          load,
          callsPerRequest: load.requests ? calls / load.requests : 0,
        });
      }
    }
  } finally {
    await sandbox.setFaults('pagerduty', undefined);
  }
  return rows;
}

export function reportCrowd(rows: CrowdRow[], say: (line?: string) => void) {
  say(
    '| Connections | Route | Requests | req/s | p50 | p97.5 | Upstream calls / request | Answers |',
  );
  say('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    say(
      `| ${r.connections} | ${r.target.label} | ${
        r.load.requests
      } | ${r.load.reqPerSec.toFixed(0)} | ${ms(r.load.p50)} | ${ms(
        r.load.p97_5,
      )} | ${r.callsPerRequest.toFixed(2)} | ${describeAnswers(r.load)} |`,
    );
  }
  if (rows.some(r => r.target.id !== 'proxy' && r.callsPerRequest > 0)) {
    say();
    say(
      'A warm DASH read calls no upstream: the calls counted in a DASH row are feed refreshes that ran in the background while it ran (the bench log lists them by route).',
    );
  }
  say();
  say(
    'DASH / proxy (p50 and p97.5 ratios below 1: DASH answers faster; req/s ratio above 1: DASH serves more):',
  );
  say();
  say('| Connections | Timeline | p50 ratio | p97.5 ratio | req/s ratio |');
  say('| --- | --- | --- | --- | --- |');
  for (const connections of CROWD_CONNECTIONS) {
    const at = rows.filter(r => r.connections === connections);
    const proxy = at.find(r => r.target.id === 'proxy');
    if (!proxy) continue;
    for (const r of at.filter(x => x.target.id !== 'proxy')) {
      say(
        `| ${connections} | ${r.target.label} | ${ratio(
          r.load.p50,
          proxy.load.p50,
        )} | ${ratio(r.load.p97_5, proxy.load.p97_5)} | ${ratio(
          r.load.reqPerSec,
          proxy.load.reqPerSec,
        )} |`,
      );
    }
  }
}

/*
 * Live polling: 200 viewers of the payments-api timeline in live mode, each polling every 15 s
 * (an overall rate of 200/15 requests a second) over the last 24 h up to now, each sending
 * `If-None-Match` with the ETag of its own previous answer. Reports the share of 304s, the p95,
 * and the backend's CPU time (/proc/<pid>/stat) over the run.
 *
 * autocannon runs at most `overallRate` connections when the rate is below the connection
 * count (here 13 connections of 1 request a second), so the 200 viewers take turns on them:
 * each request goes to the next viewer, round robin, and carries that viewer's last ETag.
 */
import { Backend } from './lib/backendProcess';
import { cpuSeconds } from './lib/cpu';
import { LoadResult, describeAnswers, runLoad } from './lib/autocannonRun';
import { RemoteSandbox } from './lib/remoteSandbox';
import { ms } from './lib/stats';

export const LIVE_VIEWERS = 200;
export const LIVE_POLL_SECONDS = 15;
const DAY_MS = 24 * 3600_000;

export interface LiveResult {
  seconds: number;
  load: LoadResult;
  /** Share of all polls answered 304, first polls (no ETag yet) included. */
  share304: number;
  /** Polls that sent an ETag (every poll but each viewer's first). */
  conditional: number;
  conditional304: number;
  /**
   * Polls whose ETag was the newest answer any viewer had been given when they were sent:
   * as far as the viewer could know, nothing had changed. A 200 to one of them is either a real
   * change (the live story adds events) or a validator that moved without one.
   */
  current: number;
  current304: number;
  /** How many times a newer answer was given out (the answer changed) during the run. */
  answerChanges: number;
  /** Viewers that got at least one answer. */
  viewersServed: number;
  etags: boolean;
  cpuSeconds?: number;
  upstreamCalls: number;
}

export async function measureLivePolling(
  b: Backend,
  sandbox: RemoteSandbox,
  entityRef: string,
  seconds: number,
): Promise<LiveResult> {
  const etags: Array<string | undefined> = new Array(LIVE_VIEWERS);
  const served = new Set<number>();
  let next = 0;
  let sawEtag = false;
  let latest: string | undefined;
  let answerChanges = 0;
  const counts = {
    conditional: 0,
    conditional304: 0,
    current: 0,
    current304: 0,
  };
  await sandbox.resetCounters();
  const cpuBefore = cpuSeconds(b.pid);
  const load = await runLoad({
    url: b.url,
    connections: LIVE_VIEWERS,
    overallRate: Math.round(LIVE_VIEWERS / LIVE_POLL_SECONDS),
    duration: seconds,
    headers: { authorization: `Bearer ${b.token}`, 'accept-encoding': 'gzip' },
    requests: [
      {
        method: 'GET',
        setupRequest: (req, context: any) => {
          const viewer = next++ % LIVE_VIEWERS;
          context.viewer = viewer;
          const to = Date.now();
          req.path = `/api/dash/timeline?entityRef=${entityRef}&from=${new Date(
            to - DAY_MS,
          ).toISOString()}&to=${new Date(to).toISOString()}&live=true`;
          const etag = etags[viewer];
          context.sent = etag;
          context.current = etag !== undefined && etag === latest;
          req.headers = { ...req.headers };
          if (etag) req.headers['if-none-match'] = etag;
          else delete req.headers['if-none-match'];
          return req;
        },
        onResponse: (status, _body, context: any, headers) => {
          served.add(context.viewer);
          if (context.sent !== undefined) {
            counts.conditional += 1;
            if (status === 304) counts.conditional304 += 1;
            if (context.current) {
              counts.current += 1;
              if (status === 304) counts.current304 += 1;
            }
          }
          const etag = Object.entries(headers ?? {}).find(
            ([k]) => k.toLowerCase() === 'etag',
          )?.[1];
          if (status === 200 && etag) {
            etags[context.viewer] = String(etag);
            sawEtag = true;
            if (String(etag) !== latest) {
              if (latest !== undefined) answerChanges += 1;
              latest = String(etag);
            }
          }
        },
      },
    ],
  });
  const cpuAfter = cpuSeconds(b.pid);
  return {
    seconds,
    load,
    share304: load.requests ? (load.statuses['304'] ?? 0) / load.requests : 0,
    ...counts,
    answerChanges,
    viewersServed: served.size,
    etags: sawEtag,
    cpuSeconds:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : cpuAfter - cpuBefore,
    upstreamCalls: await sandbox.upstreamCalls(),
  };
}

export function reportLivePolling(r: LiveResult, say: (line?: string) => void) {
  const cpu =
    r.cpuSeconds === undefined
      ? 'not measured (no /proc)'
      : `${r.cpuSeconds.toFixed(1)} s (${(
          (100 * r.cpuSeconds) /
          r.seconds
        ).toFixed(1)} % of one core)`;
  const share = (n: number, of: number) =>
    of ? `${((100 * n) / of).toFixed(1)} %` : 'none';
  say(
    '| Viewers | Poll every | Duration | Requests | 304 share: all polls / polls with an ETag / polls with the newest ETag | Answer changes | p50 | p95 | Backend CPU | Upstream calls | Answers |',
  );
  say('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  say(
    `| ${LIVE_VIEWERS} (${r.viewersServed} served) | ${LIVE_POLL_SECONDS} s | ${
      r.seconds
    } s | ${r.load.requests} | ${(100 * r.share304).toFixed(1)} % / ${share(
      r.conditional304,
      r.conditional,
    )} of ${r.conditional} / ${share(r.current304, r.current)} of ${r.current}${
      r.etags ? '' : ' (no ETag answered)'
    } | ${r.answerChanges} | ${ms(r.load.p50)} | ${ms(r.load.p95)} | ${cpu} | ${
      r.upstreamCalls
    } | ${describeAnswers(r.load)} |`,
  );
  say();
  say(
    "Each viewer's first poll has no ETag and is answered 200. A poll with the newest ETag is one sent when no newer answer had been given to any viewer: nothing had changed as far as it could know; its 200s are the answer changes (the live story adds events) and validators that moved without one.",
  );
}

/*
 * The backend's ceiling in the same run: 100 connections for 10 s against a route that does
 * nothing (readiness, unauthenticated), one that only checks the token (`GET
 * /api/dash/settings`), and the 2,000-event timeline asked with `If-None-Match` set to the ETag
 * of its previous answer (304 when the answer did not change), if it answers an ETag at all.
 */
import { Backend } from './lib/backendProcess';
import { LoadResult, describeAnswers, runLoad } from './lib/autocannonRun';
import { timeToLastByte } from './lib/http';
import { ms } from './lib/stats';
import { CROWD_SECONDS, crowdHeaders } from './crowdRows';

const CEILING_CONNECTIONS = 100;

export interface CeilingRow {
  label: string;
  load?: LoadResult;
  /** Why the row was not measured. */
  skipped?: string;
}

export async function measureCeiling(
  b: Backend,
  timelinePath: string,
  log: (m: string) => void,
): Promise<CeilingRow[]> {
  const rows: CeilingRow[] = [];
  const run = async (label: string, path: string, headers: object) => {
    log(`ceiling: ${label}`);
    const load = await runLoad({
      url: `${b.url}${path}`,
      headers: { 'accept-encoding': 'gzip', ...headers },
      connections: CEILING_CONNECTIONS,
      duration: CROWD_SECONDS,
    });
    rows.push({ label, load });
  };
  await run(
    '`GET /.backstage/health/v1/readiness` (no token)',
    '/.backstage/health/v1/readiness',
    {},
  );
  await run(
    '`GET /api/dash/settings` (token checked)',
    '/api/dash/settings',
    crowdHeaders(b),
  );
  const label = 'timeline of bench-warm with `If-None-Match` (its last ETag)';
  const first = await timeToLastByte(b, timelinePath);
  const etag = first.headers.etag;
  if (first.status !== 200) {
    rows.push({ label, skipped: `timeline answered ${first.status}` });
  } else if (!etag) {
    rows.push({ label, skipped: 'no ETag: the timeline answered without one' });
  } else {
    await run(label, timelinePath, {
      ...crowdHeaders(b),
      'if-none-match': String(etag),
    });
  }
  return rows;
}

export function reportCeiling(
  rows: CeilingRow[],
  say: (line?: string) => void,
) {
  say(
    `| Route (${CEILING_CONNECTIONS} connections, ${CROWD_SECONDS} s) | Requests | req/s | p50 | p97.5 | Answers |`,
  );
  say('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    if (!r.load) {
      say(`| ${r.label} | ${r.skipped} | | | | |`);
      continue;
    }
    say(
      `| ${r.label} | ${r.load.requests} | ${r.load.reqPerSec.toFixed(
        0,
      )} | ${ms(r.load.p50)} | ${ms(r.load.p97_5)} | ${describeAnswers(
        r.load,
      )} |`,
    );
  }
}

/*
 * The warm read without the answer cache (`dash.answerCache.ttlSeconds: 0`): p50 of the
 * 2,000-event timeline read on the wire, against a raw knex range read of the same entity's
 * rows in the same window from the same SQLite file (the dash plugin's `dash.sqlite` in the
 * backend's database directory), in the bench process, the two reads alternating. The gap is
 * what the backend adds to the database read: catalog and permission checks, feed states,
 * correlation, JSON and gzip. Each read's `Server-Timing` header says how that time divides;
 * what it does not cover is the token check, Express's middleware and the wire.
 */
import knexFactory from 'knex';
import { Backend } from './lib/backendProcess';
import { timeToLastByte } from './lib/http';
import { ascending, ms, percentile, ratio } from './lib/stats';

const READS = 200;
const WARM_UPS = 10;

export interface UncachedResult {
  events: number;
  rows: number;
  timeline: { p50: number; p95: number };
  knex: { p50: number; p95: number };
  /** Median duration of each phase the backend's `Server-Timing` names, in its order. */
  phases: Array<{ name: string; p50: number }>;
}

/** `name;dur=x` metrics of a `Server-Timing` header (metrics without a duration left out). */
export function serverTimingDurations(header: string | undefined) {
  const found: Array<{ name: string; durationMs: number }> = [];
  for (const metric of (header ?? '').split(',')) {
    const [name, ...params] = metric.trim().split(';');
    const dur = params.find(p => p.startsWith('dur='));
    if (name && dur) found.push({ name, durationMs: Number(dur.slice(4)) });
  }
  return found;
}

const PHASE_TITLES: Record<string, string> = {
  auth: "`auth`: the caller's credentials (Backstage checked the token before the route)",
  entities:
    '`entities`: the entity and its dependencies from the catalog, as the caller',
  feeds: "`feeds`: the feeds' states (all fresh here, no upstream call)",
  read: '`read`: the events and the correlation context from the database, as objects',
  correlate: '`correlate`: likely causes',
  serialize: '`serialize`: JSON and the ETag',
  gzip: '`gzip`: compressing the body (level 3, off the main thread)',
};

export async function measureUncachedRead(
  b: Backend,
  sqliteFile: string,
  entityRef: string,
  timelinePath: string,
  window: { from: number; to: number },
): Promise<UncachedResult> {
  const first = await fetch(`${b.url}${timelinePath}`, {
    headers: { authorization: `Bearer ${b.token}` },
  });
  if (first.status !== 200)
    throw new Error(`uncached timeline answered ${first.status}`);
  const events = (await first.json()).events.length;

  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: sqliteFile, options: { readonly: true } },
    useNullAsDefault: true,
  });
  // The two reads alternate, so that whatever else the machine does at a time weighs on both.
  const wire: number[] = [];
  const reads: number[] = [];
  const phases = new Map<string, number[]>();
  let rows = 0;
  try {
    for (let i = 0; i < WARM_UPS + READS; i++) {
      const r = await timeToLastByte(b, timelinePath);
      if (r.status !== 200) throw new Error(`timeline answered ${r.status}`);
      if (i >= WARM_UPS) {
        wire.push(r.ms);
        const timing = r.headers['server-timing'];
        for (const { name, durationMs } of serverTimingDurations(
          Array.isArray(timing) ? timing.join(',') : timing,
        )) {
          if (!phases.has(name)) phases.set(name, []);
          phases.get(name)!.push(durationMs);
        }
      }
      const started = performance.now();
      const found = await db('dash_events')
        .where('entity_ref', entityRef)
        .whereBetween('start_ms', [window.from, window.to])
        .orderBy('start_ms', 'asc')
        .orderBy('event_id', 'asc');
      if (i >= WARM_UPS) reads.push(performance.now() - started);
      rows = found.length;
    }
  } finally {
    await db.destroy();
  }
  const w = ascending(wire);
  const k = ascending(reads);
  return {
    events,
    rows,
    timeline: { p50: percentile(w, 50), p95: percentile(w, 95) },
    knex: { p50: percentile(k, 50), p95: percentile(k, 95) },
    phases: [...phases].map(([name, durations]) => ({
      name,
      p50: percentile(ascending(durations), 50),
    })),
  };
}

export function reportUncachedRead(
  r: UncachedResult,
  say: (line?: string) => void,
) {
  say('| Read | Events / rows | Sequential reads | p50 | p95 |');
  say('| --- | --- | --- | --- | --- |');
  say(
    `| \`GET /timeline\` of bench-warm, answer cache off (gzip, time to last byte) | ${
      r.events
    } | ${READS} | ${ms(r.timeline.p50)} | ${ms(r.timeline.p95)} |`,
  );
  say(
    `| raw knex range read of the same rows (\`dash_events\` by entity_ref and start_ms, same SQLite file) | ${
      r.rows
    } | ${READS} | ${ms(r.knex.p50)} | ${ms(r.knex.p95)} |`,
  );
  say();
  say(`Timeline p50 / knex p50: ${ratio(r.timeline.p50, r.knex.p50)}.`);
  if (r.phases.length === 0) return;
  say();
  say(
    "Where the timeline read's time goes, by the backend's `Server-Timing` header (median of each phase over the same reads; the medians need not add up to the read's):",
  );
  say();
  say('| Phase | p50 |');
  say('| --- | --- |');
  const phases = r.phases.filter(p => p.name !== 'total');
  for (const { name, p50 } of phases)
    say(`| ${PHASE_TITLES[name] ?? `\`${name}\``} | ${ms(p50)} |`);
  const total = r.phases.find(p => p.name === 'total')?.p50;
  if (total === undefined) return;
  const timed = phases.reduce((sum, p) => sum + p.p50, 0);
  say(
    `| in the route, between the phases (\`total\` minus the phases' medians) | ${ms(
      Math.max(0, total - timed),
    )} |`,
  );
  say(`| \`total\`: the route, from its start to sending | ${ms(total)} |`);
  say(
    `| outside the route: the token check, Express and helmet, the wire and the client (read p50 minus \`total\`) | ${ms(
      Math.max(0, r.timeline.p50 - total),
    )} |`,
  );
}

/*
 * One autocannon run, summarised: requests answered, req/s, latency percentiles from every
 * response's own time (autocannon's histograms keep whole milliseconds and have no p95), and
 * the answers per status code.
 */
import autocannon from 'autocannon';
import { ascending, percentile } from './stats';

export interface LoadResult {
  /** Responses received (any status). */
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p97_5: number;
  /** Responses per status code, e.g. { 200: 5120 }. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
}

export async function runLoad(
  options: autocannon.Options,
): Promise<LoadResult> {
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        ...options,
        // With a request rate, autocannon would back-fill latencies for coordinated omission
        // using an interval of 1/rate taken as milliseconds: keep the measured times.
        ignoreCoordinatedOmission: Boolean(
          options.overallRate || options.connectionRate,
        ),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      times.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  const sorted = ascending(times);
  const seconds = result.duration;
  return {
    requests: times.length,
    seconds,
    reqPerSec: times.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p97_5: percentile(sorted, 97.5),
    statuses,
    errors: result.errors + result.timeouts,
  };
}

/** `200 ×5120, 502 ×3` (and connection errors). */
export function describeAnswers(r: LoadResult): string {
  const parts = Object.entries(r.statuses).map(([s, n]) => `${s} ×${n}`);
  if (r.errors) parts.push(`${r.errors} errors/timeouts`);
  return parts.join(', ') || 'none';
}

/** Whether every answer had one of these statuses, with no errors. */
export function allAnswered(r: LoadResult, ok: number[]): boolean {
  return (
    r.errors === 0 &&
    r.requests > 0 &&
    Object.keys(r.statuses).every(s => ok.includes(Number(s)))
  );
}

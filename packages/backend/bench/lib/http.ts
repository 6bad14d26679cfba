/* Requests of the benchmarks to a bench backend's DASH routes. */
import http from 'node:http';
import { Backend } from './backendProcess';

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

/**
 * Latency of a read on the wire: from sending the request to the last byte of the (gzip) answer,
 * with node:http and without decompressing or parsing, so that the bench client's own work
 * (which a browser does natively, after the fact) is not in the figure. `path` is absolute
 * (`/api/...`); the answer's headers come back too.
 */
export async function timeToLastByte(
  b: Backend,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; ms: number; headers: http.IncomingHttpHeaders }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${b.url}${path}`,
      {
        agent: keepAlive,
        headers: {
          authorization: `Bearer ${b.token}`,
          'accept-encoding': 'gzip',
          ...headers,
        },
      },
      res => {
        res.on('data', () => {});
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            headers: res.headers,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

/** GET `/api/dash<route>` with fetch, parsed. */
export async function getJson(
  b: Backend,
  route: string,
): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${b.url}/api/dash${route}`, {
    headers: { authorization: `Bearer ${b.token}` },
  });
  const body = await res.json();
  return { status: res.status, body, ms: performance.now() - started };
}

/**
 * Posts `count` change events for `entityRef` through `POST /api/dash/changes`, spread over the
 * 23 hours before `now` - 1 min, in parallel batches of 50.
 */
export async function postChanges(
  b: Backend,
  entityRef: string,
  count: number,
  now: number,
): Promise<void> {
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, async (_, j) => {
        const n = i + j;
        const res = await fetch(`${b.url}/api/dash/changes`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${b.token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            id: `bench-${n}`,
            entityRef,
            time: new Date(
              now - 60_000 - (n * 23 * 3600_000) / count,
            ).toISOString(),
            title: `Bench change ${n}`,
            type: n % 3 ? 'config' : 'deploy',
            environment: 'production',
          }),
        });
        if (res.status !== 201)
          throw new Error(`POST /changes answered ${res.status}`);
      }),
    );
  }
}

/** `/api/dash/timeline?...` of one entity over [from, to]. */
export function timelinePath(
  entityRef: string,
  from: number,
  to: number,
  extra = '',
): string {
  return `/api/dash/timeline?entityRef=${entityRef}&from=${new Date(
    from,
  ).toISOString()}&to=${new Date(to).toISOString()}${extra}`;
}

import {
  UpstreamCaller,
  UpstreamError,
  parseRetryAfter,
} from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import { CONFIG_ROOT, DEFAULT_INSTANCE, GrafanaInstance } from './config';

export type Query = Array<[string, string]>;

/**
 * Grafana's HTTP API with the platform `fetch` and a service account token, one guarded call
 * per request.
 */
export class GrafanaClient {
  constructor(readonly instance: GrafanaInstance) {}

  /** GET `path` (starting with `/api/`) and check the JSON body against `schema`. */
  async get<T>(
    upstream: UpstreamCaller,
    path: string,
    query: Query,
    schema: z.ZodType<T>,
    name: string,
  ): Promise<T> {
    const url = new URL(`${this.instance.baseUrl}${path}`);
    for (const [k, v] of query) url.searchParams.append(k, v);
    return upstream.call(
      async signal => {
        const res = await fetch(url, {
          method: 'GET',
          headers: {
            Accept: 'application/json',
            Authorization: `Bearer ${this.instance.token}`,
          },
          signal,
        });
        const text = await res.text();
        if (!res.ok) throw this.httpError(res, text, path);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new UpstreamError(
            'error',
            `Grafana answered ${path} with a body that is not JSON`,
          );
        }
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new UpstreamError(
            'error',
            `Grafana answered ${path} with an unexpected body (${
              issue?.path.join('.') || 'body'
            }: ${issue?.message})`,
          );
        }
        return parsed.data;
      },
      { idempotent: true, name },
    );
  }

  private httpError(res: Response, text: string, path: string) {
    let detail: string | undefined;
    try {
      const message = (JSON.parse(text) as { message?: unknown }).message;
      if (typeof message === 'string' && message)
        detail = message.slice(0, 200);
    } catch {
      // not JSON: no detail
    }
    const said = `Grafana answered ${path} with ${res.status}${
      detail ? ` (${detail})` : ''
    }`;
    const key =
      this.instance.key === DEFAULT_INSTANCE
        ? `${CONFIG_ROOT}.token`
        : `${CONFIG_ROOT}.instances.${this.instance.key}.token`;
    if (res.status === 401) {
      return new UpstreamError(
        'unauthorized',
        `${said}: check the service account token in ${key}`,
      );
    }
    if (res.status === 403) {
      return new UpstreamError(
        'unauthorized',
        `${said}: the service account behind ${key} may not read this (it needs Viewer, and alert rule read access for alerts)`,
      );
    }
    if (res.status === 429) {
      return new UpstreamError('rate-limited', said, {
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
      });
    }
    // The status goes with the error: a 4xx to our own request does not open the circuit.
    return new UpstreamError('error', said, { httpStatus: res.status });
  }
}

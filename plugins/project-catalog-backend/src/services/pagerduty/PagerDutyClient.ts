import { api } from '@pagerduty/pdjs';
import type { APIParameters, APIResponse } from '@pagerduty/pdjs/build/src/api';
import { z } from 'zod';
import { PagerDutyAccountSettings } from '../Discovery/config';
import { UpstreamProblem } from '../Discovery/types';

/** pdjs's full-call overload (its partial-application overload returns a function). */
const callApi = api as (parameters: APIParameters) => Promise<APIResponse>;

/** Pages of 100 services read, at most. */
const MAX_PAGES = 50;

const refSchema = z.object({
  id: z.string().nullish(),
  summary: z.string().nullish(),
});
const serviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  html_url: z.string().nullish(),
  status: z.string().nullish(),
  escalation_policy: refSchema.nullish(),
  teams: z.array(refSchema).nullish(),
  integrations: z
    .array(z.object({ integration_key: z.string().nullish() }).passthrough())
    .nullish(),
});
export type PagerDutyService = z.infer<typeof serviceSchema>;

/**
 * PagerDuty's `GET /services` and `GET /services/{id}` through `@pagerduty/pdjs` (discovery and
 * page on-call), given the full `url` (its `server` option always means https) and read from
 * `response.data`. pdjs's own 429 retries wait `retryTimeout`, kept short, and a timeout per
 * request aborts it; failures become UpstreamProblems whose message names `tokenKey`, the
 * config key of the token in use.
 */
export class PagerDutyClient {
  constructor(
    private readonly account: PagerDutyAccountSettings,
    private readonly timeoutMs: number,
    private readonly tokenKey = 'projectCatalog.discovery.pagerduty.token (or dash.sources.pagerduty.token)',
  ) {}

  /** One service with its integrations; undefined when PagerDuty answers 404. */
  async service(id: string): Promise<PagerDutyService | undefined> {
    let body: Record<string, unknown>;
    try {
      body = await this.get(`services/${encodeURIComponent(id)}`, {
        'include[]': ['integrations'],
      });
    } catch (error) {
      if (error instanceof UpstreamProblem && / with 404$/.test(error.message))
        return undefined;
      throw error;
    }
    const parsed = serviceSchema.safeParse(body.service);
    if (!parsed.success) {
      throw new UpstreamProblem(
        'error',
        `PagerDuty answered GET /services/${id} without a service`,
      );
    }
    return parsed.data;
  }

  /** Every service of the account (offset paging, at most 5000). */
  async services(withIntegrations: boolean): Promise<PagerDutyService[]> {
    const out: PagerDutyService[] = [];
    let offset = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.get('services', {
        limit: '100',
        offset: String(offset),
        ...(withIntegrations ? { 'include[]': ['integrations'] } : {}),
      });
      const list = body.services;
      if (!Array.isArray(list)) {
        throw new UpstreamProblem(
          'error',
          'PagerDuty answered GET /services without a services list',
        );
      }
      for (const item of list) {
        const parsed = serviceSchema.safeParse(item);
        if (parsed.success) out.push(parsed.data);
      }
      if (body.more !== true || list.length === 0) break;
      offset += list.length;
    }
    return out;
  }

  private async get(
    path: string,
    query: Record<string, string | string[]>,
  ): Promise<Record<string, unknown>> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: APIResponse;
    try {
      response = await callApi({
        url: `${this.account.apiBaseUrl}/${path}`,
        token: this.account.token,
        method: 'GET',
        queryParameters: query,
        signal,
        retryTimeout: Math.min(1000, Math.floor(this.timeoutMs / 8)),
        // pdjs's own timer never aborts; the signal above is the timeout.
        requestTimeout: 0,
      });
    } catch (error) {
      if (signal.aborted) {
        throw new UpstreamProblem(
          'timed-out',
          `PagerDuty did not answer GET /${path} within ${this.timeoutMs} ms`,
        );
      }
      // pdjs rejects with the Response itself when the body is not JSON.
      const status = (error as Partial<Response>)?.status;
      if (typeof status === 'number') throw this.httpProblem(status, path);
      throw new UpstreamProblem(
        'error',
        `PagerDuty GET /${path} failed: ${String(error)}`,
      );
    }
    if (!response.ok) throw this.httpProblem(response.status, path);
    if (!response.data || typeof response.data !== 'object') {
      throw new UpstreamProblem(
        'error',
        `PagerDuty answered GET /${path} with an unexpected body`,
      );
    }
    return response.data as Record<string, unknown>;
  }

  private httpProblem(status: number, path: string): UpstreamProblem {
    const said = `PagerDuty answered GET /${path} with ${status}`;
    if (status === 401 || status === 403) {
      return new UpstreamProblem(
        'unauthorized',
        `${said}: check ${this.tokenKey}`,
      );
    }
    if (status === 429) {
      return new UpstreamProblem('rate-limited', `${said}: rate limited`);
    }
    return new UpstreamProblem('error', said);
  }
}

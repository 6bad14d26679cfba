import { LoggerService } from '@backstage/backend-plugin-api';
import {
  UpstreamCaller,
  UpstreamError,
  parseRetryAfter,
} from '@dash-suite/plugin-dash-node';
import { api } from '@pagerduty/pdjs';
import type { APIParameters, APIResponse } from '@pagerduty/pdjs/build/src/api';
import { z } from 'zod';
import { PagerDutyAccount } from './config';

/** pdjs's full-call overload (its partial-application overload returns a function). */
const callApi = api as (parameters: APIParameters) => Promise<APIResponse>;

export type Query = Record<string, string | string[]>;

/** What a bounded list read returned. */
export interface ListResult<T> {
  items: T[];
  /** True when more pages were left unread (maxPages reached). */
  truncated: boolean;
  /** Items dropped because they did not have the expected shape. */
  dropped: number;
}

interface ClientOptions {
  account: PagerDutyAccount;
  retryTimeoutMs: number;
  pageSize: number;
  maxPages: number;
  logger: LoggerService;
}

export interface GetOptions {
  /** Answer undefined on 404 instead of failing. */
  allowNotFound?: boolean;
  /** What a 404 means, in words for the user. */
  notFoundMessage?: string;
}

const envelopeSchema = z.object({
  more: z.boolean().nullish(),
  offset: z.number().nullish(),
  limit: z.number().nullish(),
});

function headerNumber(headers: Headers | undefined, name: string) {
  const raw = headers?.get(name);
  if (raw === null || raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** PagerDuty's error envelope: `{ error: { message, code, errors: [...] } }`. */
function errorText(body: unknown): string | undefined {
  const parsed = z
    .object({
      error: z.object({
        message: z.string().nullish(),
        errors: z.array(z.string()).nullish(),
      }),
    })
    .safeParse(body);
  if (!parsed.success) return undefined;
  const { message, errors } = parsed.data.error;
  return [message, ...(errors ?? [])].filter(Boolean).join(': ') || undefined;
}

/**
 * The PagerDuty REST API through `@pagerduty/pdjs`, one guarded call per HTTP request. pdjs is
 * given the full `url` (its `server` option always means https), and its answer is read from
 * `response.data` (its `resource` is only filled in for hosts ending in `.com`).
 */
export class PagerDutyClient {
  constructor(private readonly options: ClientOptions) {}

  get account(): PagerDutyAccount {
    return this.options.account;
  }

  /**
   * One GET through the guard; answers the parsed JSON body or throws an UpstreamError. A 404
   * answers undefined with `allowNotFound`, else fails with `notFoundMessage` when given.
   */
  async get(
    upstream: UpstreamCaller,
    path: string,
    query: Query,
    name: string,
    options: GetOptions = {},
  ): Promise<unknown> {
    const { account, retryTimeoutMs } = this.options;
    const url = `${account.apiBaseUrl}/${path}`;
    return upstream.call(
      async signal => {
        let response: APIResponse;
        try {
          response = await callApi({
            url,
            token: account.token,
            tokenType: account.tokenType,
            method: 'GET',
            queryParameters: query,
            signal,
            retryTimeout: retryTimeoutMs,
            // pdjs 2.2's requestTimeout only arms a timer whose callback does nothing (it never
            // aborts) and that stays armed when a call fails; 0 turns it off. The guard's abort
            // signal above is what times a call out, so its timeout is the only one.
            requestTimeout: 0,
          });
        } catch (e) {
          if (e instanceof Error) throw e;
          // pdjs rejects with the Response itself when the body is not JSON.
          const res = e as Partial<Response> | undefined;
          this.observe(upstream, res?.headers);
          if (typeof res?.status === 'number' && !res.ok) {
            if (res.status === 404 && options.allowNotFound) return undefined;
            throw this.httpError(
              res.status,
              undefined,
              res.headers,
              path,
              options,
            );
          }
          throw new UpstreamError(
            'error',
            `PagerDuty answered ${path} with a body that is not JSON`,
          );
        }
        this.observe(upstream, response.headers);
        if (!response.ok) {
          if (response.status === 404 && options.allowNotFound)
            return undefined;
          throw this.httpError(
            response.status,
            response.data,
            response.headers,
            path,
            options,
          );
        }
        if (response.data === null || typeof response.data !== 'object') {
          throw new UpstreamError(
            'error',
            `PagerDuty answered ${path} with an unexpected body`,
          );
        }
        return response.data;
      },
      { idempotent: true, name },
    );
  }

  /** One object under `key` of a GET answer, checked against `schema`. */
  async getOne<T>(
    upstream: UpstreamCaller,
    path: string,
    query: Query,
    key: string,
    schema: z.ZodType<T>,
    name: string,
    notFoundMessage?: string,
  ): Promise<T> {
    const body = (await this.get(upstream, path, query, name, {
      notFoundMessage,
    })) as Record<string, unknown>;
    const parsed = schema.safeParse(body[key]);
    if (!parsed.success) {
      throw new UpstreamError(
        'error',
        `PagerDuty answered ${path} without a valid '${key}': ${parsed.error.issues[0]?.message}`,
      );
    }
    return parsed.data;
  }

  /**
   * Reads an offset-paginated list (`limit`, `offset`, `more`) page by page, at most `maxPages`
   * pages; items that do not parse are dropped and counted, a page without the list fails.
   */
  async list<T>(
    upstream: UpstreamCaller,
    path: string,
    query: Query,
    key: string,
    itemSchema: z.ZodType<T>,
    name: string,
    maxPages: number = this.options.maxPages,
    options: GetOptions = {},
  ): Promise<ListResult<T>> {
    const { pageSize } = this.options;
    const items: T[] = [];
    let dropped = 0;
    let offset = 0;
    for (let page = 0; page < maxPages; page++) {
      const body = (await this.get(
        upstream,
        path,
        { ...query, limit: String(pageSize), offset: String(offset) },
        name,
        options,
      )) as Record<string, unknown> | undefined;
      if (body === undefined) return { items, truncated: false, dropped };
      const list = body[key];
      const envelope = envelopeSchema.safeParse(body);
      if (!Array.isArray(list) || !envelope.success) {
        throw new UpstreamError(
          'error',
          `PagerDuty answered ${path} without a '${key}' list`,
        );
      }
      for (const raw of list) {
        const parsed = itemSchema.safeParse(raw);
        if (parsed.success) items.push(parsed.data);
        else dropped += 1;
      }
      if (!envelope.data.more || list.length === 0) {
        return { items, truncated: false, dropped };
      }
      offset += list.length;
    }
    return { items, truncated: true, dropped };
  }

  private observe(upstream: UpstreamCaller, headers: Headers | undefined) {
    const remaining = headerNumber(headers, 'ratelimit-remaining');
    const limit = headerNumber(headers, 'ratelimit-limit');
    const reset = headerNumber(headers, 'ratelimit-reset');
    if (remaining === undefined) return;
    upstream.observeRateLimit({
      remaining,
      limit,
      resetAt:
        reset !== undefined ? new Date(Date.now() + reset * 1000) : undefined,
    });
  }

  private httpError(
    status: number,
    body: unknown,
    headers: Headers | undefined,
    path: string,
    options: GetOptions,
  ): UpstreamError {
    const detail = errorText(body);
    const said = `PagerDuty answered ${path} with ${status}${
      detail ? ` (${detail})` : ''
    }`;
    const account =
      this.options.account.name === 'default'
        ? 'dash.sources.pagerduty.token'
        : `dash.sources.pagerduty.accounts.${this.options.account.name}.token`;
    if (status === 401 || status === 403) {
      return new UpstreamError(
        'unauthorized',
        `${said}: check the API key in ${account}`,
      );
    }
    if (status === 429) {
      const retryAfterMs =
        parseRetryAfter(headers?.get('retry-after')) ??
        (headerNumber(headers, 'ratelimit-reset') ?? 60) * 1000;
      return new UpstreamError('rate-limited', said, { retryAfterMs });
    }
    // The status goes with the error: a 4xx to our own request does not open the circuit.
    if (status === 404 && options.notFoundMessage) {
      return new UpstreamError(
        'error',
        `${options.notFoundMessage} (${said})`,
        {
          httpStatus: status,
        },
      );
    }
    return new UpstreamError('error', said, { httpStatus: status });
  }
}

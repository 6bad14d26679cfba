import { UpstreamCaller, UpstreamError } from '@dash-suite/plugin-dash-node';
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { z } from 'zod';
import { CONFIG_ROOT } from './config';

/** Slack error codes that mean the token is wrong or may not read this (HTTP 200 `ok: false`). */
const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'ekm_access_denied',
]);

/** Answers about our request (an unknown channel, a bad argument): no retry, no breaker count. */
const REQUEST_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'thread_not_found',
  'message_not_found',
  'user_not_found',
  'user_not_visible',
  'invalid_cursor',
  'invalid_limit',
  'invalid_ts_latest',
  'invalid_ts_oldest',
  'invalid_arguments',
]);

/** A backstop for a hung request; the guard's own timeout is normally the shorter one. */
const CLIENT_TIMEOUT_MS = 60_000;

type Args = Record<string, string | number | boolean | undefined>;

/**
 * Slack's Web API through the official `@slack/web-api` client, one guarded call per method
 * call: the client's own retries are off and a 429 is rejected at once, so that the guard
 * decides (and honours `Retry-After`). Answers are checked with zod.
 */
export class SlackClient {
  constructor(private readonly options: { token: string; baseUrl: string }) {}

  async call<T>(
    upstream: UpstreamCaller,
    method: string,
    args: Args,
    schema: z.ZodType<T>,
  ): Promise<T> {
    return upstream.call(
      async signal => {
        const client = new WebClient(this.options.token, {
          slackApiUrl: `${this.options.baseUrl}/`,
          retryConfig: { retries: 0 },
          rejectRateLimitedCalls: true,
          timeout: CLIENT_TIMEOUT_MS,
          logLevel: LogLevel.ERROR,
          allowAbsoluteUrls: false,
          requestInterceptor: config => {
            config.signal = signal;
            return config;
          },
        });
        let body: unknown;
        try {
          body = await client.apiCall(method, args);
        } catch (e) {
          throw translate(e, method);
        }
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new UpstreamError(
            'error',
            `Slack answered ${method} with an unexpected body (${
              issue?.path.join('.') || 'body'
            }: ${issue?.message})`,
          );
        }
        return parsed.data;
      },
      { idempotent: true, name: method },
    );
  }
}

/** The client's error as the source status it means. */
export function translate(e: unknown, method: string): UpstreamError {
  const err = e as {
    code?: string;
    message?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: unknown; needed?: unknown };
  };
  switch (err?.code) {
    case ErrorCode.RateLimitedError:
      return new UpstreamError(
        'rate-limited',
        `Slack rate-limited ${method}${
          err.retryAfter !== undefined
            ? ` (Retry-After ${err.retryAfter} s)`
            : ''
        }`,
        {
          retryAfterMs:
            typeof err.retryAfter === 'number' && err.retryAfter >= 0
              ? err.retryAfter * 1000
              : undefined,
          cause: e,
        },
      );
    case ErrorCode.PlatformError: {
      const code = typeof err.data?.error === 'string' ? err.data.error : '';
      if (!/^[a-z_]{1,64}$/.test(code)) {
        // The client turns a body that is not JSON into `ok: false` with the text as the error.
        return new UpstreamError(
          'error',
          `Slack answered ${method} with a body that is not JSON`,
        );
      }
      if (AUTH_ERRORS.has(code)) {
        const needed =
          code === 'missing_scope' && typeof err.data?.needed === 'string'
            ? ` (the app needs the ${err.data.needed.slice(0, 60)} scope)`
            : '';
        return new UpstreamError(
          'unauthorized',
          `Slack refused ${method}: ${code}${needed}; check the bot token in ${CONFIG_ROOT}.token and the app's scopes`,
        );
      }
      if (code === 'ratelimited') {
        return new UpstreamError(
          'rate-limited',
          `Slack rate-limited ${method}`,
        );
      }
      return new UpstreamError('error', `Slack answered ${method}: ${code}`, {
        httpStatus: REQUEST_ERRORS.has(code) ? 400 : undefined,
      });
    }
    case ErrorCode.HTTPError:
      return new UpstreamError(
        'error',
        `Slack answered ${method} with HTTP ${err.statusCode}`,
        { httpStatus: err.statusCode, cause: e },
      );
    default: {
      const message = String(err?.message ?? e).slice(0, 200);
      // A 429 without a usable Retry-After is refused by the client with this message.
      if (/rate limit|retry header/i.test(message)) {
        return new UpstreamError(
          'rate-limited',
          `Slack rate-limited ${method}`,
        );
      }
      return new UpstreamError(
        'error',
        `Calling Slack ${method} failed: ${message}`,
        { cause: e },
      );
    }
  }
}

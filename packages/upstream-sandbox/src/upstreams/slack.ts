/*
 * Slack Web API under /api/<method> (GET with a query or POST form-encoded, as the official
 * `@slack/web-api` client sends it): auth.test, conversations.list, conversations.history,
 * conversations.replies, pins.list, users.info and chat.getPermalink over the scenario's
 * workspace. Token as `Authorization: Bearer <t>` or a `token` parameter. Errors as Slack sends
 * them, HTTP 200 `{ok: false, error}`; Slack's tiered rate limits per token and method
 * (HTTP 429 `{ok: false, error: 'ratelimited'}` with `Retry-After` in seconds).
 */
import { FaultSpec } from '../types';
import { Ctx, Reply, RouteDef, UpstreamDef } from '../http/server';
import { ScenarioStore } from '../scenario/store';
import { MINUTE } from '../time';
import { credential } from './params';
import { SlackFault, slackMethods } from './slack/methods';
import { SlackWorkspace } from './slack/workspace';

export interface SlackOptions {
  token: string;
  /** Tier 2 calls per minute per token and method (Slack: 20); tier 3 is 2.5 times, tier 4 5 times. */
  perMinute: number;
}

/** Slack's rate limit tier of each served method (api.slack.com/docs/rate-limits). */
export const SLACK_METHOD_TIERS: Record<string, 2 | 3 | 4> = {
  'auth.test': 4,
  'conversations.list': 2,
  'conversations.history': 3,
  'conversations.replies': 3,
  'pins.list': 2,
  'users.info': 4,
  'chat.getPermalink': 4,
};

const TIER_FACTOR = { 2: 1, 3: 2.5, 4: 5 } as const;

const slackError = (error: string, status = 200): Reply => ({
  status,
  body: { ok: false, error },
});

/** Query parameters and form (or JSON object) body fields, the body winning. */
function paramsOf(ctx: Ctx): URLSearchParams {
  const params = new URLSearchParams(ctx.query);
  let fields: Array<[string, string]> = [];
  if (ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body)) {
    fields = Object.entries(ctx.body as Record<string, unknown>).map(
      ([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)],
    );
  } else if (ctx.rawBody.trim()) {
    fields = [...new URLSearchParams(ctx.rawBody)];
  }
  for (const [k, v] of fields) params.set(k, v);
  return params;
}

export function createSlack(
  store: ScenarioStore,
  opts: SlackOptions,
): UpstreamDef {
  const methods = slackMethods(new SlackWorkspace(store), () => store.asOf());
  const budgets = new Map<string, { windowStart: number; used: number }>();

  const routes: RouteDef[] = Object.entries(methods).flatMap(
    ([method, handler]) =>
      (['GET', 'POST'] as const).map(verb => ({
        method: verb,
        path: `/api/${method}`,
        handler: (ctx: Ctx): Reply => {
          try {
            return {
              status: 200,
              body: { ok: true, ...handler(paramsOf(ctx)) },
            };
          } catch (e) {
            if (e instanceof SlackFault) return slackError(e.code);
            throw e;
          }
        },
      })),
  );

  return {
    name: 'slack',
    routes,
    authenticate(ctx) {
      const header = credential(ctx.req.headers.authorization);
      const token =
        header?.scheme === 'bearer'
          ? header.value
          : paramsOf(ctx).get('token') ?? undefined;
      if (!token) return slackError('not_authed');
      return token === opts.token ? undefined : slackError('invalid_auth');
    },
    unauthorized: () => slackError('invalid_auth'),
    serverError: status => slackError('fatal_error', status),
    rateLimited: (spec: NonNullable<FaultSpec['rateLimit']>) => ({
      ...slackError('ratelimited', spec.status ?? 429),
      headers: { 'retry-after': String(spec.retryAfterSec ?? 1) },
    }),
    notFound: () => slackError('unknown_method', 404),
    async around(ctx, run) {
      const method = ctx.path.replace(/^\/api\//, '');
      const tier = SLACK_METHOD_TIERS[method];
      if (!tier) return run();
      const limit = Math.max(1, Math.floor(opts.perMinute * TIER_FACTOR[tier]));
      const token = credential(ctx.req.headers.authorization)?.value ?? '';
      const key = `${token}\u0000${method}`;
      const now = Date.now();
      let b = budgets.get(key);
      if (!b || now - b.windowStart >= MINUTE) {
        b = { windowStart: now, used: 0 };
        budgets.set(key, b);
      }
      if (b.used >= limit) {
        const wait = Math.max(
          1,
          Math.ceil((b.windowStart + MINUTE - now) / 1000),
        );
        return {
          ...slackError('ratelimited', 429),
          headers: { 'retry-after': String(wait) },
        };
      }
      b.used++;
      return run();
    },
    contentType: () => 'application/json; charset=utf-8',
  };
}

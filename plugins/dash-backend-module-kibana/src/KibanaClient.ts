import { LoggerService } from '@backstage/backend-plugin-api';
import {
  UpstreamCaller,
  UpstreamError,
  parseRetryAfter,
} from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import {
  KibanaExecution,
  KibanaRule,
  executionLogSchema,
  executionSchema,
  findRulesSchema,
  ruleSchema,
} from './alerts';
import { executionLogQuery, findRulesQuery } from './queries';

const RULES_PER_PAGE = 100;
const MAX_RULE_PAGES = 5;
/** Rules read per entity; more are left out with a warning. */
const MAX_RULES = 20;
const EXECUTIONS_PER_PAGE = 500;
const MAX_EXECUTION_PAGES = 5;

/** `dash.sources.kibana.kibana`: where Kibana's API is and the key to call it with. */
export interface KibanaApi {
  baseUrl: string;
  apiKey?: string;
}

/** Who calls, and where to warn: the guard and the logger of one fetch. */
export interface KibanaCallContext {
  upstream: UpstreamCaller;
  logger: LoggerService;
}

interface GetOptions {
  /** An internal API (the execution log), served to Kibana's own UI. */
  internal?: boolean;
  /** A 404 answers undefined (a rule deleted meanwhile). */
  missingOk?: boolean;
}

/**
 * Kibana's alerting API with the platform `fetch` and an API key, one guarded call per request,
 * in the Kibana space of `spacePrefix`; lists are read page by page up to a bound.
 */
export class KibanaClient {
  constructor(
    private readonly api: KibanaApi,
    private readonly spacePrefix: string,
  ) {}

  /** The enabled rules tagged `tag`, by name, at most MAX_RULES of them. */
  async findRules(
    context: KibanaCallContext,
    tag: string,
  ): Promise<KibanaRule[]> {
    const rules: KibanaRule[] = [];
    let dropped = 0;
    for (let page = 1; page <= MAX_RULE_PAGES; page++) {
      const query = findRulesQuery(tag, page, RULES_PER_PAGE);
      const body = await this.get(
        context.upstream,
        'alerting rules',
        `/api/alerting/rules/_find?${query}`,
        findRulesSchema,
      );
      if (!body) break;
      for (const raw of body.data) {
        const parsed = ruleSchema.safeParse(raw);
        if (parsed.success) rules.push(parsed.data);
        else dropped += 1;
      }
      if (page * RULES_PER_PAGE >= body.total || body.data.length === 0) break;
    }
    if (dropped) {
      context.logger.warn(
        `Kibana rules tagged ${tag}: dropped ${dropped} without an id or name`,
      );
    }
    if (rules.length > MAX_RULES) {
      context.logger.warn(
        `Kibana rules tagged ${tag}: ${rules.length} found, reading the first ${MAX_RULES}`,
      );
    }
    return rules.filter(r => r.enabled !== false).slice(0, MAX_RULES);
  }

  /** A rule's executions between `fromMs` and `toMs`, newest first, a bounded number of pages. */
  async executions(
    context: KibanaCallContext,
    ruleId: string,
    fromMs: number,
    toMs: number,
  ): Promise<KibanaExecution[]> {
    const out: KibanaExecution[] = [];
    for (let page = 1; page <= MAX_EXECUTION_PAGES; page++) {
      const query = executionLogQuery(fromMs, toMs, page, EXECUTIONS_PER_PAGE);
      const body = await this.get(
        context.upstream,
        'rule execution log',
        `/internal/alerting/rule/${encodeURIComponent(
          ruleId,
        )}/_execution_log?${query}`,
        executionLogSchema,
        { internal: true, missingOk: true },
      );
      if (!body) break;
      for (const raw of body.data) {
        const parsed = executionSchema.safeParse(raw);
        if (parsed.success) out.push(parsed.data);
      }
      if (page * EXECUTIONS_PER_PAGE >= body.total || body.data.length === 0)
        break;
      if (page === MAX_EXECUTION_PAGES) {
        context.logger.warn(
          `Kibana rule ${ruleId}: read ${out.length} of ${body.total} executions; older ones left out`,
        );
      }
    }
    return out;
  }

  /**
   * One GET to Kibana through the guard. Answers are checked inside the guarded call, so that a
   * garbled one is retried like a 5xx.
   */
  async get<T>(
    upstream: UpstreamCaller,
    name: string,
    pathAndQuery: string,
    schema: z.ZodType<T>,
    options: GetOptions = {},
  ): Promise<T | undefined> {
    const { api } = this;
    const url = `${api.baseUrl}${this.spacePrefix}${pathAndQuery}`;
    return upstream.call(
      async signal => {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (api.apiKey) headers.authorization = `ApiKey ${api.apiKey}`;
        // The execution log is an internal API; Kibana 9 serves those to its own UI, which
        // says so with this header.
        if (options.internal) headers['x-elastic-internal-origin'] = 'kibana';
        const res = await fetch(url, { headers, signal, redirect: 'error' });
        if (res.status === 404 && options.missingOk) {
          await res.body?.cancel();
          return undefined;
        }
        const refused = this.refusal(res, name);
        if (refused) throw refused;
        const text = await res.text();
        if (!res.ok) {
          // The status goes with the error: a 4xx to our own request does not open the circuit.
          throw new UpstreamError(
            'error',
            `Kibana ${name} answered ${res.status}: ${text.slice(0, 200)}`,
            { httpStatus: res.status },
          );
        }
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new Error(`Kibana answered ${name} with invalid JSON`);
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          throw new Error(`Kibana answered ${name} in an unexpected shape`);
        }
        return parsed.data;
      },
      { idempotent: true, name },
    );
  }

  /** Refused credentials, a rate limit or a missing API: said before the body is read. */
  private refusal(res: Response, name: string): UpstreamError | undefined {
    const httpStatus = res.status;
    if (res.status === 401 || res.status === 403) {
      return new UpstreamError(
        'unauthorized',
        `Kibana refused the ${name} request (${res.status}); check dash.sources.kibana.kibana.apiKey and its privileges`,
        { httpStatus },
      );
    }
    if (res.status === 429) {
      return new UpstreamError(
        'rate-limited',
        `Kibana is rate limiting (${name})`,
        {
          retryAfterMs:
            parseRetryAfter(res.headers.get('retry-after')) ?? 30_000,
          httpStatus,
        },
      );
    }
    if (res.status === 404) {
      return new UpstreamError(
        'not-configured',
        `Kibana at ${this.api.baseUrl} has no ${name} API (404); check dash.sources.kibana.kibana.baseUrl and spaceId`,
        { httpStatus },
      );
    }
    return undefined;
  }
}

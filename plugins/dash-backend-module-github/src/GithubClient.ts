import { HOUR_MS } from '@dash-suite/plugin-dash-common';
import { SourceContext } from '@dash-suite/plugin-dash-node';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { z } from 'zod';
import { ListMemo } from './cursor';
import {
  RequestErrorLike,
  header,
  isRequestError,
  translateGithubError,
} from './errors';
import { GithubCommit, commitSchema, compareSchema } from './schemas';
import { GithubTarget } from './target';

// The plugins' type declarations import `@octokit/core` from wherever npm hoisted it, which may
// be another major than the one @octokit/rest 20 brings; at run time they only touch the hooks.
type OctokitPlugin = Parameters<typeof Octokit.plugin>[0];
const DashOctokit = Octokit.plugin(
  throttling as unknown as OctokitPlugin,
  retry as unknown as OctokitPlugin,
);
type DashOctokitInstance = InstanceType<typeof DashOctokit>;
type DashOctokitOptions = NonNullable<
  ConstructorParameters<typeof DashOctokit>[0]
>;

type LimitHandler = (
  retryAfter: number,
  options: { method?: string; url?: string },
) => boolean;

/** The options of @octokit/plugin-throttling and @octokit/plugin-retry that the client sets. */
interface PluginOptions {
  throttle: {
    id: string;
    onRateLimit: LimitHandler;
    onSecondaryRateLimit: LimitHandler;
  };
  retry: { enabled: boolean; retries: number };
}

/** How much older than the window a list's stored time filter may be and still be reused. */
const STICKY_SINCE_MS = 36 * HOUR_MS;

export type Params = Record<string, string | number>;

/**
 * The answer of a conditional GET: `notModified` when the ETag still matched (304); `absent`
 * when GitHub answered one of the statuses the caller takes as "there is no such thing".
 */
export interface ConditionalAnswer {
  notModified: boolean;
  absent?: boolean;
  data?: unknown;
  etag?: string;
  link?: string;
}

/** How to read one list newest first. */
export interface ListOptions<T> {
  name: string;
  route: string;
  params: Params;
  schema: z.ZodType<T>;
  /** The list's sort key, newest first; reading stops below the window's start. */
  orderTime?: (item: T) => number | undefined;
  /** A time filter parameter of the request (`since`), from the window's start. */
  windowParam?: { key: string; format: (ms: number) => string };
  /** For answers that wrap the list (workflow runs). */
  unwrap?: (data: unknown) => unknown;
}

/** What a list read returned, and what to remember of it for the next conditional read. */
export interface ListResult<T> {
  items: T[];
  notModified: boolean;
  /** The memo to keep in the cursor; undefined: keep none. */
  memo?: ListMemo;
}

/** What a compare found: one page of the commits head has and base has not, oldest first. */
export interface Comparison {
  /** How many commits head has that base has not, in all (may exceed `commits`). */
  totalCommits: number;
  commits: GithubCommit[];
}

/** Commits read per compare: one page of GitHub's largest size, so one request per pair. */
const COMPARE_PAGE_SIZE = 100;

export interface GithubClientOptions {
  target: GithubTarget;
  token: string;
  context: SourceContext;
  clientRetries: number;
  pageSize: number;
  maxPages: number;
}

function hasNextPage(link: string | undefined): boolean {
  return Boolean(link && /rel="next"/.test(link));
}

function hourFloor(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/**
 * One repository's GitHub REST API through Octokit, for one fetch: every request goes through
 * the DASH guard, is conditional when an ETag is known, reports the rate-limit headers to the
 * guard, and fails with an UpstreamError that says what GitHub answered.
 */
export class GithubClient {
  readonly target: GithubTarget;
  private readonly octokit: DashOctokitInstance;
  private readonly context: SourceContext;

  constructor(private readonly options: GithubClientOptions) {
    this.target = options.target;
    this.context = options.context;
    this.octokit = this.createOctokit();
  }

  private createOctokit(): DashOctokitInstance {
    const { target, token, clientRetries } = this.options;
    const logger = this.context.logger;
    const octokitOptions: DashOctokitOptions & PluginOptions = {
      baseUrl: target.apiBaseUrl,
      auth: token,
      userAgent: 'dash-suite-github-source',
      log: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => logger.warn(message),
        error: (message: string) => logger.error(message),
      },
      // Never retried here: a rate limit becomes an UpstreamError('rate-limited') and the
      // DASH guard pauses the source until GitHub's reset time.
      throttle: {
        id: 'dash-github',
        onRateLimit: (retryAfter, request) => {
          logger.warn(
            `GitHub rate limit reached on ${request.method} ${request.url}; pausing GitHub calls for ${retryAfter} s`,
          );
          return false;
        },
        onSecondaryRateLimit: (retryAfter, request) => {
          logger.warn(
            `GitHub secondary rate limit on ${request.method} ${request.url}; pausing GitHub calls for ${retryAfter} s`,
          );
          return false;
        },
      },
      retry: { enabled: clientRetries > 0, retries: clientRetries },
    };
    const octokit = new DashOctokit(octokitOptions);
    octokit.hook.after('request', response => {
      this.observeRateLimit(response.headers as Record<string, unknown>);
    });
    octokit.hook.error('request', error => {
      this.observeRateLimit(
        (error as Partial<RequestErrorLike>).response?.headers as
          | Record<string, unknown>
          | undefined,
      );
      throw error;
    });
    return octokit;
  }

  /** Tells the guard what GitHub's `x-ratelimit-*` headers said. */
  private observeRateLimit(headers: Record<string, unknown> | undefined) {
    const remaining = Number(header(headers, 'x-ratelimit-remaining'));
    const limit = Number(header(headers, 'x-ratelimit-limit'));
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    if (
      !Number.isFinite(remaining) ||
      header(headers, 'x-ratelimit-remaining') === undefined
    ) {
      return;
    }
    this.context.upstream.observeRateLimit({
      remaining,
      limit: Number.isFinite(limit) && limit > 0 ? limit : undefined,
      resetAt:
        Number.isFinite(reset) && reset > 0
          ? new Date(reset * 1000)
          : undefined,
    });
  }

  /**
   * One GET of the repository's `route` through the guard, with `If-None-Match: etag` when an
   * ETag is given; a 304 is an answer ("unchanged"), not an error, and so is a status listed in
   * `absentOn` (`absent`: neither retried by the guard nor counted against the circuit).
   */
  async conditionalGet(
    name: string,
    route: string,
    params: Params,
    etag: string | undefined,
    validate: (data: unknown) => unknown,
    absentOn: readonly number[] = [],
  ): Promise<ConditionalAnswer> {
    const { target } = this;
    return this.context.upstream.call(
      async signal => {
        try {
          const response = await this.octokit.request(route, {
            owner: target.owner,
            repo: target.repo,
            ...params,
            headers: etag ? { 'if-none-match': etag } : {},
            request: { signal },
          });
          return {
            notModified: false,
            // Checked inside the guard, so that a garbled answer is retried like a 5xx.
            data: validate(response.data),
            etag: header(response.headers, 'etag'),
            link: header(response.headers, 'link'),
          };
        } catch (e) {
          if (isRequestError(e) && e.status === 304)
            return { notModified: true };
          if (isRequestError(e) && absentOn.includes(e.status))
            return { notModified: false, absent: true };
          throw translateGithubError(e, target, name);
        }
      },
      { idempotent: true, name },
    );
  }

  /**
   * What `head` has that `base` has not (`GET compare/{base}...{head}`): one page of commits,
   * oldest first, and how many there are in all. Undefined when GitHub cannot compare the two:
   * 404 (a sha it does not know, say one force-pushed away) or 422 (no common history). Rate
   * limits and server errors fail as for every other call.
   */
  async compare(base: string, head: string): Promise<Comparison | undefined> {
    const answer = await this.conditionalGet(
      'compare',
      'GET /repos/{owner}/{repo}/compare/{basehead}',
      { basehead: `${base}...${head}`, per_page: COMPARE_PAGE_SIZE, page: 1 },
      undefined,
      data => {
        const parsed = compareSchema.safeParse(data);
        if (!parsed.success) {
          throw new Error(
            'GitHub answered compare without total_commits and a list of commits',
          );
        }
        return parsed.data;
      },
      [404, 422],
    );
    if (answer.absent) return undefined;
    const { total_commits, commits } = answer.data as {
      total_commits: number;
      commits: unknown[];
    };
    return {
      totalCommits: total_commits,
      commits: commits.flatMap(raw => {
        const parsed = commitSchema.safeParse(raw);
        return parsed.success ? [parsed.data] : [];
      }),
    };
  }

  /**
   * Reads a list newest first, page by page (at most `maxPages`), until it reaches items older
   * than `fromMs`. The first page is a conditional request when `memo` holds its ETag for the
   * same request and a window at least as wide; a 304 means "nothing changed" and the list
   * returns no items (the events stored before stay).
   */
  async readList<T>(
    options: ListOptions<T>,
    memo: ListMemo | undefined,
    fromMs: number,
  ): Promise<ListResult<T>> {
    const { name, route, schema, orderTime, unwrap, windowParam } = options;
    const { maxPages, pageSize } = this.options;
    // The time filter is sent rounded down to the hour, and the previous value is kept while it
    // is at most STICKY_SINCE_MS older than the window: the request stays the same between
    // refreshes, so its ETag can answer 304. The few extra items are upserted harmlessly.
    let since: number | undefined;
    if (windowParam) {
      since =
        memo?.since !== undefined &&
        memo.since <= fromMs &&
        fromMs - memo.since <= STICKY_SINCE_MS
          ? memo.since
          : hourFloor(fromMs);
    }
    const params = { ...options.params };
    if (windowParam && since !== undefined) {
      params[windowParam.key] = windowParam.format(since);
    }
    const sig = `${route}?${Object.keys(params)
      .sort()
      .map(k => `${k}=${params[k]}`)
      .join('&')}`;
    const etag =
      memo && memo.sig === sig && memo.from <= fromMs ? memo.etag : undefined;
    const items: T[] = [];
    let dropped = 0;
    let firstEtag: string | undefined;
    let oldest = Infinity;
    let complete = false;
    const validate = (data: unknown) => {
      const list = unwrap ? unwrap(data) : data;
      if (!Array.isArray(list)) {
        throw new Error(
          `GitHub answered ${name} with something that is not a list`,
        );
      }
      return list;
    };
    for (let page = 1; page <= maxPages; page++) {
      const answer = await this.conditionalGet(
        name,
        route,
        { ...params, per_page: pageSize, page },
        page === 1 ? etag : undefined,
        validate,
      );
      if (answer.notModified) return { items: [], notModified: true, memo };
      if (page === 1) firstEtag = answer.etag;
      let pageOldest = Infinity;
      for (const raw of answer.data as unknown[]) {
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
          dropped += 1;
          continue;
        }
        items.push(parsed.data);
        const t = orderTime?.(parsed.data);
        if (t !== undefined) pageOldest = Math.min(pageOldest, t);
      }
      oldest = Math.min(oldest, pageOldest);
      if (!hasNextPage(answer.link) || (orderTime && pageOldest < fromMs)) {
        complete = true;
        break;
      }
    }
    const { logger } = this.context;
    const what = `GitHub ${name} of ${this.target.slug}`;
    if (dropped) {
      logger.warn(
        `${what}: dropped ${dropped} item(s) without the expected fields`,
      );
    }
    if (!complete) {
      logger.warn(
        `${what}: read ${maxPages} page(s) of ${pageSize} and stopped; older items in the window were left out (dash.sources.github.maxPages)`,
      );
    }
    const next: ListMemo | undefined = firstEtag
      ? {
          sig,
          etag: firstEtag,
          // What the events returned cover: the window, or for a truncated read only what it
          // reached.
          from:
            complete || !Number.isFinite(oldest)
              ? fromMs
              : Math.max(fromMs, oldest),
          since,
        }
      : undefined;
    return { items, notModified: false, memo: next };
  }
}

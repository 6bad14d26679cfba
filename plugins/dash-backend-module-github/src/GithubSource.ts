import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  GithubIntegrationConfig,
  ScmIntegrations,
} from '@backstage/integration';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  DeepLink,
  FetchEventsRequest,
  FetchEventsResult,
  SignalSource,
  SourceContext,
  UpstreamError,
  parseRetryAfter,
  safeLink,
  warnWithoutAllowList,
} from '@dash-suite/plugin-dash-node';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { z } from 'zod';
import {
  ALLOW_KEY,
  GithubSourceSettings,
  readGithubSourceSettings,
} from './config';
import { GithubCursor, parseCursor, serializeCursor } from './cursor';
import {
  DeploymentState,
  RepoContext,
  SOURCE_ID,
  commitEvent,
  deploymentEvent,
  deploymentState,
  pullRequestEvent,
  releaseEvent,
  rollbackReason,
  workflowRunEvent,
} from './normalize';
import {
  GithubDeployment,
  commitSchema,
  deploymentSchema,
  deploymentStatusSchema,
  pullSchema,
  releaseSchema,
  repositorySchema,
  workflowRunSchema,
  workflowRunsPageSchema,
} from './schemas';
import { parseProjectSlug, slugAnnotation, sourceLocationHost } from './target';

// The plugins' type declarations import `@octokit/core` from wherever npm hoisted it, which may
// be another major than the one @octokit/rest 20 brings; at run time they only touch the hooks.
type OctokitPlugin = Parameters<typeof Octokit.plugin>[0];
const GithubClient = Octokit.plugin(
  throttling as unknown as OctokitPlugin,
  retry as unknown as OctokitPlugin,
);
type GithubClientInstance = InstanceType<typeof GithubClient>;
type GithubClientOptions = NonNullable<
  ConstructorParameters<typeof GithubClient>[0]
>;

type LimitHandler = (
  retryAfter: number,
  options: { method?: string; url?: string },
) => boolean;

/** The options of @octokit/plugin-throttling and @octokit/plugin-retry that the source sets. */
interface PluginOptions {
  throttle: {
    id: string;
    onRateLimit: LimitHandler;
    onSecondaryRateLimit: LimitHandler;
  };
  retry: { enabled: boolean; retries: number };
}

const HOUR = 3600_000;
/** How much older than the window a list's stored time filter may be and still be reused. */
const STICKY_SINCE_MS = 36 * HOUR;
/** Events of pull requests' own CI: noise on a service timeline unless asked for. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** The repository an entity's events come from, and how to reach it. */
export interface GithubTarget {
  host: string;
  apiBaseUrl: string;
  uiBaseUrl: string;
  owner: string;
  repo: string;
  slug: string;
  /** Credentials need a network call (GitHub App installation token). */
  usesApps: boolean;
}

interface Page {
  notModified: boolean;
  data?: unknown;
  etag?: string;
  link?: string;
}

interface ListResult<T> {
  items: T[];
  notModified: boolean;
}

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

function isRequestError(e: unknown): e is RequestErrorLike {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { status?: unknown }).status === 'number' &&
    (e as { name?: unknown }).name === 'HttpError'
  );
}

function header(
  headers: Record<string, unknown> | undefined,
  name: string,
): string | undefined {
  const v = headers?.[name];
  return v === undefined || v === null ? undefined : String(v);
}

/**
 * How long GitHub asked us to wait, when an error is a rate limit: the primary limit (403 or
 * 429 with `x-ratelimit-remaining: 0`, wait until `x-ratelimit-reset`), the secondary limit
 * (403 or 429 with `Retry-After`, or a "secondary rate limit" message, default 60 s), or any 429.
 */
export function rateLimitWaitMs(
  e: RequestErrorLike,
  now: number = Date.now(),
): number | undefined {
  if (e.status !== 403 && e.status !== 429) return undefined;
  const headers = e.response?.headers;
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return Math.max(1000, retryAfter);
  if (header(headers, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) {
      // One second past the reset, as GitHub recommends.
      return Math.max(1000, reset * 1000 - now + 1000);
    }
    return 60_000;
  }
  if (/secondary rate limit|rate limit exceeded/i.test(e.message))
    return 60_000;
  return e.status === 429 ? 60_000 : undefined;
}

/**
 * The one answer for a repository that is outside the allow-list, does not exist, or is private
 * and out of the credentials' reach: it names only what the reader already wrote.
 */
export function notFoundMessage(target: { slug: string }): string {
  return `Repository ${target.slug} was not found or is not accessible with the configured GitHub credentials; check github.com/project-slug`;
}

function hasNextPage(link: string | undefined): boolean {
  return Boolean(link && /rel="next"/.test(link));
}

function hourFloor(ms: number): number {
  return Math.floor(ms / HOUR) * HOUR;
}

function timeOf(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export interface GithubSourceOptions {
  logger: LoggerService;
  /** Replaces the credentials provider built from `integrations.github` (for tests). */
  credentialsProvider?: GithubCredentialsProvider;
}

/**
 * The GitHub source: commits on the default branch, merged pull requests, releases,
 * deployments with their latest status, and Actions workflow runs of the repository named by
 * `github.com/project-slug`, through Backstage's `integrations.github` credentials.
 */
export class GithubSource implements SignalSource {
  readonly id = SOURCE_ID;
  readonly title = 'GitHub';

  private readonly settings?: GithubSourceSettings;
  private readonly integrations?: ScmIntegrations;
  private readonly credentials?: GithubCredentialsProvider;
  private readonly setupProblem?: string;
  private readonly logger: LoggerService;

  static fromConfig(config: Config, options: GithubSourceOptions) {
    return new GithubSource(config, options);
  }

  constructor(config: Config, options: GithubSourceOptions) {
    this.logger = options.logger;
    try {
      this.settings = readGithubSourceSettings(config);
      this.integrations = ScmIntegrations.fromConfig(config);
      this.credentials =
        options.credentialsProvider ??
        DefaultGithubCredentialsProvider.fromIntegrations(this.integrations);
    } catch (e) {
      // A bad config degrades this source only; the backend keeps running.
      this.setupProblem = `GitHub source configuration is invalid: ${
        e instanceof Error ? e.message : String(e)
      }`;
      this.logger.error(this.setupProblem);
      return;
    }
    const settings = this.settings!;
    const integration = this.integrations?.github.byHost(settings.host);
    const hasCredentials = Boolean(
      integration?.config.token || integration?.config.apps?.length,
    );
    if (hasCredentials && !settings.allow) {
      warnWithoutAllowList(
        this.logger,
        'GitHub',
        'github.com/project-slug',
        ALLOW_KEY,
      );
    }
  }

  appliesTo(entity: Entity): boolean {
    return Boolean(slugAnnotation(entity));
  }

  configurationProblem(entity: Entity): string | undefined {
    return this.resolve(entity).problem;
  }

  /**
   * `not-allowed` for a repository outside `dash.sources.github.allow.repositories`, with the
   * very words of a 404, so that a reader cannot tell a repository kept out by the allow-list
   * from one that does not exist or that the credentials cannot see.
   */
  accessProblem(entity: Entity): string | undefined {
    const { target } = this.resolve(entity);
    if (!target || !this.settings?.allow) return undefined;
    return this.settings.allow.allows(target.slug)
      ? undefined
      : notFoundMessage(target);
  }

  /** Where the entity's repository is, or why it cannot be read. */
  resolve(entity: Entity): { target?: GithubTarget; problem?: string } {
    if (this.setupProblem || !this.settings || !this.integrations) {
      return { problem: this.setupProblem ?? 'GitHub source is not set up' };
    }
    const raw = slugAnnotation(entity);
    const slug = parseProjectSlug(raw);
    if (!slug) {
      return {
        problem: `Annotation github.com/project-slug must be 'owner/repo' (letters, digits, '.', '-', '_'), got '${
          raw ?? ''
        }'`,
      };
    }
    // The entity may live on another configured host (GitHub Enterprise); an annotation never
    // names a host that is not a configured integration.
    let host = this.settings.host;
    const located = sourceLocationHost(entity);
    if (located && this.integrations.github.byHost(located)) host = located;
    const integration = this.integrations.github.byHost(host);
    if (!integration) {
      return {
        problem: `No integrations.github entry for host '${host}' (dash.sources.github.host): add one with a token or a GitHub App`,
      };
    }
    const config: GithubIntegrationConfig = integration.config;
    const apiBaseUrl = config.apiBaseUrl;
    if (!apiBaseUrl || !safeLink(apiBaseUrl)) {
      return {
        problem: `integrations.github entry for '${host}' needs an http(s) apiBaseUrl`,
      };
    }
    if (!config.token && !config.apps?.length) {
      return {
        problem: `integrations.github entry for '${host}' has neither a token nor apps: add credentials to read ${slug.owner}/${slug.repo}`,
      };
    }
    return {
      target: {
        host,
        apiBaseUrl: apiBaseUrl.replace(/\/+$/, ''),
        uiBaseUrl: `https://${host}`,
        owner: slug.owner,
        repo: slug.repo,
        slug: `${slug.owner}/${slug.repo}`,
        usesApps: !config.token && Boolean(config.apps?.length),
      },
    };
  }

  getDeepLinks(entity: Entity): DeepLink[] {
    const { target } = this.resolve(entity);
    if (!target || this.accessProblem(entity)) return [];
    const base = `${target.uiBaseUrl}/${target.slug}`;
    const links: DeepLink[] = [
      { title: 'Repository', url: base },
      {
        title: 'Merged pull requests',
        url: `${base}/pulls?q=is%3Apr+is%3Amerged`,
      },
      { title: 'Releases', url: `${base}/releases` },
      { title: 'Deployments', url: `${base}/deployments` },
      { title: 'Actions', url: `${base}/actions` },
    ];
    return links.flatMap(l => {
      const url = safeLink(l.url);
      return url ? [{ title: l.title, url }] : [];
    });
  }

  async fetchEvents(
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<FetchEventsResult> {
    const { target, problem } = this.resolve(request.entity);
    if (!target || !this.settings) {
      throw new UpstreamError('not-configured', problem ?? 'Not configured');
    }
    const denied = this.accessProblem(request.entity);
    if (denied) throw new UpstreamError('not-allowed', denied);
    const cursor = parseCursor(request.cursor, `${target.host}/${target.slug}`);
    const next: GithubCursor = {
      v: 1,
      target: cursor.target,
      lists: {},
      deployments: {},
    };
    const token = await this.token(target, context);
    const client = this.client(target, token, context);
    const repo: RepoContext = {
      entityRef: request.entityRef,
      slug: target.slug,
      uiBaseUrl: target.uiBaseUrl,
    };
    const run: Run = {
      client,
      context,
      target,
      cursor,
      next,
      fromMs: request.from.getTime(),
    };

    const branch = await this.defaultBranch(run);
    // Every list runs to the end before an error is thrown: no call is left running behind.
    const settled = await Promise.allSettled([
      this.commits(run, repo, branch),
      this.pullRequests(run, repo),
      this.releases(run, repo),
      this.deployments(run, repo),
      this.workflowRuns(run, repo),
    ]);
    const failed = settled.find(r => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const lists = settled.map(
      r => (r as PromiseFulfilledResult<DashEvent[]>).value,
    );
    const events = lists.flat();
    return { events, cursor: serializeCursor(next) };
  }

  private async token(
    target: GithubTarget,
    context: SourceContext,
  ): Promise<string> {
    const url = `https://${target.host}/${target.slug}`;
    const lookup = () => this.credentials!.getCredentials({ url });
    // An App's installation token is fetched from GitHub: that call goes through the guard.
    const credentials = target.usesApps
      ? await context.upstream.call(() => lookup(), {
          idempotent: true,
          name: 'credentials',
        })
      : await lookup();
    if (!credentials.token) {
      throw new UpstreamError(
        'unauthorized',
        `No GitHub credentials for ${target.slug} on ${target.host}: the GitHub App is not installed for ${target.owner}, or not allowed to read it (integrations.github)`,
      );
    }
    return credentials.token;
  }

  private client(
    target: GithubTarget,
    token: string,
    context: SourceContext,
  ): GithubClientInstance {
    const logger = context.logger;
    const clientRetries = this.settings?.clientRetries ?? 0;
    const options: GithubClientOptions & PluginOptions = {
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
    const client = new GithubClient(options);
    const observe = (headers: Record<string, unknown> | undefined) => {
      const remaining = Number(header(headers, 'x-ratelimit-remaining'));
      const limit = Number(header(headers, 'x-ratelimit-limit'));
      const reset = Number(header(headers, 'x-ratelimit-reset'));
      if (
        !Number.isFinite(remaining) ||
        header(headers, 'x-ratelimit-remaining') === undefined
      ) {
        return;
      }
      context.upstream.observeRateLimit({
        remaining,
        limit: Number.isFinite(limit) && limit > 0 ? limit : undefined,
        resetAt:
          Number.isFinite(reset) && reset > 0
            ? new Date(reset * 1000)
            : undefined,
      });
    };
    client.hook.after('request', response => {
      observe(response.headers as Record<string, unknown>);
    });
    client.hook.error('request', error => {
      observe(
        (error as Partial<RequestErrorLike>).response?.headers as
          | Record<string, unknown>
          | undefined,
      );
      throw error;
    });
    return client;
  }

  /** One GET through the guard; a 304 is an answer ("unchanged"), not an error. */
  private async get(
    run: Run,
    name: string,
    route: string,
    params: Record<string, string | number>,
    etag: string | undefined,
    validate: (data: unknown) => unknown,
  ): Promise<Page> {
    const { client, context, target } = run;
    return context.upstream.call(
      async signal => {
        try {
          const response = await client.request(route, {
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
          throw this.translate(e, target, name);
        }
      },
      { idempotent: true, name },
    );
  }

  private translate(e: unknown, target: GithubTarget, name: string): unknown {
    if (!isRequestError(e)) return e;
    const what = `GitHub ${name} of ${target.slug}`;
    const wait = rateLimitWaitMs(e);
    if (wait !== undefined) {
      return new UpstreamError(
        'rate-limited',
        `${what}: rate limited by ${target.host}; next call in ${Math.ceil(
          wait / 1000,
        )} s`,
        { retryAfterMs: wait, cause: e },
      );
    }
    if (e.status === 401) {
      return new UpstreamError(
        'unauthorized',
        `${what}: ${target.host} refused the credentials (401 ${e.message}); check integrations.github`,
        { cause: e },
      );
    }
    if (e.status === 403) {
      return new UpstreamError(
        'unauthorized',
        `${what}: access denied by ${target.host} (403 ${e.message})`,
        { cause: e },
      );
    }
    if (e.status === 404) {
      // A wrong annotation, not an outage: not retried and does not open the circuit. GitHub
      // answers 404 alike for a repository that does not exist and for a private one the
      // credentials cannot see; so does DASH, and in the words of the allow-list's refusal.
      return new UpstreamError('not-allowed', notFoundMessage(target), {
        cause: e,
      });
    }
    return e;
  }

  /**
   * Reads a list newest first, page by page (at most `maxPages`), until it reaches items older
   * than `fromMs`. The first page is a conditional request when the cursor holds its ETag for
   * the same request and a window at least as wide; a 304 means "nothing changed" and the list
   * returns no items (the events stored before stay).
   */
  private async readList<T>(
    run: Run,
    options: {
      name: string;
      route: string;
      params: Record<string, string | number>;
      schema: z.ZodType<T>;
      /** The list's sort key, newest first; reading stops below `fromMs`. */
      orderTime?: (item: T) => number | undefined;
      /** A time filter parameter of the request (`since`), from the window's start. */
      windowParam?: { key: string; format: (ms: number) => string };
      /** For answers that wrap the list (workflow runs). */
      unwrap?: (data: unknown) => unknown;
    },
  ): Promise<ListResult<T>> {
    const { name, route, schema, orderTime, unwrap, windowParam } = options;
    const maxPages = this.settings!.maxPages;
    const memo = run.cursor.lists[name];
    // The time filter is sent rounded down to the hour, and the previous value is kept while it
    // is at most STICKY_SINCE_MS older than the window: the request stays the same between
    // refreshes, so its ETag can answer 304. The few extra items are upserted harmlessly.
    let since: number | undefined;
    if (windowParam) {
      since =
        memo?.since !== undefined &&
        memo.since <= run.fromMs &&
        run.fromMs - memo.since <= STICKY_SINCE_MS
          ? memo.since
          : hourFloor(run.fromMs);
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
      memo && memo.sig === sig && memo.from <= run.fromMs
        ? memo.etag
        : undefined;
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
      const answer = await this.get(
        run,
        name,
        route,
        { ...params, per_page: this.settings!.pageSize, page },
        page === 1 ? etag : undefined,
        validate,
      );
      if (answer.notModified) {
        if (memo) run.next.lists[name] = memo;
        return { items: [], notModified: true };
      }
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
      if (!hasNextPage(answer.link) || (orderTime && pageOldest < run.fromMs)) {
        complete = true;
        break;
      }
    }
    if (dropped) {
      run.context.logger.warn(
        `GitHub ${name} of ${run.target.slug}: dropped ${dropped} item(s) without the expected fields`,
      );
    }
    if (!complete) {
      run.context.logger.warn(
        `GitHub ${name} of ${run.target.slug}: read ${maxPages} page(s) of ${
          this.settings!.pageSize
        } and stopped; older items in the window were left out (dash.sources.github.maxPages)`,
      );
    }
    if (firstEtag) {
      run.next.lists[name] = {
        sig,
        etag: firstEtag,
        // What the events returned cover: the window, or for a truncated read only what it
        // reached.
        from:
          complete || !Number.isFinite(oldest)
            ? run.fromMs
            : Math.max(run.fromMs, oldest),
        since,
      };
    }
    return { items, notModified: false };
  }

  private async defaultBranch(run: Run): Promise<string> {
    const cached = run.cursor.repo;
    const answer = await this.get(
      run,
      'repository',
      'GET /repos/{owner}/{repo}',
      {},
      cached?.etag,
      data => {
        const parsed = repositorySchema.safeParse(data);
        if (!parsed.success) {
          throw new Error(
            'GitHub answered the repository without a default branch',
          );
        }
        return parsed.data;
      },
    );
    if (answer.notModified && cached) {
      run.next.repo = cached;
      return cached.defaultBranch;
    }
    const branch = (answer.data as { default_branch: string }).default_branch;
    if (answer.etag)
      run.next.repo = { etag: answer.etag, defaultBranch: branch };
    return branch;
  }

  private async commits(run: Run, repo: RepoContext, branch: string) {
    const list = await this.readList(run, {
      name: 'commits',
      route: 'GET /repos/{owner}/{repo}/commits',
      params: { sha: branch },
      windowParam: { key: 'since', format: ms => new Date(ms).toISOString() },
      schema: commitSchema,
      orderTime: c => timeOf(c.commit.committer?.date ?? c.commit.author?.date),
    });
    return list.items.flatMap(c => commitEvent(repo, c, branch) ?? []);
  }

  private async pullRequests(run: Run, repo: RepoContext) {
    const list = await this.readList(run, {
      name: 'pulls',
      route: 'GET /repos/{owner}/{repo}/pulls',
      params: { state: 'closed', sort: 'updated', direction: 'desc' },
      schema: pullSchema,
      orderTime: pr => timeOf(pr.updated_at),
    });
    return list.items.flatMap(pr => {
      const merged = timeOf(pr.merged_at);
      if (merged === undefined || merged < run.fromMs) return [];
      return pullRequestEvent(repo, pr) ?? [];
    });
  }

  private async releases(run: Run, repo: RepoContext) {
    const list = await this.readList(run, {
      name: 'releases',
      route: 'GET /repos/{owner}/{repo}/releases',
      params: {},
      schema: releaseSchema,
      orderTime: r => timeOf(r.created_at),
    });
    return list.items.flatMap(r => {
      const t = timeOf(r.published_at) ?? timeOf(r.created_at);
      if (t === undefined || t < run.fromMs) return [];
      return releaseEvent(repo, r) ?? [];
    });
  }

  private async deployments(run: Run, repo: RepoContext): Promise<DashEvent[]> {
    const list = await this.readList(run, {
      name: 'deployments',
      route: 'GET /repos/{owner}/{repo}/deployments',
      params: {},
      schema: deploymentSchema,
      orderTime: d => timeOf(d.created_at),
    });
    if (list.notModified) {
      // Nothing changed, statuses included (a new status updates the deployment).
      run.next.deployments = { ...run.cursor.deployments };
      return [];
    }
    const newestFirst = [...list.items].sort(
      (a, b) =>
        (timeOf(b.created_at) ?? 0) - (timeOf(a.created_at) ?? 0) ||
        b.id - a.id,
    );
    const max = this.settings!.maxDeploymentStatusLookups;
    let lookups = 0;
    let unknown = 0;
    const events: DashEvent[] = [];
    for (let i = 0; i < newestFirst.length; i++) {
      const d = newestFirst[i];
      const created = timeOf(d.created_at);
      if (created === undefined || created < run.fromMs) continue;
      let state: DeploymentState | undefined;
      const memo = run.cursor.deployments[String(d.id)];
      if (memo && memo.u === d.updated_at) {
        state = memo;
      } else if (lookups < max) {
        lookups += 1;
        state = await this.deploymentStatuses(run, d);
      } else {
        unknown += 1;
      }
      if (state)
        run.next.deployments[String(d.id)] = { u: d.updated_at, ...state };
      const previousShas = newestFirst
        .slice(i + 1)
        .filter(o => o.environment === d.environment)
        .map(o => o.sha);
      const event = deploymentEvent(
        repo,
        d,
        state,
        rollbackReason(d, previousShas),
      );
      if (event) events.push(event);
    }
    if (unknown) {
      run.context.logger.warn(
        `GitHub deployments of ${run.target.slug}: ${unknown} deployment(s) shown without a status; more than ${max} status lookups per refresh (dash.sources.github.maxDeploymentStatusLookups)`,
      );
    }
    return events;
  }

  private async deploymentStatuses(
    run: Run,
    d: GithubDeployment,
  ): Promise<DeploymentState | undefined> {
    const answer = await this.get(
      run,
      'deployment statuses',
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      { deployment_id: d.id, per_page: 100 },
      undefined,
      data => {
        if (!Array.isArray(data)) {
          throw new Error(
            'GitHub answered deployment statuses with something that is not a list',
          );
        }
        return data;
      },
    );
    const statuses = (answer.data as unknown[]).flatMap(raw => {
      const parsed = deploymentStatusSchema.safeParse(raw);
      return parsed.success ? [parsed.data] : [];
    });
    return deploymentState(statuses);
  }

  private async workflowRuns(run: Run, repo: RepoContext) {
    const list = await this.readList(run, {
      name: 'workflow runs',
      route: 'GET /repos/{owner}/{repo}/actions/runs',
      params: {},
      windowParam: {
        key: 'created',
        format: ms => `>=${new Date(ms).toISOString().replace('.000Z', 'Z')}`,
      },
      schema: workflowRunSchema,
      orderTime: r => timeOf(r.created_at),
      unwrap: data => {
        const parsed = workflowRunsPageSchema.safeParse(data);
        return parsed.success ? parsed.data.workflow_runs : undefined;
      },
    });
    const includePrs = this.settings!.includePullRequestWorkflowRuns;
    return list.items.flatMap(r => {
      if (!includePrs && PULL_REQUEST_EVENTS.has(r.event)) return [];
      const t = timeOf(r.created_at);
      if (t === undefined || t < run.fromMs) return [];
      return workflowRunEvent(repo, r) ?? [];
    });
  }
}

/** The state of one fetch. */
interface Run {
  client: GithubClientInstance;
  context: SourceContext;
  target: GithubTarget;
  cursor: GithubCursor;
  next: GithubCursor;
  fromMs: number;
}

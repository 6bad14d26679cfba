import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { CampaignCheckDegradedError } from '@dash-suite/plugin-project-catalog-node';
import {
  GithubOctokit,
  GithubOctokitInstance,
  RequestErrorLike,
  headerOf as header,
  isRequestError,
} from '../github/octokit';
import { RateBudget, RateBudgetOptions } from './RateBudget';

const SLUG_ANNOTATION = 'github.com/project-slug';
const SLUG = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

export interface GithubSettings
  extends Omit<RateBudgetOptions, 'clock' | 'sleep'> {
  /** The `integrations.github` host the repositories are on. */
  host: string;
  /** Retries of 5xx answers by @octokit/plugin-retry. */
  retries: number;
}

/** A repository of an entity, and how to reach it. */
export interface GithubRepo {
  host: string;
  apiBaseUrl: string;
  owner: string;
  repo: string;
  slug: string;
}

export type GithubFileAnswer =
  | { kind: 'file'; content: string; etag?: string }
  | { kind: 'not-modified' }
  | { kind: 'missing' }
  | { kind: 'directory' };

/**
 * Reads single files of repositories through the GitHub contents API with Backstage's
 * `integrations.github` credentials: conditional requests (a 304 costs no rate limit), a rate
 * budget per host, and errors translated into degraded answers (rate limited, unauthorized,
 * timed out, unavailable).
 */
export class GithubContentsClient {
  private readonly clients = new Map<string, GithubOctokitInstance>();
  private readonly budget: RateBudget;

  static fromConfig(
    config: Config,
    options: {
      settings: GithubSettings;
      logger: LoggerService;
      credentialsProvider?: GithubCredentialsProvider;
    },
  ): GithubContentsClient {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GithubContentsClient(
      integrations,
      options.credentialsProvider ??
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      options.settings,
      options.logger,
    );
  }

  constructor(
    private readonly integrations: ScmIntegrations,
    private readonly credentials: GithubCredentialsProvider,
    private readonly settings: GithubSettings,
    private readonly logger: LoggerService,
  ) {
    this.budget = new RateBudget(`GitHub (${settings.host})`, settings);
  }

  /** The entity's repository, or why there is none (a finding for the owners). */
  resolve(entity: Entity): { repo?: GithubRepo; problem?: string } {
    const raw = entity.metadata.annotations?.[SLUG_ANNOTATION];
    if (!raw)
      return {
        problem: `No ${SLUG_ANNOTATION} annotation names the repository`,
      };
    const m = SLUG.exec(raw);
    if (!m || m[1].includes('..') || m[2].includes('..')) {
      return {
        problem: `${SLUG_ANNOTATION} must be 'owner/repo', got '${raw}'`,
      };
    }
    const integration = this.integrations.github.byHost(this.settings.host);
    const apiBaseUrl = integration?.config.apiBaseUrl;
    if (!apiBaseUrl) {
      // Configuration, not the entity: thrown, so that the status is `error` with this message.
      throw new Error(
        `No integrations.github entry with an apiBaseUrl for host '${this.settings.host}' (projectCatalog.campaigns.github.host)`,
      );
    }
    return {
      repo: {
        host: this.settings.host,
        apiBaseUrl: apiBaseUrl.replace(/\/+$/, ''),
        owner: m[1],
        repo: m[2],
        slug: `${m[1]}/${m[2]}`,
      },
    };
  }

  /** One file from the default branch; `etag` makes it a conditional request. */
  async getFile(
    repo: GithubRepo,
    path: string,
    etag: string | undefined,
    signal: AbortSignal,
  ): Promise<GithubFileAnswer> {
    await this.budget.take();
    const what = `GitHub contents of ${path} in ${repo.slug}`;
    const { token } = await this.credentials.getCredentials({
      url: `https://${repo.host}/${repo.slug}`,
    });
    if (!token) {
      throw new CampaignCheckDegradedError(
        'unauthorized',
        `${what}: no GitHub credentials for ${repo.slug} (integrations.github)`,
      );
    }
    try {
      const response = await this.client(repo.apiBaseUrl, token).request(
        'GET /repos/{owner}/{repo}/contents/{path}',
        {
          owner: repo.owner,
          repo: repo.repo,
          path,
          headers: etag ? { 'if-none-match': etag } : {},
          request: { signal },
        },
      );
      const data = response.data as unknown;
      if (Array.isArray(data)) return { kind: 'directory' };
      const file = data as {
        type?: string;
        content?: string;
        encoding?: string;
      };
      if (file.type !== 'file' || typeof file.content !== 'string') {
        return { kind: 'directory' };
      }
      const content =
        file.encoding === 'base64'
          ? Buffer.from(file.content, 'base64').toString('utf8')
          : file.content;
      return {
        kind: 'file',
        content,
        etag: header(response.headers as Record<string, unknown>, 'etag'),
      };
    } catch (e) {
      if (isRequestError(e) && e.status === 304)
        return { kind: 'not-modified' };
      if (isRequestError(e) && e.status === 404) return { kind: 'missing' };
      throw this.translate(e, what, signal);
    }
  }

  private translate(e: unknown, what: string, signal: AbortSignal): Error {
    if (signal.aborted || (e as Error)?.name === 'AbortError') {
      return new CampaignCheckDegradedError(
        'timed-out',
        `${what}: no answer in time`,
        {
          cause: e,
        },
      );
    }
    if (!isRequestError(e)) {
      return new CampaignCheckDegradedError(
        'unavailable',
        `${what}: ${(e as Error)?.message ?? String(e)}`,
        { cause: e },
      );
    }
    const headers = e.response?.headers;
    const retryAfter = Number(header(headers, 'retry-after'));
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    const limited =
      e.status === 429 ||
      ((e.status === 403 || e.status === 429) &&
        (Number.isFinite(retryAfter) ||
          header(headers, 'x-ratelimit-remaining') === '0' ||
          /rate limit/i.test(e.message)));
    if (limited) {
      let until = Date.now() + 60_000;
      if (Number.isFinite(retryAfter)) {
        until = Date.now() + Math.max(1, retryAfter) * 1000;
      } else if (Number.isFinite(reset) && reset > 0) {
        until = reset * 1000 + 1000;
      }
      this.budget.pause(until);
      return new CampaignCheckDegradedError(
        'rate-limited',
        `${what}: rate limited by ${this.settings.host} until ${new Date(
          until,
        ).toISOString()}`,
        { retryAfterMs: until - Date.now(), cause: e },
      );
    }
    if (e.status === 401 || e.status === 403) {
      return new CampaignCheckDegradedError(
        'unauthorized',
        `${what}: ${this.settings.host} refused the credentials (${e.status} ${e.message}); check integrations.github`,
        { cause: e },
      );
    }
    return new CampaignCheckDegradedError(
      'unavailable',
      `${what}: ${this.settings.host} answered ${e.status} ${e.message}`,
      { cause: e },
    );
  }

  private client(baseUrl: string, token: string): GithubOctokitInstance {
    const key = `${baseUrl} ${token}`;
    let client = this.clients.get(key);
    if (client) return client;
    const logger = this.logger;
    const options = {
      baseUrl,
      auth: token,
      userAgent: 'dash-suite-project-catalog-campaigns',
      log: {
        debug: () => {},
        info: () => {},
        warn: (m: string) => logger.warn(m),
        error: (m: string) => logger.error(m),
      },
      // Never waited out here: a rate limit makes the check degraded, and the budget pauses.
      throttle: {
        id: 'project-catalog-campaigns',
        onRateLimit: () => false,
        onSecondaryRateLimit: () => false,
      },
      retry: {
        enabled: this.settings.retries > 0,
        retries: this.settings.retries,
      },
    };
    client = new GithubOctokit(
      options as ConstructorParameters<typeof GithubOctokit>[0],
    );
    const observe = (h: Record<string, unknown> | undefined) => {
      const remaining = header(h, 'x-ratelimit-remaining');
      const reset = Number(header(h, 'x-ratelimit-reset'));
      this.budget.observe(
        remaining === undefined ? undefined : Number(remaining),
        Number.isFinite(reset) ? reset * 1000 : undefined,
      );
    };
    client.hook.after('request', response =>
      observe(response.headers as Record<string, unknown>),
    );
    client.hook.error('request', error => {
      observe((error as Partial<RequestErrorLike>).response?.headers);
      throw error;
    });
    // App installation tokens change hourly: keep a handful of clients, not one per token ever.
    if (this.clients.size >= 16) this.clients.clear();
    this.clients.set(key, client);
    return client;
  }
}

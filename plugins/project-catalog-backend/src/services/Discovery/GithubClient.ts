import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  GithubOctokit as Client,
  GithubOctokitOptions as ClientOptions,
  RequestErrorLike,
  isRequestError,
} from '../github/octokit';
import { z } from 'zod';
import { RepositoryTeam } from './inferOwner';
import { UpstreamProblem } from './types';

/** Pages of 100 repositories read per organisation, at most. */
const MAX_REPOSITORY_PAGES = 20;

const repositorySchema = z.object({
  name: z.string(),
  full_name: z.string(),
  html_url: z.string(),
  description: z.string().nullish(),
  language: z.string().nullish(),
  topics: z.array(z.string()).nullish(),
  archived: z.boolean().nullish(),
  fork: z.boolean().nullish(),
  default_branch: z.string().nullish(),
});
export type GithubRepository = z.infer<typeof repositorySchema>;

const dirSchema = z.array(z.object({ name: z.string(), type: z.string() }));
const fileSchema = z.object({
  type: z.literal('file'),
  content: z.string(),
  encoding: z.string().nullish(),
});
const teamsSchema = z.array(
  z.object({ slug: z.string(), permission: z.string().nullish() }),
);

function isRateLimit(e: RequestErrorLike): boolean {
  if (e.status !== 403 && e.status !== 429) return false;
  const h = e.response?.headers ?? {};
  return (
    e.status === 429 ||
    h['retry-after'] !== undefined ||
    String(h['x-ratelimit-remaining']) === '0' ||
    /rate limit/i.test(e.message)
  );
}

/**
 * GitHub's REST API for discovery, one host of `integrations.github`: octokit with
 * @octokit/plugin-throttling (never waiting: a rate limit ends the scan as `rate-limited`) and
 * @octokit/plugin-retry (one retry of a 5xx), a timeout per request, and every failure translated
 * into an UpstreamProblem.
 */
export class GithubClient {
  private constructor(
    private readonly octokit: InstanceType<typeof Client>,
    private readonly host: string,
    private readonly timeoutMs: number,
  ) {}

  /** A client for the organisation, with credentials from `integrations.github`. */
  static async create(options: {
    integrations: ScmIntegrations;
    credentials?: GithubCredentialsProvider;
    host: string;
    org: string;
    timeoutMs: number;
    logger: LoggerService;
  }): Promise<GithubClient> {
    const { integrations, host, org, logger } = options;
    const integration = integrations.github.byHost(host);
    if (!integration?.config.apiBaseUrl) {
      throw new UpstreamProblem(
        'not-configured',
        `No integrations.github entry with an apiBaseUrl for ${host} (organisation ${org})`,
      );
    }
    const provider =
      options.credentials ??
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    let token: string | undefined;
    try {
      token = (await provider.getCredentials({ url: `https://${host}/${org}` }))
        .token;
    } catch (error) {
      throw new UpstreamProblem(
        'unauthorized',
        `No GitHub credentials for ${host}/${org}: ${(error as Error).message}`,
      );
    }
    if (!token) {
      throw new UpstreamProblem(
        'unauthorized',
        `No GitHub credentials for ${host}/${org}: add a token or install the GitHub App for ${org} (integrations.github)`,
      );
    }
    const warn = (what: string) => (after: number, req: { url?: string }) => {
      logger.warn(
        `GitHub ${what} on ${req.url}; discovery stops for ${after} s`,
      );
      return false;
    };
    const clientOptions: ClientOptions & Record<string, unknown> = {
      baseUrl: integration.config.apiBaseUrl.replace(/\/+$/, ''),
      auth: token,
      userAgent: 'dash-suite-project-catalog-discovery',
      log: {
        debug: () => {},
        info: () => {},
        warn: (m: string) => logger.warn(m),
        error: (m: string) => logger.error(m),
      },
      throttle: {
        id: 'project-catalog-discovery',
        onRateLimit: warn('rate limit'),
        onSecondaryRateLimit: warn('secondary rate limit'),
      },
      retry: { retries: 1 },
    };
    return new GithubClient(new Client(clientOptions), host, options.timeoutMs);
  }

  /** The organisation's repositories (at most 2000). */
  async repositories(org: string): Promise<GithubRepository[]> {
    const out: GithubRepository[] = [];
    for (let page = 1; page <= MAX_REPOSITORY_PAGES; page++) {
      const data = await this.get(
        `repositories of ${org}`,
        'GET /orgs/{org}/repos',
        // By name, so that paging stays stable while repositories are created.
        {
          org,
          type: 'all',
          sort: 'full_name',
          direction: 'asc',
          per_page: 100,
          page,
        },
      );
      const list = z.array(z.unknown()).safeParse(data);
      if (!list.success) {
        throw new UpstreamProblem(
          'error',
          `GitHub answered the repositories of ${org} without a list`,
        );
      }
      for (const item of list.data) {
        const repo = repositorySchema.safeParse(item);
        if (repo.success) out.push(repo.data);
      }
      if (list.data.length < 100) break;
    }
    return out;
  }

  /** A folder's entry names, or a file's text; undefined when there is nothing at the path. */
  async contents(
    owner: string,
    repo: string,
    path: string,
  ): Promise<{ names: string[] } | { text: string } | undefined> {
    const encoded = path
      .split('/')
      .filter(Boolean)
      .map(encodeURIComponent)
      .join('/');
    const data = await this.get(
      `${path || 'root folder'} of ${owner}/${repo}`,
      encoded
        ? `GET /repos/{owner}/{repo}/contents/${encoded}`
        : 'GET /repos/{owner}/{repo}/contents',
      { owner, repo },
      true,
    );
    if (data === undefined) return undefined;
    const dir = dirSchema.safeParse(data);
    if (dir.success) return { names: dir.data.map(e => e.name) };
    const file = fileSchema.safeParse(data);
    if (!file.success) return undefined;
    const text =
      file.data.encoding === 'base64'
        ? Buffer.from(file.data.content, 'base64').toString('utf8')
        : file.data.content;
    return { text };
  }

  /** Teams with access to the repository; undefined when the credentials may not see them. */
  async teams(
    owner: string,
    repo: string,
  ): Promise<RepositoryTeam[] | undefined> {
    const data = await this.get(
      `teams of ${owner}/${repo}`,
      'GET /repos/{owner}/{repo}/teams',
      { owner, repo, per_page: 100 },
      true,
      true,
    );
    const teams = teamsSchema.safeParse(data);
    if (!teams.success) return undefined;
    return teams.data.map(t => ({
      slug: t.slug,
      permission: t.permission ?? 'pull',
    }));
  }

  private async get(
    what: string,
    route: string,
    params: Record<string, string | number>,
    allowNotFound = false,
    allowForbidden = false,
  ): Promise<unknown> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await this.octokit.request(route, {
        ...params,
        request: { signal },
      });
      return response.data;
    } catch (error) {
      if (signal.aborted) {
        throw new UpstreamProblem(
          'timed-out',
          `GitHub (${this.host}) did not answer the ${what} within ${this.timeoutMs} ms`,
        );
      }
      if (!isRequestError(error)) {
        throw new UpstreamProblem('error', `GitHub ${what}: ${String(error)}`);
      }
      if (isRateLimit(error)) {
        throw new UpstreamProblem(
          'rate-limited',
          `GitHub (${this.host}) rate limited the ${what} (${error.status}); discovery tries again on its next run`,
        );
      }
      if (error.status === 404 && allowNotFound) return undefined;
      if (error.status === 403 && allowForbidden) return undefined;
      if (error.status === 401 || error.status === 403) {
        throw new UpstreamProblem(
          'unauthorized',
          `GitHub (${this.host}) refused the ${what} (${error.status} ${error.message}); check integrations.github`,
        );
      }
      if (error.status === 404) {
        throw new UpstreamProblem(
          'error',
          `GitHub (${this.host}) has no ${what}, or the credentials cannot see it (404)`,
        );
      }
      throw new UpstreamProblem(
        'error',
        `GitHub (${this.host}) failed the ${what}: ${error.status} ${error.message}`,
      );
    }
  }
}

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
  safeLink,
  warnWithoutAllowList,
} from '@dash-suite/plugin-dash-node';
import { GithubClient } from './GithubClient';
import {
  ALLOW_KEY,
  GithubSourceSettings,
  readGithubSourceSettings,
} from './config';
import { GithubCursor, parseCursor, serializeCursor } from './cursor';
import { notFoundMessage } from './errors';
import {
  GithubRun,
  readCommits,
  readDefaultBranch,
  readDeployments,
  readPullRequests,
  readReleases,
  readWorkflowRuns,
} from './lists';
import { SOURCE_ID } from './normalize';
import { attachShipped } from './shippedCompares';
import {
  GithubTarget,
  parseProjectSlug,
  slugAnnotation,
  sourceLocationHost,
} from './target';

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
      shipped: {},
    };
    const token = await this.token(target, context);
    const settings = this.settings;
    const run: GithubRun = {
      client: new GithubClient({
        target,
        token,
        context,
        clientRetries: settings.clientRetries,
        pageSize: settings.pageSize,
        maxPages: settings.maxPages,
      }),
      settings,
      logger: context.logger,
      repo: {
        entityRef: request.entityRef,
        slug: target.slug,
        uiBaseUrl: target.uiBaseUrl,
      },
      cursor,
      next,
      fromMs: request.from.getTime(),
    };

    const branch = await readDefaultBranch(run);
    // Every list runs to the end before an error is thrown: no call is left running behind.
    const settled = await Promise.allSettled([
      readCommits(run, branch),
      readPullRequests(run),
      readReleases(run),
      readDeployments(run),
      readWorkflowRuns(run),
    ]);
    const failed = settled.find(r => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const events = await attachShipped(
      run,
      settled.flatMap(r => (r as PromiseFulfilledResult<DashEvent[]>).value),
    );
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
}

import { LoggerService } from '@backstage/backend-plugin-api';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { GithubClient, ListOptions } from './GithubClient';
import { GithubSourceSettings } from './config';
import { GithubCursor } from './cursor';
import {
  DeploymentState,
  RepoContext,
  commitEvent,
  deploymentEvent,
  deploymentState,
  pullRequestEvent,
  releaseEvent,
  rollbackReason,
  timeOf,
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

/** Events of pull requests' own CI: noise on a service timeline unless asked for. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** The state of one fetch of one repository. */
export interface GithubRun {
  client: GithubClient;
  settings: GithubSourceSettings;
  logger: LoggerService;
  repo: RepoContext;
  /** Epoch ms: the window's start. */
  fromMs: number;
  /** What the previous fetch remembered (`cursor`) and what this one remembers (`next`). */
  cursor: GithubCursor;
  next: GithubCursor;
  /**
   * Every deployment the list read returned, newest first, also those older than the window
   * (what the oldest ones in view followed); undefined when the list was unchanged (304).
   */
  deploymentsRead?: GithubDeployment[];
}

/** Whether a time is known and not before the window. */
function inWindow(run: GithubRun, t: number | undefined): t is number {
  return t !== undefined && t >= run.fromMs;
}

/**
 * Reads a list through the client, keeping its ETag memo in the next cursor; `conditional`
 * false reads it whole even when it did not change.
 */
async function readList<T>(
  run: GithubRun,
  options: ListOptions<T>,
  conditional = true,
) {
  const result = await run.client.readList(
    options,
    conditional ? run.cursor.lists[options.name] : undefined,
    run.fromMs,
  );
  if (result.memo) run.next.lists[options.name] = result.memo;
  return result;
}

/** The repository's default branch, conditionally on the ETag the cursor holds. */
export async function readDefaultBranch(run: GithubRun): Promise<string> {
  const cached = run.cursor.repo;
  const answer = await run.client.conditionalGet(
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
  if (answer.etag) run.next.repo = { etag: answer.etag, defaultBranch: branch };
  return branch;
}

export async function readCommits(
  run: GithubRun,
  branch: string,
): Promise<DashEvent[]> {
  const list = await readList(run, {
    name: 'commits',
    route: 'GET /repos/{owner}/{repo}/commits',
    params: { sha: branch },
    windowParam: { key: 'since', format: ms => new Date(ms).toISOString() },
    schema: commitSchema,
    orderTime: c => timeOf(c.commit.committer?.date ?? c.commit.author?.date),
  });
  return list.items.flatMap(c => commitEvent(run.repo, c, branch) ?? []);
}

export async function readPullRequests(run: GithubRun): Promise<DashEvent[]> {
  const list = await readList(run, {
    name: 'pulls',
    route: 'GET /repos/{owner}/{repo}/pulls',
    params: { state: 'closed', sort: 'updated', direction: 'desc' },
    schema: pullSchema,
    orderTime: pr => timeOf(pr.updated_at),
  });
  return list.items.flatMap(pr =>
    inWindow(run, timeOf(pr.merged_at))
      ? pullRequestEvent(run.repo, pr) ?? []
      : [],
  );
}

export async function readReleases(run: GithubRun): Promise<DashEvent[]> {
  const list = await readList(run, {
    name: 'releases',
    route: 'GET /repos/{owner}/{repo}/releases',
    params: {},
    schema: releaseSchema,
    orderTime: r => timeOf(r.created_at),
  });
  return list.items.flatMap(r =>
    inWindow(run, timeOf(r.published_at) ?? timeOf(r.created_at))
      ? releaseEvent(run.repo, r) ?? []
      : [],
  );
}

export async function readDeployments(run: GithubRun): Promise<DashEvent[]> {
  // A 304 returns no deploy events; one still waiting for what it shipped (its compare failed
  // or was left for a later refresh) must be returned again, so the list is read whole.
  const list = await readList(
    run,
    {
      name: 'deployments',
      route: 'GET /repos/{owner}/{repo}/deployments',
      params: {},
      schema: deploymentSchema,
      orderTime: d => timeOf(d.created_at),
    },
    !run.cursor.shippedDue,
  );
  if (list.notModified) {
    // Nothing changed, statuses included (a new status updates the deployment).
    run.next.deployments = { ...run.cursor.deployments };
    return [];
  }
  const newestFirst = [...list.items].sort(
    (a, b) =>
      (timeOf(b.created_at) ?? 0) - (timeOf(a.created_at) ?? 0) || b.id - a.id,
  );
  run.deploymentsRead = newestFirst;
  const max = run.settings.maxDeploymentStatusLookups;
  let lookups = 0;
  let unknown = 0;
  const events: DashEvent[] = [];
  for (let i = 0; i < newestFirst.length; i++) {
    const d = newestFirst[i];
    if (!inWindow(run, timeOf(d.created_at))) continue;
    let state: DeploymentState | undefined;
    const memo = run.cursor.deployments[String(d.id)];
    if (memo && memo.u === d.updated_at) {
      state = memo;
    } else if (lookups < max) {
      lookups += 1;
      state = await readDeploymentState(run, d);
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
      run.repo,
      d,
      state,
      rollbackReason(d, previousShas),
    );
    if (event) events.push(event);
  }
  if (unknown) {
    run.logger.warn(
      `GitHub deployments of ${run.repo.slug}: ${unknown} deployment(s) shown without a status; more than ${max} status lookups per refresh (dash.sources.github.maxDeploymentStatusLookups)`,
    );
  }
  return events;
}

async function readDeploymentState(
  run: GithubRun,
  d: GithubDeployment,
): Promise<DeploymentState | undefined> {
  const answer = await run.client.conditionalGet(
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

export async function readWorkflowRuns(run: GithubRun): Promise<DashEvent[]> {
  const list = await readList(run, {
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
  const includePrs = run.settings.includePullRequestWorkflowRuns;
  return list.items.flatMap(r => {
    if (!includePrs && PULL_REQUEST_EVENTS.has(r.event)) return [];
    if (!inWindow(run, timeOf(r.created_at))) return [];
    return workflowRunEvent(run.repo, r) ?? [];
  });
}

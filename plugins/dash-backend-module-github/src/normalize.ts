import { JsonValue } from '@backstage/types';
import { DashActor, DashEvent } from '@dash-suite/plugin-dash-common';
import { dashEventId, safeLink } from '@dash-suite/plugin-dash-node';
import {
  GithubCommit,
  GithubDeployment,
  GithubDeploymentStatus,
  GithubPull,
  GithubRelease,
  GithubWorkflowRun,
} from './schemas';

export const SOURCE_ID = 'github';

/** Where the events of one repository belong and link to. */
export interface RepoContext {
  entityRef: string;
  /** `owner/repo`. */
  slug: string;
  /** Web UI root, e.g. `https://github.com` or `https://ghe.example.com`. */
  uiBaseUrl: string;
}

/** Epoch ms of a time GitHub wrote, or undefined when it is absent or unreadable. */
export function timeOf(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function isoOrUndefined(value: string | null | undefined): string | undefined {
  const t = timeOf(value);
  return t === undefined ? undefined : new Date(t).toISOString();
}

function actorOf(
  user: { login: string; html_url?: string | null } | null | undefined,
): DashActor | undefined {
  if (!user) return undefined;
  return { name: user.login, url: safeLink(user.html_url) };
}

function compact(
  attributes: Record<string, JsonValue | undefined>,
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(attributes)) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** A link into the repository's web UI, each path segment encoded. */
export function repoLink(
  repo: RepoContext,
  ...path: string[]
): string | undefined {
  return safeLink(
    `${repo.uiBaseUrl}/${repo.slug}${path.length ? '/' : ''}${path
      .map(p => encodeURIComponent(p))
      .join('/')}`,
  );
}

/** A commit on the default branch. Undefined when it has no usable date. */
export function commitEvent(
  repo: RepoContext,
  c: GithubCommit,
  branch: string,
): DashEvent | undefined {
  const startTime =
    isoOrUndefined(c.commit.committer?.date) ??
    isoOrUndefined(c.commit.author?.date);
  if (!startTime) return undefined;
  const [subject] = c.commit.message.split('\n');
  const authorName = c.commit.author?.name ?? c.author?.login ?? 'unknown';
  return {
    id: dashEventId(SOURCE_ID, repo.slug, 'commit', c.sha),
    source: SOURCE_ID,
    kind: 'commit',
    title: subject.trim() || c.sha.slice(0, 7),
    severity: 'info',
    startTime,
    entityRef: repo.entityRef,
    actor: {
      name: c.author?.login ?? authorName,
      email: c.commit.author?.email ?? undefined,
      url: safeLink(c.author?.html_url),
    },
    url: safeLink(c.html_url) ?? repoLink(repo, 'commit', c.sha),
    attributes: compact({
      sha: c.sha,
      shortSha: c.sha.slice(0, 7),
      branch,
      authorName,
      authoredAt: isoOrUndefined(c.commit.author?.date),
    }),
  };
}

/** A merged pull request; undefined for one that was closed without merging. */
export function pullRequestEvent(
  repo: RepoContext,
  pr: GithubPull,
): DashEvent | undefined {
  const mergedAt = isoOrUndefined(pr.merged_at);
  if (!mergedAt) return undefined;
  return {
    id: dashEventId(SOURCE_ID, repo.slug, 'pull', pr.number),
    source: SOURCE_ID,
    kind: 'pull-request',
    title: `#${pr.number} ${pr.title}`,
    severity: 'info',
    startTime: mergedAt,
    entityRef: repo.entityRef,
    status: 'merged',
    actor: actorOf(pr.user),
    url: safeLink(pr.html_url) ?? repoLink(repo, 'pull', String(pr.number)),
    attributes: compact({
      number: pr.number,
      createdAt: isoOrUndefined(pr.created_at),
      mergedAt,
      baseRef: pr.base.ref,
      headRef: pr.head?.ref,
      author: pr.user?.login,
      mergeCommitSha: pr.merge_commit_sha ?? undefined,
      labels: pr.labels?.length ? pr.labels.map(l => l.name) : undefined,
    }),
  };
}

/** A published release; undefined for drafts. */
export function releaseEvent(
  repo: RepoContext,
  r: GithubRelease,
): DashEvent | undefined {
  if (r.draft) return undefined;
  const startTime =
    isoOrUndefined(r.published_at) ?? isoOrUndefined(r.created_at);
  if (!startTime) return undefined;
  const name = r.name?.trim() || r.tag_name;
  return {
    id: dashEventId(SOURCE_ID, repo.slug, 'release', r.id),
    source: SOURCE_ID,
    kind: 'release',
    title: `Release ${name}${r.prerelease ? ' (pre-release)' : ''}`,
    severity: 'info',
    startTime,
    entityRef: repo.entityRef,
    status: r.prerelease ? 'prerelease' : 'published',
    actor: actorOf(r.author),
    url: safeLink(r.html_url) ?? repoLink(repo, 'releases', 'tag', r.tag_name),
    attributes: compact({
      tag: r.tag_name,
      version: r.tag_name,
      name,
      prerelease: Boolean(r.prerelease),
      targetCommitish: r.target_commitish ?? undefined,
    }),
  };
}

const ROLLBACK_WORDS =
  /\b(roll(?:ed|ing|s)?[\s_-]?back|rollbacks?|revert(?:ed|ing|s)?)\b/i;

/**
 * Why a deployment is a rollback, or undefined. GitHub has no rollback flag; deploy tools mark
 * one in the task (`rollback`, `deploy:rollback`), the payload (`{ "rollback": true }`,
 * `{ "type": "rollback" }`), or the description ("Roll back to v1.2.3", "Revert ..."). A
 * deployment of a sha that an earlier deployment to the same environment already shipped,
 * with a different sha in between, is a rollback too (`previousShas` lists the shas deployed to
 * the environment before this one, newest first).
 */
export function rollbackReason(
  d: GithubDeployment,
  previousShas: string[] = [],
): string | undefined {
  if (d.task && ROLLBACK_WORDS.test(d.task.replace(/[:/]/g, ' '))) {
    return `task '${d.task}'`;
  }
  const payload = d.payload;
  if (typeof payload === 'string' && ROLLBACK_WORDS.test(payload)) {
    return 'payload';
  }
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    const p = payload as Record<string, unknown>;
    if (
      p.rollback === true ||
      p.rollback === 'true' ||
      p.is_rollback === true
    ) {
      return 'payload.rollback';
    }
    for (const key of ['type', 'kind', 'action', 'task', 'operation']) {
      const v = p[key];
      if (typeof v === 'string' && ROLLBACK_WORDS.test(v)) {
        return `payload.${key} '${v}'`;
      }
    }
  }
  if (d.description && ROLLBACK_WORDS.test(d.description)) {
    return 'description';
  }
  const [latest, ...older] = previousShas;
  if (latest && latest !== d.sha && older.includes(d.sha)) {
    return `redeploys ${d.sha.slice(
      0,
      7,
    )}, which an earlier deployment shipped`;
  }
  return undefined;
}

const FAILED = new Set(['failure', 'error']);

/** Whether a deploy event's status says it failed (so it shipped nothing). */
export function deployFailed(status: string | undefined): boolean {
  return status !== undefined && FAILED.has(status);
}
const FINISHED = new Set(['success', 'failure', 'error', 'inactive']);

/** What the source keeps of a deployment's statuses. */
export interface DeploymentState {
  /** Latest state: queued, pending, in_progress, success, failure, error, inactive. */
  state: string;
  /** When the latest status was set. */
  at?: string;
  /** True when some status was `success` (an `inactive` after it means superseded). */
  succeeded?: boolean;
  logUrl?: string;
  environmentUrl?: string;
  statusDescription?: string;
}

/** Reduces a deployment's statuses (any order) to its state. */
export function deploymentState(
  statuses: GithubDeploymentStatus[],
): DeploymentState | undefined {
  if (!statuses.length) return undefined;
  const sorted = [...statuses].sort(
    (a, b) =>
      Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id,
  );
  const latest = sorted[0];
  const withLinks = sorted.find(s => s.log_url || s.target_url);
  const withEnv = sorted.find(s => s.environment_url);
  return {
    state: latest.state,
    at: isoOrUndefined(latest.created_at),
    succeeded: sorted.some(s => s.state === 'success') || undefined,
    logUrl: safeLink(withLinks?.log_url ?? withLinks?.target_url),
    environmentUrl: safeLink(withEnv?.environment_url),
    statusDescription: latest.description ?? undefined,
  };
}

/**
 * A deployment with its latest status. A deployment that succeeded and was later marked
 * `inactive` (GitHub does that when a newer deployment to the environment succeeds) is shown
 * as `success` with `superseded: true`: it did ship.
 */
export function deploymentEvent(
  repo: RepoContext,
  d: GithubDeployment,
  state: DeploymentState | undefined,
  rollback: string | undefined,
): DashEvent | undefined {
  const startTime = isoOrUndefined(d.created_at);
  if (!startTime) return undefined;
  const superseded = state?.state === 'inactive' && Boolean(state.succeeded);
  let status = state?.state;
  if (superseded) status = 'success';
  const finished = state && FINISHED.has(state.state) ? state.at : undefined;
  let severity: DashEvent['severity'] = 'info';
  if (deployFailed(status)) severity = 'error';
  else if (rollback) severity = 'warning';
  const verb = rollback ? 'Rollback' : 'Deploy';
  const title = d.description?.trim() || `${verb} ${d.ref} to ${d.environment}`;
  return {
    id: dashEventId(SOURCE_ID, repo.slug, 'deployment', d.id),
    source: SOURCE_ID,
    kind: 'deploy',
    title,
    severity,
    startTime,
    endTime:
      finished && Date.parse(finished) >= Date.parse(startTime)
        ? finished
        : undefined,
    entityRef: repo.entityRef,
    status,
    actor: actorOf(d.creator),
    url: repoLink(repo, 'deployments', d.environment),
    attributes: compact({
      deploymentId: d.id,
      environment: d.environment,
      sha: d.sha,
      shortSha: d.sha.slice(0, 7),
      ref: d.ref,
      version: d.ref,
      task: d.task ?? undefined,
      rollback: Boolean(rollback),
      rollbackReason: rollback,
      productionEnvironment: d.production_environment ?? undefined,
      superseded: superseded || undefined,
      statusDescription: state?.statusDescription,
      logUrl: state?.logUrl,
      environmentUrl: state?.environmentUrl,
    }),
  };
}

const RUN_WARNINGS = new Set(['failure', 'timed_out', 'startup_failure']);

/** An Actions workflow run. */
export function workflowRunEvent(
  repo: RepoContext,
  run: GithubWorkflowRun,
): DashEvent | undefined {
  const startTime =
    isoOrUndefined(run.run_started_at) ?? isoOrUndefined(run.created_at);
  if (!startTime) return undefined;
  const completed = run.status === 'completed';
  const status = (completed ? run.conclusion : run.status) ?? run.status;
  const name = run.name?.trim() || 'Workflow';
  const updated = isoOrUndefined(run.updated_at);
  return {
    id: dashEventId(SOURCE_ID, repo.slug, 'run', run.id),
    source: SOURCE_ID,
    kind: 'workflow-run',
    title: `${name} #${run.run_number}${
      run.display_title ? `: ${run.display_title}` : ''
    }`,
    severity:
      run.conclusion && RUN_WARNINGS.has(run.conclusion) ? 'warning' : 'info',
    startTime,
    endTime:
      completed && updated && Date.parse(updated) >= Date.parse(startTime)
        ? updated
        : undefined,
    entityRef: repo.entityRef,
    status: status ?? undefined,
    actor: actorOf(run.actor),
    url:
      safeLink(run.html_url) ??
      repoLink(repo, 'actions', 'runs', String(run.id)),
    attributes: compact({
      runId: run.id,
      workflow: name,
      runNumber: run.run_number,
      runAttempt: run.run_attempt ?? undefined,
      event: run.event,
      branch: run.head_branch ?? undefined,
      sha: run.head_sha,
      runStatus: run.status ?? undefined,
      conclusion: run.conclusion ?? undefined,
    }),
  };
}

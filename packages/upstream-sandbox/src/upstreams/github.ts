/*
 * GitHub REST: repositories, commits, pull requests, releases, deployments and their statuses,
 * workflow runs, the rate limit, and the GitHub App installation endpoints that
 * @backstage/integration uses; organisation repositories and teams, contents, languages and
 * comparisons come from the modules in ./github. ETags on every GET (a matching If-None-Match is
 * a free 304), Link header pagination, and a per-token primary rate limit (x-ratelimit-*; 403
 * past it).
 */
import crypto from 'node:crypto';
import { FaultSpec, ScenarioService } from '../types';
import { Ctx, HttpError, Reply, RouteDef, UpstreamDef } from '../http/server';
import { ScenarioStore } from '../scenario/store';
import {
  Commit,
  Deployment,
  PullRequest,
  Release,
  ServiceData,
  WorkflowRun,
} from '../scenario/model';
import { DAY, HOUR, isoSeconds, parseTime } from '../time';
import { credential } from './params';
import { GitHubKit, ghError, invalid, notFound } from './github/kit';
import { renderRepository } from './github/repository';
import { orgRoutes } from './github/orgs';
import { contentRoutes } from './github/contents';
import { compareRoutes } from './github/compare';

const INSTALLATION_IDS: Record<string, number> = { acme: 4242, scale: 4343 };

export interface GitHubOptions {
  token: string;
  perHour: number;
  /** The budget's hour lasts HOUR / windowScale (default 1). */
  windowScale?: number;
}

function isJwt(value: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(value);
}

/** Parses GitHub's `created` filter: 2024-05-01, >=2024-05-01, <2024-05-01T10:00:00Z, a..b. */
function parseCreated(raw: string): { from: number; to: number } {
  const day = (s: string, end: boolean): number | undefined => {
    const t = parseTime(s);
    if (t === undefined) return undefined;
    return /^\d{4}-\d{2}-\d{2}$/.test(s) && end ? t + DAY - 1 : t;
  };
  let m = /^(.+)\.\.(.+)$/.exec(raw);
  if (m) {
    const a = m[1] === '*' ? -Infinity : day(m[1], false);
    const b = m[2] === '*' ? Infinity : day(m[2], true);
    if (a === undefined || b === undefined)
      throw invalid('created', `created '${raw}' is not a date range`);
    return { from: a, to: b };
  }
  m = /^(>=|<=|>|<)(.+)$/.exec(raw);
  if (m) {
    const isEnd = m[1] === '<=' || m[1] === '>';
    const t = day(m[2], isEnd);
    if (t === undefined)
      throw invalid('created', `created '${raw}' is not a date`);
    if (m[1] === '>=') return { from: t, to: Infinity };
    if (m[1] === '>') return { from: t + 1, to: Infinity };
    if (m[1] === '<=') return { from: -Infinity, to: t };
    return { from: -Infinity, to: t - 1 };
  }
  const a = day(raw, false);
  const b = day(raw, true);
  if (a === undefined || b === undefined)
    throw invalid('created', `created '${raw}' is not a date`);
  return { from: a, to: b };
}

export function createGitHub(
  store: ScenarioStore,
  opts: GitHubOptions,
): UpstreamDef {
  const budgets = new Map<string, { windowStart: number; used: number }>();
  const budgetWindow = HOUR / Math.max(1, opts.windowScale ?? 1);
  const org = store.org;
  const owners = new Map<string, number>();
  for (const s of store.services) {
    const owner = s.githubSlug?.split('/')[0];
    if (owner && !owners.has(owner))
      owners.set(owner, 9_000_000 + owners.size + 1);
  }
  const issuedTokens = new Map<string, number>();

  const user = (
    ctx: Ctx,
    login: string,
    id: number,
    type: 'User' | 'Organization' | 'Bot' = 'User',
  ) => {
    const u = `${ctx.baseUrl}/users/${login}`;
    return {
      login,
      id,
      node_id: Buffer.from(`04:${type}${id}`)
        .toString('base64')
        .replace(/=+$/, ''),
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url: u,
      html_url: `https://github.com/${login}`,
      followers_url: `${u}/followers`,
      following_url: `${u}/following{/other_user}`,
      gists_url: `${u}/gists{/gist_id}`,
      starred_url: `${u}/starred{/owner}{/repo}`,
      subscriptions_url: `${u}/subscriptions`,
      organizations_url: `${u}/orgs`,
      repos_url: `${u}/repos`,
      events_url: `${u}/events{/privacy}`,
      received_events_url: `${u}/received_events`,
      type,
      user_view_type: 'public',
      site_admin: false,
    };
  };
  const person = (ctx: Ctx, name: string) => {
    const p = org.personByName.get(name);
    return p ? user(ctx, p.login, p.ghId) : user(ctx, name, 1);
  };
  const webFlow = (ctx: Ctx) => user(ctx, 'web-flow', 19864447);
  const ownerUser = (ctx: Ctx, owner: string) =>
    user(ctx, owner, owners.get(owner) ?? 9_000_000, 'Organization');

  function repo(
    ctx: Ctx,
    svc: ScenarioService,
    data: ServiceData,
    full: boolean,
  ) {
    const facts = store.repos.facts(svc.githubSlug!)!;
    const asOf = store.asOf();
    const lastCommit = [...data.commits].reverse().find(c => c.at <= asOf);
    const openIssues = data.pulls.filter(
      p => !p.closedAt && p.createdAt <= asOf,
    ).length;
    return renderRepository(
      ctx,
      facts,
      {
        id: data.repoId,
        createdAt: data.repoCreatedAt,
        pushedAt: lastCommit?.at ?? data.repoCreatedAt,
        openIssues,
      },
      login => ownerUser(ctx, login),
      full,
    );
  }

  function commitMessage(data: ServiceData, c: Commit): string {
    if (c.pr === undefined) return c.message;
    const pr = data.pulls.find(p => p.id === c.pr);
    return pr
      ? `${pr.title} (#${pr.number})\n\n${pr.body.split('\n')[0]}`
      : c.message;
  }

  function renderCommit(
    ctx: Ctx,
    svc: ScenarioService,
    data: ServiceData,
    c: Commit,
  ) {
    const api = `${ctx.baseUrl}/repos/${svc.githubSlug}`;
    const p = org.personByName.get(c.author);
    const date = isoSeconds(c.at);
    return {
      url: `${api}/commits/${c.sha}`,
      sha: c.sha,
      node_id: Buffer.from(`06:Commit${data.repoId}:${c.sha}`)
        .toString('base64')
        .replace(/=+$/, ''),
      html_url: `https://github.com/${svc.githubSlug}/commit/${c.sha}`,
      comments_url: `${api}/commits/${c.sha}/comments`,
      commit: {
        url: `${api}/git/commits/${c.sha}`,
        author: {
          name: p?.displayName ?? c.author,
          email: p?.email ?? `${c.author}@users.noreply.github.com`,
          date,
        },
        committer: { name: 'GitHub', email: 'noreply@github.com', date },
        message: commitMessage(data, c),
        comment_count: 0,
        tree: { sha: c.treeSha, url: `${api}/git/trees/${c.treeSha}` },
        verification: {
          verified: true,
          reason: 'valid',
          signature: null,
          payload: null,
          verified_at: date,
        },
      },
      author: person(ctx, c.author),
      committer: webFlow(ctx),
      parents: c.parentSha
        ? [
            {
              sha: c.parentSha,
              url: `${api}/commits/${c.parentSha}`,
              html_url: `https://github.com/${svc.githubSlug}/commit/${c.parentSha}`,
            },
          ]
        : [],
    };
  }

  function renderPull(
    ctx: Ctx,
    svc: ScenarioService,
    data: ServiceData,
    pr: PullRequest,
    asOf: number,
  ) {
    const slug = svc.githubSlug!;
    const api = `${ctx.baseUrl}/repos/${slug}`;
    const merged = pr.mergedAt !== undefined && pr.mergedAt <= asOf;
    const closed = pr.closedAt !== undefined && pr.closedAt <= asOf;
    const owner = slug.split('/')[0];
    const r = repo(ctx, svc, data, false);
    const prUrl = `${api}/pulls/${pr.number}`;
    const issueUrl = `${api}/issues/${pr.number}`;
    const html = `https://github.com/${slug}/pull/${pr.number}`;
    return {
      url: prUrl,
      id: pr.id,
      node_id: Buffer.from(`011:PullRequest${pr.id}`)
        .toString('base64')
        .replace(/=+$/, ''),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueUrl,
      commits_url: `${prUrl}/commits`,
      review_comments_url: `${prUrl}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${issueUrl}/comments`,
      statuses_url: `${api}/statuses/${pr.headSha}`,
      number: pr.number,
      state: closed ? 'closed' : 'open',
      locked: false,
      title: pr.title,
      user: person(ctx, pr.author),
      body: pr.body,
      labels: pr.labels.map((l, i) => ({
        id: data.repoId * 100 + i,
        node_id: Buffer.from(`05:Label${data.repoId}${i}`)
          .toString('base64')
          .replace(/=+$/, ''),
        url: `${api}/labels/${encodeURIComponent(l)}`,
        name: l,
        description: `${l} changes`,
        color: 'ededed',
        default: false,
      })),
      milestone: null,
      active_lock_reason: null,
      created_at: isoSeconds(pr.createdAt),
      updated_at: isoSeconds(closed ? pr.updatedAt : pr.createdAt),
      closed_at: closed ? isoSeconds(pr.closedAt!) : null,
      merged_at: merged ? isoSeconds(pr.mergedAt!) : null,
      merge_commit_sha: pr.mergeCommitSha ?? null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: {
        label: `${owner}:${pr.headRef}`,
        ref: pr.headRef,
        sha: pr.headSha,
        user: ownerUser(ctx, owner),
        repo: r,
      },
      base: {
        label: `${owner}:${pr.baseRef}`,
        ref: pr.baseRef,
        sha: data.commits[0]?.sha ?? pr.headSha,
        user: ownerUser(ctx, owner),
        repo: r,
      },
      _links: {
        self: { href: prUrl },
        html: { href: html },
        issue: { href: issueUrl },
        comments: { href: `${issueUrl}/comments` },
        review_comments: { href: `${prUrl}/comments` },
        review_comment: { href: `${api}/pulls/comments{/number}` },
        commits: { href: `${prUrl}/commits` },
        statuses: { href: `${api}/statuses/${pr.headSha}` },
      },
      author_association: 'MEMBER',
      auto_merge: null,
      draft: false,
    };
  }

  function renderRelease(ctx: Ctx, svc: ScenarioService, r: Release) {
    const api = `${ctx.baseUrl}/repos/${svc.githubSlug}`;
    const at = isoSeconds(r.at);
    return {
      url: `${api}/releases/${r.id}`,
      assets_url: `${api}/releases/${r.id}/assets`,
      upload_url: `${ctx.baseUrl}/repos/${svc.githubSlug}/releases/${r.id}/assets{?name,label}`,
      html_url: `https://github.com/${svc.githubSlug}/releases/tag/${r.tag}`,
      id: r.id,
      author: person(ctx, r.author),
      node_id: Buffer.from(`07:Release${r.id}`)
        .toString('base64')
        .replace(/=+$/, ''),
      tag_name: r.tag,
      target_commitish: 'main',
      name: r.name,
      draft: false,
      immutable: false,
      prerelease: r.prerelease,
      created_at: at,
      updated_at: at,
      published_at: at,
      assets: [],
      tarball_url: `${api}/tarball/${r.tag}`,
      zipball_url: `${api}/zipball/${r.tag}`,
      body: r.body,
    };
  }

  function renderDeployment(
    ctx: Ctx,
    svc: ScenarioService,
    d: Deployment,
    asOf: number,
  ) {
    const api = `${ctx.baseUrl}/repos/${svc.githubSlug}`;
    const visible = d.statuses.filter(s => s.at <= asOf);
    return {
      url: `${api}/deployments/${d.id}`,
      id: d.id,
      node_id: Buffer.from(`010:Deployment${d.id}`)
        .toString('base64')
        .replace(/=+$/, ''),
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      payload: {},
      original_environment: d.environment,
      environment: d.environment,
      description: d.description,
      creator: person(ctx, d.creator),
      created_at: isoSeconds(d.at),
      updated_at: isoSeconds(
        visible.length ? visible[visible.length - 1].at : d.at,
      ),
      statuses_url: `${api}/deployments/${d.id}/statuses`,
      repository_url: api,
      transient_environment: false,
      production_environment: d.environment === 'production',
      performed_via_github_app: null,
    };
  }

  function renderRun(
    ctx: Ctx,
    svc: ScenarioService,
    data: ServiceData,
    run: WorkflowRun,
    asOf: number,
  ) {
    const api = `${ctx.baseUrl}/repos/${svc.githubSlug}`;
    const done = run.updatedAt <= asOf;
    const commit = data.commits.find(c => c.sha === run.headSha);
    const p = org.personByName.get(run.actor);
    const minimal = repo(ctx, svc, data, false);
    return {
      id: run.id,
      name: run.workflowName,
      node_id: Buffer.from(`011:WorkflowRun${run.id}`)
        .toString('base64')
        .replace(/=+$/, ''),
      head_branch: run.headBranch,
      head_sha: run.headSha,
      path: run.path,
      display_title: run.displayTitle,
      run_number: run.runNumber,
      event: run.event,
      status: done ? run.status : 'in_progress',
      conclusion: done ? run.conclusion : null,
      workflow_id: run.workflowId,
      check_suite_id: run.id + 7,
      check_suite_node_id: Buffer.from(`010:CheckSuite${run.id + 7}`)
        .toString('base64')
        .replace(/=+$/, ''),
      url: `${api}/actions/runs/${run.id}`,
      html_url: `https://github.com/${svc.githubSlug}/actions/runs/${run.id}`,
      pull_requests: [],
      created_at: isoSeconds(run.at),
      updated_at: isoSeconds(done ? run.updatedAt : run.at),
      actor: person(ctx, run.actor),
      triggering_actor: person(ctx, run.actor),
      run_attempt: 1,
      referenced_workflows: [],
      run_started_at: isoSeconds(run.at),
      jobs_url: `${api}/actions/runs/${run.id}/jobs`,
      logs_url: `${api}/actions/runs/${run.id}/logs`,
      check_suite_url: `${api}/check-suites/${run.id + 7}`,
      artifacts_url: `${api}/actions/runs/${run.id}/artifacts`,
      cancel_url: `${api}/actions/runs/${run.id}/cancel`,
      rerun_url: `${api}/actions/runs/${run.id}/rerun`,
      previous_attempt_url: null,
      workflow_url: `${api}/actions/workflows/${run.workflowId}`,
      head_commit: {
        id: run.headSha,
        tree_id: commit?.treeSha ?? run.headSha,
        message: commit ? commitMessage(data, commit) : run.displayTitle,
        timestamp: isoSeconds(commit?.at ?? run.at),
        author: {
          name: p?.displayName ?? run.actor,
          email: p?.email ?? `${run.actor}@users.noreply.github.com`,
        },
        committer: { name: 'GitHub', email: 'noreply@github.com' },
      },
      repository: minimal,
      head_repository: minimal,
    };
  }

  function findRepo(
    owner: string,
    name: string,
  ): { svc: ScenarioService; data: ServiceData } | undefined {
    const svc = store.serviceBySlug(owner, name);
    if (svc) return { svc, data: store.data(svc.index) };
    // A repository the catalog lacks: its stand-in service and short history.
    const extra = store.repos.extra(owner, name);
    return extra ? { svc: extra.svc, data: extra.data } : undefined;
  }

  function repoOr404(ctx: Ctx): { svc: ScenarioService; data: ServiceData } {
    const found = findRepo(ctx.params.owner, ctx.params.repo);
    if (!found) throw notFound();
    return found;
  }

  function pageParams(ctx: Ctx): { perPage: number; page: number } {
    const num = (name: string, def: number) => {
      const raw = ctx.query.get(name);
      if (raw === null || raw === '') return def;
      const n = Number.parseInt(raw, 10);
      return Number.isFinite(n) ? n : def;
    };
    return {
      perPage: Math.min(100, Math.max(1, num('per_page', 30))),
      page: Math.max(1, num('page', 1)),
    };
  }

  /** A page of items, with GitHub's Link header (prev, next, last, first). */
  function paged<T>(ctx: Ctx, items: T[], render: (item: T) => unknown): Reply {
    const { perPage, page } = pageParams(ctx);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    return {
      status: 200,
      body: slice.map(render),
      headers: linkHeader(ctx, page, last),
    };
  }

  function linkHeader(
    ctx: Ctx,
    page: number,
    last: number,
  ): Record<string, string> {
    const link = (p: number) => {
      const q = new URLSearchParams(ctx.query);
      q.set('page', String(p));
      return `<${ctx.baseUrl}${ctx.path}?${q.toString()}>`;
    };
    const parts: string[] = [];
    if (page > 1) parts.push(`${link(Math.min(page - 1, last))}; rel="prev"`);
    if (page < last)
      parts.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) parts.push(`${link(1)}; rel="first"`);
    return parts.length ? { link: parts.join(', ') } : {};
  }

  function timeParam(ctx: Ctx, name: string): number | undefined {
    const raw = ctx.query.get(name);
    if (raw === null || raw === '') return undefined;
    const t = parseTime(raw);
    if (t === undefined)
      throw new HttpError(
        ghError(400, `Invalid value for parameter '${name}': ${raw}`),
      );
    return t;
  }

  function installation(ctx: Ctx, owner: string) {
    const id =
      INSTALLATION_IDS[owner] ?? 4000 + ((owners.get(owner) ?? 0) % 1000);
    return {
      id,
      account: ownerUser(ctx, owner),
      repository_selection: 'all',
      access_tokens_url: `${ctx.baseUrl}/app/installations/${id}/access_tokens`,
      repositories_url: `${ctx.baseUrl}/installation/repositories`,
      html_url: `https://github.com/organizations/${owner}/settings/installations/${id}`,
      app_id: 777,
      app_slug: 'dash-sandbox',
      target_id: owners.get(owner) ?? 0,
      target_type: 'Organization',
      permissions: {
        contents: 'read',
        metadata: 'read',
        pull_requests: 'read',
        deployments: 'read',
        actions: 'read',
      },
      events: [],
      created_at: isoSeconds(store.setupAt),
      updated_at: isoSeconds(store.setupAt),
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    };
  }

  const routes: RouteDef[] = [
    {
      method: 'GET',
      path: '/rate_limit',
      handler: ctx => {
        const token = credential(ctx.req.headers.authorization)?.value ?? '';
        const b = budgets.get(token);
        const now = Date.now();
        const fresh = !b || now - b.windowStart >= budgetWindow;
        const used = fresh ? 0 : b!.used;
        const reset = Math.ceil(
          ((fresh ? now : b!.windowStart) + budgetWindow) / 1000,
        );
        const core = {
          limit: opts.perHour,
          remaining: opts.perHour - used,
          reset,
          used,
          resource: 'core',
        };
        const other = (limit: number, resource: string) => ({
          limit,
          remaining: limit,
          reset,
          used: 0,
          resource,
        });
        return {
          status: 200,
          body: {
            resources: {
              core,
              search: other(30, 'search'),
              graphql: other(5000, 'graphql'),
              integration_manifest: other(5000, 'integration_manifest'),
              code_search: other(10, 'code_search'),
            },
            rate: core,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}',
      handler: ctx => {
        const { svc, data } = repoOr404(ctx);
        return { status: 200, body: repo(ctx, svc, data, true) };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/commits',
      handler: ctx => {
        const { svc, data } = repoOr404(ctx);
        const asOf = store.asOf();
        const since = timeParam(ctx, 'since') ?? -Infinity;
        const until = timeParam(ctx, 'until') ?? Infinity;
        const sha = ctx.query.get('sha');
        const authorFilter = ctx.query.get('author');
        let list = data.commits.filter(
          c => c.at <= asOf && c.at >= since && c.at <= until,
        );
        if (sha && sha !== 'main' && sha !== 'HEAD') {
          const idx = data.commits.findIndex(
            c =>
              c.sha.startsWith(sha.toLocaleLowerCase('en-US')) &&
              sha.length >= 7,
          );
          if (idx < 0) {
            throw new HttpError(
              ghError(404, `No commit found for SHA: ${sha}`),
            );
          }
          const limit = data.commits[idx].at;
          list = list.filter(c => c.at <= limit);
        }
        if (authorFilter) {
          list = list.filter(c => {
            const p = org.personByName.get(c.author);
            return p?.login === authorFilter || p?.email === authorFilter;
          });
        }
        list.reverse();
        return paged(ctx, list, c => renderCommit(ctx, svc, data, c));
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/pulls',
      handler: ctx => {
        const { svc, data } = repoOr404(ctx);
        const asOf = store.asOf();
        const state = ctx.query.get('state') ?? 'open';
        if (!['open', 'closed', 'all'].includes(state))
          throw invalid('state', `state must be open, closed or all`);
        const sort = ctx.query.get('sort') ?? 'created';
        if (
          !['created', 'updated', 'popularity', 'long-running'].includes(sort)
        )
          throw invalid(
            'sort',
            'sort must be created, updated, popularity or long-running',
          );
        const direction =
          ctx.query.get('direction') ??
          (sort === 'long-running' ? 'asc' : 'desc');
        if (!['asc', 'desc'].includes(direction))
          throw invalid('direction', 'direction must be asc or desc');
        const base = ctx.query.get('base');
        const head = ctx.query.get('head');
        let list = data.pulls.filter(p => p.createdAt <= asOf);
        list = list.filter(p => {
          const closed = p.closedAt !== undefined && p.closedAt <= asOf;
          return state === 'all' || (state === 'closed' ? closed : !closed);
        });
        if (base) list = list.filter(p => p.baseRef === base);
        if (head)
          list = list.filter(
            p =>
              `${svc.githubSlug!.split('/')[0]}:${p.headRef}` === head ||
              p.headRef === head,
          );
        const key = (p: PullRequest) => {
          const closed = p.closedAt !== undefined && p.closedAt <= asOf;
          return sort === 'updated' && closed ? p.updatedAt : p.createdAt;
        };
        list.sort(
          (a, b) =>
            (key(a) - key(b) || a.number - b.number) *
            (direction === 'asc' ? 1 : -1),
        );
        return paged(ctx, list, p => renderPull(ctx, svc, data, p, asOf));
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/pulls/{number}',
      handler: ctx => {
        const { svc, data } = repoOr404(ctx);
        const asOf = store.asOf();
        const pr = data.pulls.find(
          p => String(p.number) === ctx.params.number && p.createdAt <= asOf,
        );
        if (!pr) throw notFound();
        return {
          status: 200,
          body: {
            ...renderPull(ctx, svc, data, pr, asOf),
            merged: pr.mergedAt !== undefined && pr.mergedAt <= asOf,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/releases',
      handler: ctx => {
        const { svc, data } = repoOr404(ctx);
        const asOf = store.asOf();
        const list = data.releases.filter(r => r.at <= asOf).reverse();
        return paged(ctx, list, r => renderRelease(ctx, svc, r));
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/deployments',
      handler: ctx => {
        const { svc, data } = repoOr404(ctx);
        const asOf = store.asOf();
        const env = ctx.query.get('environment');
        const sha = ctx.query.get('sha');
        const ref = ctx.query.get('ref');
        const task = ctx.query.get('task');
        const list = data.deployments
          .filter(
            d =>
              d.at <= asOf &&
              (!env || d.environment === env) &&
              (!sha || d.sha === sha) &&
              (!ref || d.ref === ref) &&
              (!task || d.task === task),
          )
          .reverse();
        return paged(ctx, list, d => renderDeployment(ctx, svc, d, asOf));
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/deployments/{id}',
      handler: ctx => {
        const { svc, data } = repoOr404(ctx);
        const asOf = store.asOf();
        const d = data.deployments.find(
          x => String(x.id) === ctx.params.id && x.at <= asOf,
        );
        if (!d) throw notFound();
        return { status: 200, body: renderDeployment(ctx, svc, d, asOf) };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/deployments/{id}/statuses',
      handler: ctx => {
        const { svc, data } = repoOr404(ctx);
        const asOf = store.asOf();
        const d = data.deployments.find(
          x => String(x.id) === ctx.params.id && x.at <= asOf,
        );
        if (!d) throw notFound();
        const api = `${ctx.baseUrl}/repos/${svc.githubSlug}`;
        const list = d.statuses.filter(s => s.at <= asOf).reverse();
        return paged(ctx, list, s => ({
          url: `${api}/deployments/${d.id}/statuses/${s.id}`,
          id: s.id,
          node_id: Buffer.from(`016:DeploymentStatus${s.id}`)
            .toString('base64')
            .replace(/=+$/, ''),
          state: s.state,
          creator: person(ctx, d.creator),
          description: s.description,
          environment: d.environment,
          target_url: `https://deployctl.acme.example/deployments/${d.id}`,
          log_url: `https://deployctl.acme.example/deployments/${d.id}/log`,
          created_at: isoSeconds(s.at),
          updated_at: isoSeconds(s.at),
          deployment_url: `${api}/deployments/${d.id}`,
          repository_url: api,
          environment_url:
            d.environment === 'production'
              ? `https://${svc.name}.acme.example`
              : `https://${svc.name}.${d.environment}.acme.example`,
          performed_via_github_app: null,
        }));
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/actions/runs',
      handler: ctx => {
        const { svc, data } = repoOr404(ctx);
        const asOf = store.asOf();
        const branch = ctx.query.get('branch');
        const event = ctx.query.get('event');
        const status = ctx.query.get('status');
        const actor = ctx.query.get('actor');
        const headSha = ctx.query.get('head_sha');
        const created = ctx.query.get('created');
        const window = created ? parseCreated(created) : undefined;
        const statusValues = [
          'completed',
          'action_required',
          'cancelled',
          'failure',
          'neutral',
          'skipped',
          'stale',
          'success',
          'timed_out',
          'in_progress',
          'queued',
          'requested',
          'waiting',
          'pending',
        ];
        if (status && !statusValues.includes(status))
          throw invalid(
            'status',
            `status must be one of ${statusValues.join(', ')}`,
          );
        const list = data.runs
          .filter(r => {
            if (r.at > asOf) return false;
            const done = r.updatedAt <= asOf;
            const st = done ? r.status : 'in_progress';
            const concl = done ? r.conclusion : null;
            if (branch && r.headBranch !== branch) return false;
            if (event && r.event !== event) return false;
            if (status && st !== status && concl !== status) return false;
            if (actor && org.personByName.get(r.actor)?.login !== actor)
              return false;
            if (headSha && r.headSha !== headSha) return false;
            if (window && (r.at < window.from || r.at > window.to))
              return false;
            return true;
          })
          .reverse();
        const { perPage, page } = pageParams(ctx);
        const last = Math.max(1, Math.ceil(list.length / perPage));
        const slice = list.slice((page - 1) * perPage, page * perPage);
        return {
          status: 200,
          body: {
            total_count: list.length,
            workflow_runs: slice.map(r => renderRun(ctx, svc, data, r, asOf)),
          },
          headers: linkHeader(ctx, page, last),
        };
      },
    },
    {
      method: 'GET',
      path: '/app',
      handler: ctx => ({
        status: 200,
        body: {
          id: 777,
          slug: 'dash-sandbox',
          node_id: 'MDM6QXBwNzc3',
          owner: ownerUser(ctx, [...owners.keys()][0] ?? 'acme'),
          name: 'DASH sandbox',
          description: 'The GitHub App of the upstream sandbox',
          external_url: 'https://dash.acme.example',
          html_url: 'https://github.com/apps/dash-sandbox',
          created_at: isoSeconds(store.setupAt),
          updated_at: isoSeconds(store.setupAt),
          permissions: { contents: 'read', metadata: 'read' },
          events: [],
        },
      }),
    },
    {
      method: 'GET',
      path: '/app/installations',
      handler: ctx => ({
        status: 200,
        body: [...owners.keys()].map(o => installation(ctx, o)),
      }),
    },
    {
      method: 'POST',
      path: '/app/installations/{id}/access_tokens',
      handler: ctx => {
        const owner = [...owners.keys()].find(
          o => String(installation(ctx, o).id) === ctx.params.id,
        );
        if (!owner) throw notFound();
        const token = `ghs_${crypto.randomBytes(18).toString('hex')}`;
        const expires = Date.now() + HOUR;
        issuedTokens.set(token, expires);
        store.issuedGithubTokens.add(token);
        return {
          status: 201,
          body: {
            token,
            expires_at: isoSeconds(expires),
            permissions: installation(ctx, owner).permissions,
            repository_selection: 'all',
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/installation',
      handler: ctx => {
        repoOr404(ctx);
        return { status: 200, body: installation(ctx, ctx.params.owner) };
      },
    },
    {
      method: 'GET',
      path: '/orgs/{org}/installation',
      handler: ctx => {
        if (!owners.has(ctx.params.org)) throw notFound();
        return { status: 200, body: installation(ctx, ctx.params.org) };
      },
    },
  ];

  const kit: GitHubKit = {
    store,
    user,
    person,
    ownerUser,
    findRepo,
    repoOr404,
    repo,
    renderCommit,
    pageParams,
    paged,
  };
  routes.push(...orgRoutes(kit), ...contentRoutes(kit), ...compareRoutes(kit));

  const appRoute = (ctx: Ctx) =>
    ctx.path.startsWith('/app') || /\/installation$/.test(ctx.path);

  return {
    name: 'github',
    routes,
    authenticate(ctx) {
      const cred = credential(ctx.req.headers.authorization);
      if (appRoute(ctx)) {
        if (!cred || cred.scheme !== 'bearer' || !isJwt(cred.value)) {
          return ghError(401, 'A JSON web token could not be decoded');
        }
        return undefined;
      }
      if (!cred) return ghError(401, 'Requires authentication');
      if (!['token', 'bearer'].includes(cred.scheme))
        return ghError(401, 'Bad credentials');
      const expiry = issuedTokens.get(cred.value);
      if (
        cred.value === opts.token ||
        (expiry !== undefined && expiry > Date.now())
      )
        return undefined;
      return ghError(401, 'Bad credentials');
    },
    unauthorized: () => ghError(401, 'Bad credentials'),
    serverError: status =>
      ghError(status, status === 503 ? 'Service Unavailable' : 'Server Error'),
    rateLimited(spec: NonNullable<FaultSpec['rateLimit']>) {
      return {
        ...ghError(
          spec.status ?? 403,
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID sandbox.',
        ),
        headers: { 'retry-after': String(spec.retryAfterSec ?? 1) },
      };
    },
    notFound: () => ghError(404, 'Not Found'),
    async around(ctx, run) {
      const token = credential(ctx.req.headers.authorization)?.value ?? '';
      const now = Date.now();
      let b = budgets.get(token);
      if (!b || now - b.windowStart >= budgetWindow) {
        b = { windowStart: now, used: 0 };
        budgets.set(token, b);
      }
      const limitHeaders = () => ({
        'x-ratelimit-limit': opts.perHour,
        'x-ratelimit-remaining': Math.max(0, opts.perHour - b!.used),
        'x-ratelimit-reset': Math.ceil((b!.windowStart + budgetWindow) / 1000),
        'x-ratelimit-used': b!.used,
        'x-ratelimit-resource': 'core',
      });
      const free = ctx.path === '/rate_limit' || appRoute(ctx);
      let reply: Reply;
      try {
        reply = await run();
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        reply = e.reply;
      }
      if (
        (ctx.method === 'GET' || ctx.method === 'HEAD') &&
        reply.status === 200
      ) {
        const etag = `W/"${crypto
          .createHash('sha1')
          .update(reply.text ?? JSON.stringify(reply.body))
          .digest('hex')}"`;
        reply.headers = { ...reply.headers, etag };
        const inm = ctx.req.headers['if-none-match'];
        if (inm) {
          const strip = (s: string) => s.trim().replace(/^W\//, '');
          const match = inm
            .split(',')
            .some(t => t.trim() === '*' || strip(t) === strip(etag));
          if (match) {
            // A conditional request answered 304 costs nothing.
            return {
              status: 304,
              headers: {
                etag,
                ...limitHeaders(),
                ...(reply.headers.link
                  ? { link: String(reply.headers.link) }
                  : {}),
              },
            };
          }
        }
      }
      if (!free) {
        if (b.used >= opts.perHour) {
          return {
            ...ghError(
              403,
              `API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID sandbox.`,
            ),
            headers: limitHeaders(),
          };
        }
        b.used++;
      }
      reply.headers = { ...limitHeaders(), ...reply.headers };
      return reply;
    },
    decorate(_ctx, reply) {
      reply.headers = {
        'x-github-api-version-selected': '2022-11-28',
        'x-github-media-type': 'github.v3; format=json',
        'x-github-request-id': crypto
          .randomBytes(8)
          .toString('hex')
          .toUpperCase(),
        ...reply.headers,
      };
    },
  };
}

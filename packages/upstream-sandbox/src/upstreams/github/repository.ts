/*
 * GitHub's repository object, minimal (in lists) or full (GET /repos/{owner}/{repo}), from a
 * repository's facts and its history (id, creation, last push, open pull requests).
 */
import { ScenarioRepo } from '../../types';
import { Ctx } from '../../http/server';
import { isoSeconds } from '../../time';
import { Json, nodeId } from './kit';

export interface RepoState {
  id: number;
  createdAt: number;
  pushedAt: number;
  openIssues: number;
}

const PERMISSIONS: Record<string, number> = {
  pull: 1,
  triage: 2,
  push: 3,
  maintain: 4,
  admin: 5,
};

/** The `permissions` object of a permission level ('admin' implies all the others). */
export function permissionFlags(permission: string): Record<string, boolean> {
  const level = PERMISSIONS[permission] ?? 1;
  return Object.fromEntries(
    Object.entries(PERMISSIONS).map(([k, v]) => [k, v <= level]),
  );
}

function urls(api: string): Record<string, string> {
  return {
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
  };
}

/** A repository outside the organisation (the parent of a fork): public, no history of ours. */
function foreignRepo(
  ctx: Ctx,
  fullName: string,
  owner: Json,
  id: number,
): Json {
  const api = `${ctx.baseUrl}/repos/${fullName}`;
  const at = isoSeconds(Date.UTC(2017, 10, 3, 18, 1, 9));
  return {
    id,
    node_id: nodeId('010:Repository', id),
    name: fullName.split('/')[1],
    full_name: fullName,
    private: false,
    owner,
    html_url: `https://github.com/${fullName}`,
    description: null,
    fork: false,
    url: api,
    ...urls(api),
    created_at: at,
    updated_at: at,
    pushed_at: at,
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    clone_url: `https://github.com/${fullName}.git`,
    svn_url: `https://github.com/${fullName}`,
    homepage: null,
    size: 5000,
    stargazers_count: 7000,
    watchers_count: 7000,
    language: 'Go',
    has_issues: true,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    forks_count: 700,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: 80,
    license: null,
    forks: 700,
    open_issues: 80,
    watchers: 7000,
    default_branch: 'main',
  };
}

/** The repository object. `owner` renders an account (organisation or user) by login. */
export function renderRepository(
  ctx: Ctx,
  facts: ScenarioRepo,
  st: RepoState,
  owner: (login: string) => Json,
  full: boolean,
): Json {
  const slug = facts.fullName;
  const api = `${ctx.baseUrl}/repos/${slug}`;
  const pushed = isoSeconds(st.pushedAt);
  const base = {
    id: st.id,
    node_id: nodeId('010:Repository', st.id),
    name: facts.name,
    full_name: slug,
    private: facts.private,
    owner: owner(facts.owner),
    html_url: `https://github.com/${slug}`,
    description: facts.description || null,
    fork: facts.fork,
    url: api,
    ...urls(api),
  };
  const stars = facts.private ? st.id % 40 : 100 + (st.id % 900);
  const more = {
    created_at: isoSeconds(st.createdAt),
    updated_at: pushed,
    pushed_at: pushed,
    git_url: `git://github.com/${slug}.git`,
    ssh_url: `git@github.com:${slug}.git`,
    clone_url: `https://github.com/${slug}.git`,
    svn_url: `https://github.com/${slug}`,
    homepage:
      facts.type === 'website' ? `https://${facts.name}.acme.example` : null,
    size: 1000 + (st.id % 9000),
    stargazers_count: stars,
    watchers_count: stars,
    language: facts.language,
    has_issues: !facts.fork,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: facts.archived,
    disabled: false,
    open_issues_count: st.openIssues,
    license: facts.private
      ? null
      : {
          key: 'mit',
          name: 'MIT License',
          spdx_id: 'MIT',
          url: `${ctx.baseUrl}/licenses/mit`,
          node_id: 'MDc6TGljZW5zZTEz',
        },
    allow_forking: !facts.private,
    is_template: false,
    web_commit_signoff_required: false,
    topics: facts.topics,
    visibility: facts.private ? 'private' : 'public',
    forks: 0,
    open_issues: st.openIssues,
    watchers: stars,
    default_branch: facts.defaultBranch,
  };
  if (!full) return { ...base, ...more };
  const parent = facts.forkOf
    ? foreignRepo(
        ctx,
        facts.forkOf,
        owner(facts.forkOf.split('/')[0]),
        st.id - 400_000_000,
      )
    : undefined;
  return {
    ...base,
    ...more,
    permissions: permissionFlags('pull'),
    network_count: parent ? 700 : 0,
    subscribers_count: 3,
    organization: owner(facts.owner),
    ...(parent ? { parent, source: parent } : {}),
  };
}

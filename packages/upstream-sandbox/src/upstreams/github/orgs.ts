/*
 * GitHub organisations: their repositories (GET /orgs/{org}/repos with `type`, `sort`,
 * `direction` and Link pagination) and teams (GET /orgs/{org}/teams), and the teams with access
 * to a repository (GET /repos/{owner}/{repo}/teams, with each team's permission).
 */
import { ScenarioGitHubTeam } from '../../types';
import { Ctx, RouteDef } from '../../http/server';
import { RepoRef } from '../../scenario/repos';
import { GitHubKit, invalid, nodeId, notFound } from './kit';
import { permissionFlags } from './repository';

const TYPES = ['all', 'public', 'private', 'forks', 'sources', 'member'];
const SORTS = ['created', 'updated', 'pushed', 'full_name'];

export function orgRoutes(kit: GitHubKit): RouteDef[] {
  const { store } = kit;

  function team(ctx: Ctx, t: ScenarioGitHubTeam, permission?: string) {
    const orgId = kit.ownerUser(ctx, t.org).id as number;
    const url = `${ctx.baseUrl}/organizations/${orgId}/team/${t.id}`;
    return {
      name: t.name,
      id: t.id,
      node_id: nodeId('04:Team', t.id),
      slug: t.slug,
      description: `The ${t.name} team`,
      privacy: 'closed',
      notification_setting: 'notifications_enabled',
      url,
      html_url: `https://github.com/orgs/${t.org}/teams/${t.slug}`,
      members_url: `${url}/members{/member}`,
      repositories_url: `${url}/repos`,
      type: 'organization',
      organization_id: orgId,
      permission: permission ?? 'pull',
      ...(permission
        ? { permissions: permissionFlags(permission), access_source: 'direct' }
        : {}),
      parent: null,
    };
  }

  /** Creation and last push of a repository (the push needs its history). */
  function times(e: RepoRef): { created: number; pushed: () => number } {
    const { owner, name } = e;
    const svc = store.serviceBySlug(owner, name);
    const created = svc
      ? store.repoInfo(svc.index).repoCreatedAt
      : kit.findRepo(owner, name)!.data.repoCreatedAt;
    return {
      created,
      pushed: () => {
        const { data } = kit.findRepo(owner, name)!;
        const asOf = store.asOf();
        let last = data.repoCreatedAt;
        for (const c of data.commits) if (c.at <= asOf) last = c.at;
        return last;
      },
    };
  }

  return [
    {
      method: 'GET',
      path: '/orgs/{org}/repos',
      handler: ctx => {
        const org = ctx.params.org;
        if (!store.repos.hasOrg(org)) throw notFound();
        const type = ctx.query.get('type') ?? 'all';
        if (!TYPES.includes(type))
          throw invalid('type', `type must be one of ${TYPES.join(', ')}`);
        const sort = ctx.query.get('sort') ?? 'created';
        if (!SORTS.includes(sort))
          throw invalid('sort', `sort must be one of ${SORTS.join(', ')}`);
        const direction =
          ctx.query.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
        if (!['asc', 'desc'].includes(direction))
          throw invalid('direction', 'direction must be asc or desc');
        const list = store.repos.reposOf(org).filter(r => {
          if (type === 'public') return !r.private;
          if (type === 'private') return r.private;
          if (type === 'forks') return r.fork;
          if (type === 'sources') return !r.fork;
          return true;
        });
        const keyed = list.map(e => {
          const t = times(e);
          let key: number | string;
          if (sort === 'full_name') key = e.fullName;
          else if (sort === 'created') key = t.created;
          else key = t.pushed();
          return { e, key };
        });
        const sign = direction === 'asc' ? 1 : -1;
        keyed.sort((a, b) => {
          if (a.key === b.key) return a.e.fullName < b.e.fullName ? -1 : 1;
          return (a.key < b.key ? -1 : 1) * sign;
        });
        return kit.paged(ctx, keyed, ({ e }) => {
          const { svc, data } = kit.findRepo(e.owner, e.name)!;
          return kit.repo(ctx, svc, data, false);
        });
      },
    },
    {
      method: 'GET',
      path: '/orgs/{org}/teams',
      handler: ctx => {
        const org = ctx.params.org;
        if (!store.repos.hasOrg(org)) throw notFound();
        return kit.paged(ctx, store.repos.teamsOf(org), t => team(ctx, t));
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/teams',
      handler: ctx => {
        kit.repoOr404(ctx);
        const entry = store.repos.entry(ctx.params.owner, ctx.params.repo);
        if (!entry) throw notFound();
        const teams = store.repos.teamsOf(entry.facts.owner);
        const list = entry.facts.teams
          .map(a => ({ a, t: teams.find(t => t.slug === a.slug) }))
          .filter(x => x.t);
        return kit.paged(ctx, list, ({ a, t }) => team(ctx, t!, a.permission));
      },
    },
  ];
}

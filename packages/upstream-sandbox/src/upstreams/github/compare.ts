/*
 * GET /repos/{owner}/{repo}/compare/{base}...{head} over a repository's linear history: base and
 * head may be the default branch, a release tag or a commit sha (also as `owner:ref`). Ahead: the
 * commits after base up to head, oldest first (250 at most, or a page of them with `per_page` and
 * `page`, with the Link header); behind: none; the same commit: identical.
 */
import { Ctx, HttpError, RouteDef } from '../../http/server';
import { GitHubKit, ghError, notFound } from './kit';
import { resolveRef } from './refs';

/** Splits 'base...head' (or 'base..head'); a side may carry its owner as 'owner:ref'. */
function parseBasehead(
  raw: string,
  owner: string,
): { base: string; head: string } | undefined {
  let sep = raw.indexOf('...');
  let len = 3;
  if (sep < 0) {
    sep = raw.indexOf('..');
    len = 2;
  }
  if (sep <= 0 || sep + len >= raw.length) return undefined;
  const side = (s: string) => {
    const m = /^([^:]+):(.+)$/.exec(s);
    if (!m) return s;
    return m[1].toLocaleLowerCase('en-US') === owner.toLocaleLowerCase('en-US')
      ? m[2]
      : undefined;
  };
  const base = side(raw.slice(0, sep));
  const head = side(raw.slice(sep + len));
  return base && head ? { base, head } : undefined;
}

export function compareRoutes(kit: GitHubKit): RouteDef[] {
  const { store } = kit;

  function compare(ctx: Ctx) {
    const { svc, data } = kit.repoOr404(ctx);
    const slug = svc.githubSlug!;
    const owner = slug.split('/')[0];
    const facts = store.repos.facts(slug);
    const parsed = parseBasehead(ctx.params.basehead, owner);
    if (!parsed || !facts) throw notFound();
    const asOf = store.asOf();
    const base = resolveRef(data, facts.defaultBranch, parsed.base, asOf);
    const head = resolveRef(data, facts.defaultBranch, parsed.head, asOf);
    if (!base || !head || base.kind === 'empty' || head.kind === 'empty')
      throw new HttpError(ghError(404, 'Not Found'));
    const aheadBy = Math.max(0, head.index - base.index);
    const behindBy = Math.max(0, base.index - head.index);
    let status = 'identical';
    if (aheadBy) status = 'ahead';
    else if (behindBy) status = 'behind';
    const commits = data.commits.slice(base.index + 1, head.index + 1);
    const render = (i: number) =>
      kit.renderCommit(ctx, svc, data, data.commits[i]);
    const paging = ctx.query.has('per_page') || ctx.query.has('page');
    const page = paging ? kit.paged(ctx, commits, c => c) : undefined;
    const shown = page ? (page.body as typeof commits) : commits.slice(0, 250);
    const api = `${ctx.baseUrl}/repos/${slug}`;
    const html = `https://github.com/${slug}/compare/${parsed.base}...${parsed.head}`;
    const mergeBase = Math.min(base.index, head.index);
    return {
      status: 200,
      headers: page?.headers,
      body: {
        url: `${api}/compare/${parsed.base}...${parsed.head}`,
        html_url: html,
        permalink_url: `https://github.com/${slug}/compare/${owner}:${base.commit.sha.slice(
          0,
          7,
        )}...${owner}:${head.commit.sha.slice(0, 7)}`,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        base_commit: render(base.index),
        merge_base_commit: render(mergeBase),
        status,
        ahead_by: aheadBy,
        behind_by: behindBy,
        total_commits: aheadBy,
        commits: shown.map(c => kit.renderCommit(ctx, svc, data, c)),
      },
    };
  }

  return [
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/compare/{+basehead}',
      handler: compare,
    },
  ];
}

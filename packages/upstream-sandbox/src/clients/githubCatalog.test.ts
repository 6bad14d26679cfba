/*
 * What the Project Catalog reads from GitHub, through @octokit/rest unchanged: the organisation's
 * repositories (Link pagination, `type`, `sort`), teams, each repository's files (CODEOWNERS, the
 * package manifest, the CI workflow with its Node version), languages and comparisons between
 * refs, checked against the scenario's ground truth (`scenario.github`).
 */
import { Octokit } from '@octokit/rest';
import { startSandbox } from '../sandbox';
import { Sandbox, ScenarioRepo } from '../types';
import { FIXED_NOW } from '../__testUtils__/http';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

const MANIFESTS: Record<string, string> = {
  Go: 'go.mod',
  TypeScript: 'package.json',
  JavaScript: 'package.json',
  Kotlin: 'build.gradle.kts',
  Python: 'pyproject.toml',
  Java: 'pom.xml',
};

describe('@octokit/rest reads the Project Catalog facts from the sandbox', () => {
  let sb: Sandbox;
  let octokit: Octokit;
  const repos = () => sb.scenario.github.repos;
  const repo = (name: string) =>
    repos().find(r => r.fullName === `acme/${name}`)!;
  const fail = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected the request to fail');
      },
      e => e,
    );
  /** A file's text through getContent (base64 content). */
  const file = async (r: ScenarioRepo, path: string) => {
    const res = await octokit.rest.repos.getContent({
      owner: r.owner,
      repo: r.name,
      path,
    });
    const data = res.data as { content: string; encoding: string };
    expect(data.encoding).toBe('base64');
    return Buffer.from(data.content, 'base64').toString('utf8');
  };

  beforeAll(async () => {
    sb = await startSandbox({
      seed: 9,
      now: FIXED_NOW,
      rateLimits: { githubPerHour: 100_000 },
    });
    octokit = new Octokit({ auth: sb.tokens.github, baseUrl: sb.urls.github });
  });
  afterAll(() => sb?.stop());

  it('has a repository for every catalog service, and 4 to 6 the catalog lacks (an archived one, a fork, one without CODEOWNERS)', () => {
    const slugs = sb.scenario.services
      .map(s => s.githubSlug)
      .filter((s): s is string => !!s);
    expect(slugs.length).toBeGreaterThan(8);
    for (const slug of slugs) {
      const r = repos().find(x => x.fullName === slug)!;
      const svc = sb.scenario.services.find(s => s.githubSlug === slug)!;
      expect(r).toMatchObject({ inCatalog: true, entityRef: svc.entityRef });
      expect(r.files).toEqual(
        expect.arrayContaining([
          '.github/CODEOWNERS',
          '.github/workflows/ci.yml',
          ...r.manifests,
        ]),
      );
    }
    const extras = repos().filter(r => !r.inCatalog);
    expect(extras.length).toBeGreaterThanOrEqual(4);
    expect(extras.length).toBeLessThanOrEqual(6);
    expect(extras.filter(r => r.archived)).toHaveLength(1);
    expect(extras.filter(r => r.fork)).toHaveLength(1);
    const uncoded = extras.filter(r => !r.codeowners);
    expect(uncoded).toHaveLength(1);
    expect(uncoded[0].files).not.toContain('.github/CODEOWNERS');
    expect(uncoded[0].teams[0]).toEqual({
      slug: uncoded[0].ownerTeam,
      permission: 'admin',
    });
    expect(new Set(extras.map(r => r.type))).toEqual(
      new Set(['service', 'tool', 'library', 'website']),
    );
  });

  it('lists the organisation with Link pagination, and filters by type and sorts by full_name', async () => {
    const page1 = await octokit.rest.repos.listForOrg({
      org: 'acme',
      per_page: 5,
    });
    expect(page1.data).toHaveLength(5);
    expect(page1.headers.link).toMatch(
      /<[^>]+[?&]page=2>; rel="next", <[^>]+[?&]page=4>; rel="last"/,
    );
    const all = await octokit.paginate(octokit.rest.repos.listForOrg, {
      org: 'acme',
      per_page: 5,
    });
    expect(all.map(r => r.full_name).sort()).toEqual(
      repos()
        .map(r => r.fullName)
        .sort(),
    );
    // Newest first by default (sort=created).
    const created = all.map(r => Date.parse(r.created_at!));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    for (const r of all) {
      const truth = repos().find(x => x.fullName === r.full_name)!;
      expect(r).toMatchObject({
        name: truth.name,
        html_url: `https://github.com/${truth.fullName}`,
        description: truth.description,
        language: truth.language,
        topics: truth.topics,
        archived: truth.archived,
        fork: truth.fork,
        default_branch: 'main',
        private: truth.private,
        owner: expect.objectContaining({
          login: 'acme',
          type: 'Organization',
        }),
      });
      expect(Date.parse(r.pushed_at!)).toBeLessThanOrEqual(Date.now());
    }
    const forks = await octokit.rest.repos.listForOrg({
      org: 'acme',
      type: 'forks',
    });
    expect(forks.data.map(r => r.name)).toEqual(
      repos()
        .filter(r => r.fork)
        .map(r => r.name),
    );
    const pub = await octokit.rest.repos.listForOrg({
      org: 'acme',
      type: 'public',
      sort: 'full_name',
    });
    expect(pub.data.map(r => r.full_name)).toEqual(
      repos()
        .filter(r => !r.private)
        .map(r => r.fullName)
        .sort(),
    );
    const err = await fail(octokit.rest.repos.listForOrg({ org: 'nobody' }));
    expect(err.status).toBe(404);
  });

  it('answers GET /repos/{owner}/{repo} for the repositories the catalog lacks, a fork with its parent', async () => {
    const fork = repos().find(r => r.fork)!;
    const res = await octokit.rest.repos.get({
      owner: 'acme',
      repo: fork.name,
    });
    expect(res.data).toMatchObject({
      full_name: fork.fullName,
      fork: true,
      language: fork.language,
      parent: { full_name: fork.forkOf },
      source: { full_name: fork.forkOf },
    });
    const archived = repos().find(r => r.archived)!;
    const a = await octokit.rest.repos.get({
      owner: 'acme',
      repo: archived.name,
    });
    expect(a.data.archived).toBe(true);
    // Archived years ago: no push since.
    expect(Date.parse(a.data.pushed_at)).toBeLessThan(Date.UTC(2024, 0, 1));
    const commits = await octokit.rest.repos.listCommits({
      owner: 'acme',
      repo: archived.name,
    });
    expect(commits.data[0].sha).toBeDefined();
    expect(Date.parse(commits.data[0].commit.author!.date!)).toBe(
      Date.parse(a.data.pushed_at),
    );
  });

  it('serves CODEOWNERS naming the owning team, a manifest matching the language, and ci.yml with the ground-truth Node version', async () => {
    for (const r of repos().filter(x => x.codeowners)) {
      const owners = await file(r, '.github/CODEOWNERS');
      expect(owners).toMatch(new RegExp(`^\\*\\s+@acme/${r.ownerTeam}$`, 'm'));
    }
    for (const r of repos()) {
      expect(r.manifests).toContain(MANIFESTS[r.language]);
      expect(await file(r, MANIFESTS[r.language])).not.toBe('');
      expect(await file(r, '.github/workflows/ci.yml')).toMatch(/^name: CI$/m);
    }
    for (const r of repos().filter(x => x.language === 'Go'))
      expect(await file(r, 'go.mod')).toMatch(
        new RegExp(`^module github\\.com/${r.forkOf ?? r.fullName}$`, 'm'),
      );
    const nodeRepos = repos().filter(x => x.manifests.includes('package.json'));
    for (const r of nodeRepos) {
      const pkg = JSON.parse(await file(r, 'package.json'));
      expect(pkg.name).toBe(`@acme/${r.name}`);
      expect([18, 22]).toContain(r.nodeVersion);
      expect(pkg.engines.node).toBe(`>=${r.nodeVersion}`);
      expect(await file(r, '.github/workflows/ci.yml')).toMatch(
        new RegExp(`node-version: ${r.nodeVersion}$`, 'm'),
      );
    }
    for (const r of repos().filter(x => !nodeRepos.includes(x))) {
      expect(r.nodeVersion).toBeUndefined();
      expect(await file(r, '.github/workflows/ci.yml')).not.toMatch(
        /node-version/,
      );
    }
    // The demo campaign "CI runs on Node 22": the Node repositories, sorted by full name,
    // alternate 22, 18, 22, ...
    const node = repos()
      .filter(r => r.nodeVersion !== undefined)
      .sort((a, b) => (a.fullName < b.fullName ? -1 : 1));
    expect(node.length).toBeGreaterThanOrEqual(4);
    expect(node.map(r => r.nodeVersion)).toEqual(
      node.map((_, i) => (i % 2 === 0 ? 22 : 18)),
    );
    expect(node.some(r => r.inCatalog && r.nodeVersion === 18)).toBe(true);
  });

  it('lists directories, answers 404 like GitHub, honours ref, and serves the raw media type', async () => {
    const r = repo('payments-api');
    const root = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: r.name,
      path: '',
    });
    const entries = root.data as Array<{ name: string; type: string }>;
    expect(entries.map(e => e.name)).toEqual(
      [...entries.map(e => e.name)].sort(),
    );
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '.github', type: 'dir' }),
        expect.objectContaining({ name: 'go.mod', type: 'file' }),
      ]),
    );
    const workflows = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: r.name,
      path: '.github/workflows',
    });
    expect(
      (workflows.data as Array<{ path: string }>).map(e => e.path),
    ).toContain('.github/workflows/ci.yml');
    const gomod = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: r.name,
      path: 'go.mod',
    });
    const f = gomod.data as { size: number; content: string; sha: string };
    expect(Buffer.from(f.content, 'base64').length).toBe(f.size);
    expect(f.sha).toMatch(/^[0-9a-f]{40}$/);

    const missing = await fail(
      octokit.rest.repos.getContent({
        owner: 'acme',
        repo: r.name,
        path: 'nope/README.md',
      }),
    );
    expect(missing.status).toBe(404);
    expect(missing.response.data.message).toBe('Not Found');
    const noCodeowners = repos().find(x => !x.codeowners)!;
    const none = await fail(
      octokit.rest.repos.getContent({
        owner: 'acme',
        repo: noCodeowners.name,
        path: '.github/CODEOWNERS',
      }),
    );
    expect(none.status).toBe(404);
    const badRef = await fail(
      octokit.rest.repos.getContent({
        owner: 'acme',
        repo: r.name,
        path: 'go.mod',
        ref: 'no-such-branch',
      }),
    );
    expect(badRef.status).toBe(404);
    expect(badRef.response.data.message).toBe(
      'No commit found for the ref no-such-branch',
    );
    const tag = (
      await octokit.rest.repos.listReleases({ owner: 'acme', repo: r.name })
    ).data[0].tag_name;
    const atTag = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: r.name,
      path: 'go.mod',
      ref: tag,
    });
    expect((atTag.data as { url: string }).url).toContain(`ref=${tag}`);
    const raw = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: r.name,
      path: 'go.mod',
      mediaType: { format: 'raw' },
    });
    expect(raw.data as unknown as string).toBe(
      Buffer.from(f.content, 'base64').toString('utf8'),
    );
  });

  it('answers a matching If-None-Match on contents with a 304 that costs no rate limit', async () => {
    const first = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: 'web-storefront',
      path: 'package.json',
    });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const remaining = Number(first.headers['x-ratelimit-remaining']);
    const err = await fail(
      octokit.rest.repos.getContent({
        owner: 'acme',
        repo: 'web-storefront',
        path: 'package.json',
        headers: { 'if-none-match': etag },
      }),
    );
    expect(err.status).toBe(304);
    expect(Number(err.response.headers['x-ratelimit-remaining'])).toBe(
      remaining,
    );
    expect(err.response.headers.etag).toBe(etag);
    const again = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: 'web-storefront',
      path: 'package.json',
    });
    expect(Number(again.headers['x-ratelimit-remaining'])).toBe(remaining - 1);
  });

  it('serves languages, organisation teams and the teams of a repository (the owner of a repository without CODEOWNERS is its admin team)', async () => {
    for (const r of [repo('payments-api'), repos().find(x => !x.inCatalog)!]) {
      const langs = await octokit.rest.repos.listLanguages({
        owner: 'acme',
        repo: r.name,
      });
      expect(langs.data).toEqual(r.languages);
      expect(Object.keys(langs.data)[0]).toBe(r.language);
    }
    const teams = await octokit.paginate(octokit.rest.teams.list, {
      org: 'acme',
      per_page: 2,
    });
    expect(teams.map(t => t.slug)).toEqual(
      sb.scenario.github.teams.filter(t => t.org === 'acme').map(t => t.slug),
    );
    expect(teams.map(t => t.id)).toEqual(
      sb.scenario.github.teams.filter(t => t.org === 'acme').map(t => t.id),
    );
    const noCodeowners = repos().find(x => !x.codeowners)!;
    const access = await octokit.rest.repos.listTeams({
      owner: 'acme',
      repo: noCodeowners.name,
    });
    expect(access.data.map(t => [t.slug, t.permission])).toEqual(
      noCodeowners.teams.map(t => [t.slug, t.permission]),
    );
    const admins = access.data.filter(t => t.permissions?.admin);
    expect(admins.map(t => t.slug)).toEqual([noCodeowners.ownerTeam]);
    const missing = await fail(
      octokit.rest.repos.listTeams({ owner: 'acme', repo: 'nope' }),
    );
    expect(missing.status).toBe(404);
  });

  it('compares tags, branches and shas of the scenario history: ahead, behind, identical, paged', async () => {
    const releases = await octokit.rest.repos.listReleases({
      owner: 'acme',
      repo: 'payments-api',
      per_page: 3,
    });
    const [newer, , older] = releases.data;
    const commits = await octokit.paginate(octokit.rest.repos.listCommits, {
      owner: 'acme',
      repo: 'payments-api',
      per_page: 100,
    });
    const ahead = await octokit.rest.repos.compareCommits({
      owner: 'acme',
      repo: 'payments-api',
      base: older.tag_name,
      head: newer.tag_name,
    });
    expect(ahead.data.status).toBe('ahead');
    expect(ahead.data.behind_by).toBe(0);
    expect(ahead.data.ahead_by).toBeGreaterThan(0);
    expect(ahead.data.total_commits).toBe(ahead.data.ahead_by);
    expect(ahead.data.commits).toHaveLength(ahead.data.ahead_by);
    // Oldest first, and exactly the commits between the two tags on main (newest first there).
    const idx = (sha: string) => commits.findIndex(c => c.sha === sha);
    const headSha = ahead.data.commits[ahead.data.commits.length - 1].sha;
    expect(idx(ahead.data.base_commit.sha) - idx(headSha)).toBe(
      ahead.data.ahead_by,
    );
    expect(ahead.data.html_url).toBe(
      `https://github.com/acme/payments-api/compare/${older.tag_name}...${newer.tag_name}`,
    );
    const behind = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'payments-api',
      basehead: `${newer.tag_name}...${older.tag_name}`,
    });
    expect(behind.data).toMatchObject({
      status: 'behind',
      ahead_by: 0,
      behind_by: ahead.data.ahead_by,
      commits: [],
    });
    const same = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'payments-api',
      basehead: `${commits[0].sha.slice(0, 7)}...main`,
    });
    expect(same.data.status).toBe('identical');
    const paged = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'payments-api',
      basehead: `${commits[20].sha}...main`,
      per_page: 5,
      page: 2,
    });
    expect(paged.data.ahead_by).toBe(20);
    expect(paged.data.commits.map(c => c.sha)).toEqual(
      commits
        .slice(0, 20)
        .reverse()
        .slice(5, 10)
        .map(c => c.sha),
    );
    expect(paged.headers.link).toMatch(/rel="prev".*rel="next"/);
    // A repository the catalog lacks, between its own tags.
    const lib = repos().find(
      r => !r.inCatalog && r.type === 'library' && !r.fork,
    )!;
    const libReleases = await octokit.rest.repos.listReleases({
      owner: 'acme',
      repo: lib.name,
    });
    expect(libReleases.data.length).toBeGreaterThan(1);
    const libCompare = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: lib.name,
      basehead: `${libReleases.data[libReleases.data.length - 1].tag_name}...${
        libReleases.data[0].tag_name
      }`,
    });
    expect(libCompare.data.status).toBe('ahead');
    const missing = await fail(
      octokit.rest.repos.compareCommitsWithBasehead({
        owner: 'acme',
        repo: 'payments-api',
        basehead: 'v0.0.1...main',
      }),
    );
    expect(missing.status).toBe(404);
  });
});

/** Where GitHub looks for CODEOWNERS, in its order. */
export const CODEOWNERS_PATHS = [
  '.github/CODEOWNERS',
  'CODEOWNERS',
  'docs/CODEOWNERS',
] as const;

/**
 * The team slug a CODEOWNERS file gives the whole repository: the first `@org/team` owner of the
 * last `*` (or `/*`, `/**`) rule, as the last matching rule wins in GitHub. Rules naming only
 * users or e-mail addresses give no team.
 */
export function codeownersTeam(text: string): string | undefined {
  let owners: string[] | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const [pattern, ...rest] = line.split(/\s+/);
    if (
      pattern === '*' ||
      pattern === '/*' ||
      pattern === '/**' ||
      pattern === '**'
    ) {
      owners = rest;
    }
  }
  const team = owners?.find(o => /^@[\w.-]+\/[\w.-]+$/.test(o));
  return team?.split('/')[1].toLocaleLowerCase('en-US');
}

/** GitHub's repository permissions, most powerful first. */
const PERMISSION_RANK = ['admin', 'maintain', 'push', 'triage', 'pull'];

export interface RepositoryTeam {
  slug: string;
  permission: string;
}

/** The team with the highest permission on the repository; the first listed on a tie. */
export function strongestTeam(
  teams: RepositoryTeam[],
): RepositoryTeam | undefined {
  const rank = (t: RepositoryTeam) => {
    const r = PERMISSION_RANK.indexOf(t.permission);
    return r < 0 ? PERMISSION_RANK.length : r;
  };
  return teams.reduce<RepositoryTeam | undefined>(
    (best, t) => (!best || rank(t) < rank(best) ? t : best),
    undefined,
  );
}

/** The catalog group of a GitHub team: Backstage's GitHub org provider names groups by slug. */
export function groupOfTeam(slug: string): string {
  return `group:default/${slug.toLocaleLowerCase('en-US')}`;
}
